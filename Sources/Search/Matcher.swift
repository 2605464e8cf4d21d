/// The seam between the line searcher and a pattern engine (ripgrep's grep-matcher idea):
/// the searcher hands a window of whole lines, the matcher says where the matches are.
///
/// Contract, for every conforming type:
/// - Offsets are byte offsets into `haystack`; `start` is where the search begins, and the
///   bytes before it may be read as look-behind context (for `^` and `\b`).
/// - Unless the matcher was built for multiline search, a match never contains the line
///   terminator `\n`; `^` and `$` match at the window's ends and next to each `\n`.
/// - Matching is leftmost-first (Perl/RE2/ripgrep semantics).
/// - Thread-safety: a matcher is immutable or internally synchronised; one instance is
///   shared by every worker thread.
public protocol Matcher: Sendable {
    /// The leftmost-first match in `haystack[start...]`, or nil.
    func find(in haystack: UnsafeRawBufferPointer, from start: Int) -> Range<Int>?

    /// The end offset of some match in `haystack[start...]` that lies on the first line
    /// holding any match, or nil when no line matches. Cheaper than `find` for engines that
    /// can answer without the match start (a forward DFA's earliest match end qualifies):
    /// the line searcher only needs to know which line to report.
    func firstMatchEnd(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int?

    /// A scanner that decides one line fed in pieces, for lines too long to hold; nil when
    /// this engine needs the line whole (the searcher then holds it, as it does any line).
    func makeLineScanner() -> (any LineScanner)?

    /// Whether a match may hold `\n`. In multiline mode rg searches line by line when the
    /// pattern cannot (`-U foo` is `foo`); when it can, adjacent blocks join and -c counts
    /// matches. True unless the engine knows better.
    var canMatchNewline: Bool { get }
}

extension Matcher {
    public func firstMatchEnd(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        find(in: haystack, from: start)?.upperBound
    }

    public func makeLineScanner() -> (any LineScanner)? { nil }

    public var canMatchNewline: Bool { true }
}
