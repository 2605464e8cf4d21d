// libFuzzer target: the regex parser and compiler, then a search of a small haystack.
// Input: byte 0 = option bits, then the pattern up to the first NUL, then the haystack.
// Crashes, traps and timeouts are findings; so is a broken invariant below.

import Search

@_cdecl("LLVMFuzzerTestOneInput")
public func regexFuzzTestOneInput(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let flags = bytes[0]
    let rest = bytes[1...]
    let split = rest.firstIndex(of: 0) ?? rest.endIndex
    // Patterns are Strings on the command line: invalid UTF-8 is already replaced there.
    let pattern = String(decoding: rest[rest.startIndex..<split], as: UTF8.self)
    let haystack: [UInt8] = split < rest.endIndex ? Array(rest[(split + 1)...]) : []
    // `utf8: false` here: with it on (the default), `find` drops an empty match inside a
    // code point (the regex crate's rule) while `firstMatchEnd`, which selects lines, keeps
    // it (a line starting with a stray continuation byte still matches `^`, as in rg), so the
    // two agree only without it. Both settings are searched below.
    let options = RegexOptions(caseInsensitive: flags & 1 != 0, multiLine: flags & 2 == 0,
                               dotMatchesNewline: flags & 4 != 0, ignoreWhitespace: flags & 8 != 0,
                               swapGreed: flags & 16 != 0, unicode: flags & 32 == 0, crlf: flags & 64 != 0,
                               lineTerminatorFree: flags & 128 == 0, utf8: false)
    guard let regex = try? CompiledRegex(pattern, options: options) else { return 0 }
    var codePointOptions = options
    codePointOptions.utf8 = true
    guard let codePointRegex = try? CompiledRegex(pattern, options: codePointOptions) else { return 0 }
    haystack.withUnsafeBytes { raw in
        let span = regex.find(in: raw, from: 0)
        let end = regex.firstMatchEnd(in: raw, from: 0)
        precondition((span == nil) == (end == nil), "find and firstMatchEnd disagree")
        if let kept = codePointRegex.find(in: raw, from: 0) {
            precondition(kept.lowerBound >= 0 && kept.upperBound <= raw.count, "span out of bounds (utf8)")
            precondition(end != nil, "a match found with utf8 on but no line match")
        }
        // The DFA's two halves run in step answer as one run, for every split after a `\n`
        // (the searcher pairs only patterns that cannot match one, over longer windows).
        if !regex.canMatchNewline && options.lineTerminatorFree {
            let single = regex.dfa.earliestMatchEnd(raw, from: 0, to: raw.count, cache: DFACache(dfa: regex.dfa))
            for index in raw.indices where raw[index] == 0x0A && index + 1 < raw.count {
                let paired = regex.dfa.earliestMatchEnd(raw, from: 0, split: index + 1, to: raw.count,
                                                        cache: DFACache(dfa: regex.dfa))
                precondition(paired == single, "the DFA's paired halves disagree with one run")
            }
        }
        if let span {
            precondition(span.lowerBound >= 0 && span.upperBound <= raw.count, "span out of bounds")
            // Every match continues to be found from where it starts.
            precondition(regex.find(in: raw, from: span.lowerBound) != nil, "match not found from its own start")
        }
    }
    return 0
}
