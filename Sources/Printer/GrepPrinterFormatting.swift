#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Search

/// The printer's general path, taken only when a flag beyond the plain line is given
/// (`GrepOutputOptions.isPlain` false): `-r`, `--vimgrep`, `-b`, `-M`, `--trim`,
/// `--passthru`, `--stop-on-nonmatch`, the field separators and `--colors`.
/// Fields are read as `configuration.output.x`, never through a local copy of the options:
/// copying the struct retained and released each of its arrays per line (a quarter of
/// `-r`'s CPU).
extension GrepPrinter {
    /// `--stop-on-nonmatch` and `--passthru`, before a reported line is printed: a verdict
    /// to return from `matched`, or nil to print the line as a match.
    mutating func formattedMatched(_ line: SearchLine) -> Bool? {
        if configuration.output.stopOnNonmatch, let number = line.lineNumber {
            if let last = lastMatchedLine, number != last + 1 { return false }
            var interior = 0
            for index in 0..<max(0, line.bytes.count - 1) where line.bytes[index] == 10 { interior += 1 }
            lastMatchedLine = number + interior
        }
        if configuration.output.passthru, printsMultilineBlocks {
            // Under -U the search reports the blocks and the rest as context; the blocks
            // after -m's last, and a block without a real match (a file without one, see
            // MultilinePassthruMatcher), print as context lines.
            var hasMatch = false
            Self.forEachMatch(configuration.matcher, of: line, upTo: line.bytes.count, crlf: configuration.crlf) { _ in
                hasMatch = true
                return false
            }
            guard !hasMatch || matchedLines >= configuration.output.maxCount ?? .max else { return nil }
            writeBlockAsContext(line)
            return true
        }
        if configuration.output.passthru, matchedLines >= configuration.output.maxCount ?? .max
            || configuration.matcher.find(in: trimmedTerminator(line.bytes), from: 0) == nil {
            // Not a match: printed as a context line (a record of --json), not counted.
            context(line, kind: .after)
            return true
        }
        return nil
    }

    /// A block of lines printed a line at a time as context (`-U --passthru` past `-m`).
    private mutating func writeBlockAsContext(_ block: SearchLine) {
        var start = 0
        var number = block.lineNumber
        while start < block.bytes.count {
            var end = start
            while end < block.bytes.count && block.bytes[end] != 10 { end += 1 }
            if end < block.bytes.count { end += 1 }
            let line = SearchLine(bytes: UnsafeRawBufferPointer(rebasing: block.bytes[start..<end]), lineNumber: number,
                                  byteOffset: block.byteOffset + start)
            context(line, kind: .after)
            start = end
            number = number.map { $0 + 1 }
        }
    }

    /// `--count-matches`: every match of the line counts.
    mutating func countMatches(in line: SearchLine) {
        // An inverted match is a line: it counts once.
        if configuration.invert { matches += 1; return }
        let content = trimmedTerminator(line.bytes)
        // Empty matches count, as rg's --count-matches counts them.
        var count = 0
        let keepingEmptyAtEnd = configuration.mode == .count
        Self.forEachMatch(configuration.matcher, of: line, upTo: content.count, keepingEmptyAtEnd: keepingEmptyAtEnd,
                          crlf: configuration.crlf) { _ in
            count += 1
            return true
        }
        matches += count
    }

    /// Line-buffered output of a lone input: what is printed so far goes to stdout now.
    mutating func writeThrough() {
        var written = 0
        out.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = write(1, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                written += n
            }
        }
        out.removeAll(keepingCapacity: true)
    }

    /// Path, line number, column and byte offset, each followed by the field separator of
    /// a matching or a context line.
    mutating func writeFieldsPrefix(lineNumber: Int?, column: Int?, byteOffset: Int?, isContext: Bool) {
        let separator = isContext ? configuration.output.fieldContextSeparator : configuration.output.fieldMatchSeparator
        if configuration.withFilename && !configuration.heading {
            if configuration.color { out.append(contentsOf: configuration.output.palette.path) }
            out.append(contentsOf: path)
            if configuration.color { out.append(contentsOf: Self.reset) }
            if configuration.nullAfterPath { out.append(0) } else { out.append(contentsOf: separator) }
        }
        if configuration.lineNumbers, let lineNumber { appendField(lineNumber, color: configuration.output.palette.line, separator: separator) }
        if let column { appendField(column, color: configuration.output.palette.column, separator: separator) }
        // rg colours the byte offset as the column.
        if let byteOffset { appendField(byteOffset, color: configuration.output.palette.column, separator: separator) }
    }

    private mutating func appendField(_ value: Int, color: [UInt8], separator: [UInt8]) {
        let colored = configuration.color && !color.isEmpty
        if colored { out.append(contentsOf: color) }
        out.appendDecimal(value)
        if colored { out.append(contentsOf: Self.reset) }
        out.append(contentsOf: separator)
    }

    mutating func writeFormattedLine(_ line: SearchLine, isContext: Bool) {
        if !isContext && printsMultilineBlocks { return writeMultilineMatch(line) }
        writeHeadingIfNeeded()
        let bytes = line.bytes
        let content = trimmedTerminator(bytes)
        var spans = Self.takeScratch(&spanScratch)
        spans.removeAll(keepingCapacity: true)
        defer { spanScratch = spans }
        if !isContext && !configuration.invert {
            // Empty matches too: -o and --vimgrep print them (an empty field), -r replaces
            // them, the column may be one's, as rg 15 does.
            Self.forEachMatch(configuration.matcher, of: line, upTo: content.count, crlf: configuration.crlf) { span in
                spans.append(span)
                return true
            }
        }
        let countsEmpty = configuration.onlyMatching || configuration.output.vimgrep || configuration.output.replacement != nil
        if !isContext { matches += configuration.invert ? 1 : countsEmpty ? spans.count : spans.count { !$0.isEmpty } }
        let byteOffset = configuration.output.byteOffset ? line.byteOffset : nil
        // A matched line whose only match was dropped prints whole, without a column (rg).
        let noMatchLeft = !isContext && !configuration.invert && spans.isEmpty
        if configuration.onlyMatching && !isContext && !noMatchLeft {
            for span in spans {
                writeFieldsPrefix(lineNumber: line.lineNumber,
                                  column: configuration.column ? span.lowerBound + 1 : nil,
                                  byteOffset: byteOffset.map { $0 + span.lowerBound }, isContext: false)
                var text = Self.takeScratch(&lineScratch)
                text.removeAll(keepingCapacity: true)
                if let replacement = configuration.output.replacement { replacement.append(line: content, span: span, to: &text) }
                else { text.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[span])) }
                if configuration.output.trim { text.removeFirst(Self.leadingWhitespace(text)) }
                var whole = Self.takeScratch(&shownSpanScratch)
                whole.removeAll(keepingCapacity: true)
                whole.append(0..<text.count)
                var limitView = ColumnLimitView(measured: text.count, recordedMatches: spans.count)
                if let maxColumns = configuration.output.maxColumns, configuration.output.maxColumnsPreview,
                   !(configuration.color && !configuration.output.palette.match.isEmpty) {
                    // rg's quirk: the match's own text is cut, the line's matches counted.
                    let cut = Self.prefixLength(text, characters: maxColumns)
                    limitView.previewRemaining = spans.count { $0.lowerBound >= cut && $0.lowerBound < text.count }
                }
                writeShownLine(text, spans: whole, isContext: false, limitView: limitView)
                lineScratch = text
                shownSpanScratch = whole
            }
            return
        }
        var trimmed = 0
        if configuration.output.trim {
            while trimmed < content.count, Self.isASCIIWhitespace(content[trimmed]) { trimmed += 1 }
        }
        // The line as shown: trimmed, matches replaced; spans in its coordinates.
        var shown = Self.takeScratch(&lineScratch)
        shown.removeAll(keepingCapacity: true)
        var shownSpans = Self.takeScratch(&shownSpanScratch)
        shownSpans.removeAll(keepingCapacity: true)
        var copied = trimmed
        for span in spans where span.lowerBound >= trimmed {
            shown.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[copied..<span.lowerBound]))
            let lower = shown.count
            if let replacement = configuration.output.replacement { replacement.append(line: content, span: span, to: &shown) }
            else { shown.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[span])) }
            shownSpans.append(lower..<shown.count)
            copied = span.upperBound
        }
        shown.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[copied...]))
        // rg measures a whole line with its terminator (and, coloured, before --trim).
        let coloured = configuration.color && !configuration.output.palette.match.isEmpty
        let limitView = ColumnLimitView(measured: shown.count + (bytes.last == 10 ? 1 : 0) + (coloured ? trimmed : 0),
                                        recordedMatches: recordsMatches ? spans.count : 0)
        // --vimgrep: the whole line once per match, each with the match's column.
        let perMatch = configuration.output.vimgrep && !spans.isEmpty
        for index in 0..<(perMatch ? spans.count : 1) {
            let column: Int?
            if perMatch {
                // rg's column is the match's in the line as printed (replaced, untrimmed).
                let start = configuration.output.replacement != nil && shownSpans.count == spans.count
                    ? shownSpans[index].lowerBound + trimmed : spans[index].lowerBound
                column = configuration.column ? start + 1 : nil
            }
            else { column = configuration.column && !isContext && !noMatchLeft ? (spans.first.map { $0.lowerBound + 1 } ?? 1) : nil }
            writeFieldsPrefix(lineNumber: line.lineNumber, column: column, byteOffset: byteOffset, isContext: isContext)
            if perMatch && coloured && shownSpans.count == spans.count {
                // rg colours only this line's match (and, under -M's preview, counts it alone).
                writeShownLine(shown, spans: CollectionOfOne(shownSpans[index]), isContext: isContext, limitView: limitView, terminated: bytes.last == 10)
            } else {
                writeShownLine(shown, spans: shownSpans, isContext: isContext, limitView: limitView, terminated: bytes.last == 10)
            }
        }
        lineScratch = shown
        shownSpanScratch = shownSpans
    }

    /// What rg's `-M` sees of a printed line: the length it compares with the limit (a
    /// whole line is measured with its terminator, and when coloured before --trim; a match
    /// of -o or a piece of a `-U` block without), and how many matches rg recorded for the
    /// line (0 when it needed none: no colour, column, -r, -o, --vimgrep or --stats).
    struct ColumnLimitView {
        var measured: Int
        var recordedMatches: Int
        /// --max-columns-preview's count of matches left, when rg counts other spans than
        /// those shown (uncoloured -o: the line's matches, by their offsets in the line).
        var previewRemaining: Int? = nil
    }

    /// rg finds each match of a line only when something needs them (`needs_match_granularity`).
    var recordsMatches: Bool {
        (configuration.color && !configuration.output.palette.match.isEmpty) || configuration.column
            || configuration.output.replacement != nil || configuration.output.vimgrep
            || configuration.onlyMatching || configuration.stats
    }

    /// One line's text after its prefix: coloured, cut at `-M`, and its newline.
    /// `terminated`: the line had its newline (rg then writes the line's own end, else its
    /// terminator, `\r\n` under --crlf, as it does after -o and a coloured line).
    mutating func writeShownLine(_ shown: [UInt8], spans: some Collection<Range<Int>>, isContext: Bool,
                                 limitView: ColumnLimitView, terminated: Bool = true) {
        let textStart = out.count
        defer { if configuration.output.nullData { GrepOutputOptions.swapNULAndNewline(&out, from: textStart) } }
        var end = shown.count
        var tail: String? = nil
        if let maxColumns = configuration.output.maxColumns, limitView.measured > maxColumns {
            guard configuration.output.maxColumnsPreview else {
                // rg's notes (`matches` even for one).
                let note = limitView.recordedMatches == 0 || configuration.onlyMatching
                    ? (isContext ? "[Omitted long context line]" : "[Omitted long matching line]")
                    : "[Omitted long line with \(limitView.recordedMatches) matches]"
                out.append(contentsOf: note.utf8)
                out.append(10)
                return
            }
            end = Self.prefixLength(shown, characters: maxColumns)
            if limitView.recordedMatches == 0 {
                tail = " [... omitted end of long line]"
            } else {
                let remaining = limitView.previewRemaining ?? spans.count { $0.lowerBound >= end }
                tail = " [... \(remaining) more match\(remaining == 1 ? "" : "es")]"
            }
        }
        var written = 0
        if configuration.color && !configuration.output.palette.match.isEmpty {
            // Adjacent matches share one coloured run, as rg writes them.
            var colouring = false
            for span in spans where span.lowerBound < end && !span.isEmpty {
                let upper = min(span.upperBound, end)
                if !colouring || span.lowerBound > written {
                    if colouring { out.append(contentsOf: Self.reset) }
                    out.append(contentsOf: shown[written..<span.lowerBound])
                    out.append(contentsOf: configuration.output.palette.match)
                    colouring = true
                }
                out.append(contentsOf: shown[span.lowerBound..<upper])
                written = upper
            }
            if colouring { out.append(contentsOf: Self.reset) }
        }
        out.append(contentsOf: shown[written..<end])
        if let tail { out.append(contentsOf: tail.utf8) }
        let coloured = configuration.color && !configuration.output.palette.match.isEmpty
        if configuration.onlyMatching || coloured || !terminated { appendLineEnd() } else { out.append(10) }
    }

    /// The bytes of `text`'s first `characters` characters (rg counts graphemes; UTF-8
    /// scalars here).
    static func prefixLength(_ text: [UInt8], characters: Int) -> Int {
        var count = 0
        var end = 0
        while end < text.count && count < characters {
            end += 1
            while end < text.count && text[end] & 0xC0 == 0x80 { end += 1 }
            count += 1
        }
        return end
    }

    static func leadingWhitespace(_ text: [UInt8]) -> Int {
        text.firstIndex { !isASCIIWhitespace($0) } ?? text.count
    }

    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 32 || (byte >= 9 && byte <= 13)
    }
}
