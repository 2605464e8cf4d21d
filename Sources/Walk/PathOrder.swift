/// Path order for `--sort path`: bytewise within a name, component by component (a `/`
/// sorts before every other byte, so `a/b` precedes `a-b` as in a sorted walk, which is
/// what ripgrep's `--sort path` prints). The caller sorts; this is only the comparison.
/// O(common prefix length), no allocation.
public func pathPrecedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in pathPrecedes(a, b) } }
}

/// `pathPrecedes` over bytes in place (a sort's inner comparison, no retains).
@inlinable
public func pathPrecedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let common = min(a.count, b.count)
    var index = 0
    while index < common && a[index] == b[index] { index += 1 }
    if index == common { return a.count < b.count }
    let slash = UInt8(ascii: "/")
    if a[index] == slash { return true }
    if b[index] == slash { return false }
    return a[index] < b[index]
}
