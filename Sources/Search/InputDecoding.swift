/// What `SearchOptions.decoding` decodes input from (`-E`): the searcher transcodes it to
/// UTF-8 as it reads, as rg does through encoding_rs.
public enum InputDecoding: Sendable, Equatable {
    /// UTF-8 with each invalid sequence replaced by U+FFFD.
    case utf8
    case utf16(bigEndian: Bool)
    case multiByte(MultiByteEncoding)
    /// A WHATWG single-byte encoding: the code points of bytes 0x80...0xFF in order
    /// (U+FFFD where the encoding has none); bytes below 0x80 are ASCII.
    case singleByte(upperHalf: [UInt16])
}
