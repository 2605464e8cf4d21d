/// ripgrep's banned-byte check (grep-regex `ban::check`): whether some piece of a pattern
/// can only match one given byte. rg refuses such a pattern for NUL while binary detection
/// is on, as no searched line can hold a NUL (`foo\x00?` is an error, `[\x00-\x01]` is not).
extension RegexNode {
    /// True when a literal holds `byte`, or a class's only member is `byte`, anywhere but
    /// under a repetition of at most zero. An alternation of single characters is one
    /// class, as the regex crate's syntax tree makes it (`a|\x00` is `[\x00a]`, allowed;
    /// `(?i:a)|\x00` is not merged, a class being no literal). O(size of the tree).
    func requiresByte(_ byte: UInt8) -> Bool {
        switch self {
        case .empty, .look:
            return false
        case .literal(let bytes):
            return bytes.contains(byte)
        case .unicodeClass(let set), .byteClass(let set):
            return set.singleMember == UInt32(byte)
        case .repetition(let node, _, let max, _):
            return max != 0 && node.requiresByte(byte)
        case .group(let node, _):
            return node.requiresByte(byte)
        case .concat(let nodes):
            return nodes.contains { $0.requiresByte(byte) }
        case .alternation(let nodes):
            if let characters = Self.singleCharacters(nodes) {
                return characters.count == 1 && characters.first == [byte]
            }
            return nodes.contains { $0.requiresByte(byte) }
        }
    }

    /// The distinct characters of an alternation whose every branch is a one-character
    /// literal (its UTF-8, or one byte); nil when some branch is anything else.
    private static func singleCharacters(_ nodes: [RegexNode]) -> Set<[UInt8]>? {
        var characters: Set<[UInt8]> = []
        for node in nodes {
            guard case .literal(let bytes) = node, let lead = bytes.first else { return nil }
            // The length a UTF-8 lead byte announces; a lone byte is one character either way.
            let length = bytes.count == 1 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
            guard length == bytes.count else { return nil }
            characters.insert(bytes)
        }
        return characters
    }
}

extension CompiledRegex {
    /// Whether the pattern has a piece that can only match `byte` (see
    /// `RegexNode.requiresByte`): rg's test for refusing a NUL under binary detection.
    public func requiresByte(_ byte: UInt8) -> Bool {
        node.requiresByte(byte)
    }
}
