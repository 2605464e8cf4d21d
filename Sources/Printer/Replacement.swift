import Search

/// `-r/--replace TEXT`: what each match is printed as. `$0` is the whole match, `$N` and
/// `${N}` capture group N, `$name` and `${name}` a named group, `$$` a dollar; a name is
/// the longest run of `[_0-9A-Za-z]` (so `$1a` is the group named `1a`, empty unless it
/// exists, as in ripgrep), and a `$` starting no name is kept as is.
///
/// trawl's own engine reports no groups: when the text names one, the match is run again
/// through a `CaptureGroups` engine, the backtracking one (only at the match, only for printed lines),
/// to read them.
public struct Replacement: Sendable {
    public enum Piece: Sendable, Equatable {
        case literal([UInt8])
        case group(Int)
        case named(String)
    }

    public let pieces: [Piece]
    private let groups: (any CaptureGroups)?

    /// `groups` is asked for only when `text` names a group; nil leaves groups empty.
    public init(_ text: String, groups: () -> (any CaptureGroups)?) {
        pieces = Self.parse(Array(text.utf8))
        let needsGroups = pieces.contains { piece in
            switch piece {
            case .literal, .group(0): return false
            case .group, .named: return true
            }
        }
        self.groups = needsGroups ? groups() : nil
    }

    public static func parse(_ bytes: [UInt8]) -> [Piece] {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        func isNameByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (byte >= 48 && byte <= 57) || (byte | 0x20 >= 97 && byte | 0x20 <= 122)
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$"), index + 1 < bytes.count else {
                literal.append(byte)
                index += 1
                continue
            }
            var name: ArraySlice<UInt8> = []
            var next = index + 1
            if bytes[next] == UInt8(ascii: "$") {
                literal.append(byte)
                index += 2
                continue
            } else if bytes[next] == UInt8(ascii: "{") {
                guard let close = bytes[(next + 1)...].firstIndex(of: UInt8(ascii: "}")) else {
                    literal.append(byte)
                    index += 1
                    continue
                }
                name = bytes[(next + 1)..<close]
                next = close + 1
            } else {
                var end = next
                while end < bytes.count && isNameByte(bytes[end]) { end += 1 }
                name = bytes[next..<end]
                next = end
            }
            if name.isEmpty {
                literal.append(byte)
                index += 1
                continue
            }
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
            let text = String(decoding: name, as: UTF8.self)
            if let number = Int(text), name.allSatisfy({ $0 >= 48 && $0 <= 57 }) { pieces.append(.group(number)) }
            else { pieces.append(.named(text)) }
            index = next
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    /// Appends the replacement of the match `span` of `line` to `out`.
    public func append(line: UnsafeRawBufferPointer, span: Range<Int>, to out: inout [UInt8]) {
        var captures: [Range<Int>?]? = nil
        var names: [String: Range<Int>] = [:]
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .group(0): out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[span]))
            case .group(let number):
                if captures == nil { (captures, names) = groups?.captures(in: line, at: span) ?? ([], [:]) }
                if number < captures!.count, let range = captures![number] {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[range]))
                }
            case .named(let name):
                if captures == nil { (captures, names) = groups?.captures(in: line, at: span) ?? ([], [:]) }
                if let range = names[name] { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[range])) }
            }
        }
    }
}

/// An engine that reads a match's groups (`-r`'s `$1`, `${name}`): by number (0 the whole
/// match) and by name, as byte ranges of `line`; empty when it finds no match at `span`.
public protocol CaptureGroups: Sendable {
    func captures(in line: UnsafeRawBufferPointer, at span: Range<Int>) -> ([Range<Int>?], [String: Range<Int>])
}
