/// Copies the ASCII bytes that start `input[i...]` into `output[o...]`, the pass-through
/// every legacy decoder shares: most text in most encodings is ASCII.
enum ASCIIRun {
    /// Returns how many bytes were copied: up to the first byte >= 0x80 or the end of
    /// either buffer. 100 MB of ASCII as Shift_JIS (`grep -c -E sjis`, warm): a byte at a
    /// time 0.070 s, eight at a time 0.028 s; rg 0.049 s.
    @inline(__always)
    static func copy(_ input: UnsafeRawBufferPointer, from i: Int,
                     into output: UnsafeMutableRawBufferPointer, at o: Int) -> Int {
        let room = min(input.count - i, output.count - o)
        guard room > 0 else { return 0 }
        var run = 0
        // Bounds: run + 8 <= room, and room fits both buffers from i and o.
        let source = input.baseAddress! + i
        let destination = output.baseAddress! + o
        while run + 8 <= room {
            let word = (source + run).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            (destination + run).storeBytes(of: word, as: UInt64.self)
            run += 8
        }
        while run < room {
            let byte = source.load(fromByteOffset: run, as: UInt8.self)
            if byte >= 0x80 { break }
            destination.storeBytes(of: byte, toByteOffset: run, as: UInt8.self)
            run += 1
        }
        return run
    }
}
