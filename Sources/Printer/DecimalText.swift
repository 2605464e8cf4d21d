extension Array where Element == UInt8 {
    /// A non-negative integer in decimal, formatted by hand (no String on the way): the
    /// printers write line numbers and counts with it.
    public mutating func appendDecimal(_ value: Int) {
        if value < 10 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: Swift.max(0, value)))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for Int.max's 19 digits
        Swift.withUnsafeMutableBytes(of: &digits) { raw in
            var count = 0
            var rest = value
            while rest > 0 {
                raw[23 - count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                count += 1
            }
            append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[(24 - count)...]))
        }
    }
}
