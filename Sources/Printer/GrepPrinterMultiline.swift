import Search

/// A block reported by the multiline search (`-U` with a pattern that can match `\n`),
/// printed as rg's standard printer does in multi-line mode (`sink_slow_multi_line*`):
/// the block, with `-r` its replaced text, is printed a line at a time, each after its
/// own prefix, line numbers counting on from the block's first line.
extension GrepPrinter {
    /// rg's printer takes this path when its searcher is multi-line: `-U` and a pattern
    /// that can match `\n` (otherwise rg searches, and prints, line by line).
    var printsMultilineBlocks: Bool {
        configuration.multiline && configuration.matcher.canMatchNewline
    }

    /// One reported block (never a context line: those are single lines).
    mutating func writeMultilineMatch(_ line: SearchLine) {
        writeHeadingIfNeeded()
        let bytes = line.bytes
        var spans = Self.takeScratch(&spanScratch)
        spans.removeAll(keepingCapacity: true)
        defer { spanScratch = spans }
        if !configuration.invert {
            Self.forEachMatch(configuration.matcher, of: line, upTo: bytes.count) { span in
                spans.append(span)
                return true
            }
            // rg drops an empty match at the block's very end (the next line's start).
            if let last = spans.last, last.isEmpty, last.lowerBound >= bytes.count { spans.removeLast() }
        }
        let keepsEmpty = configuration.onlyMatching || configuration.output.vimgrep
        matches += configuration.invert ? 1 : (keepsEmpty ? spans.count : spans.count { !$0.isEmpty })

        guard let replacement = configuration.output.replacement, !spans.isEmpty else {
            return writeMultilineBlock(bytes, spans: spans, line)
        }
        // -r: the block with each match replaced, and where each replacement lies in it;
        // its lines are printed, as rg's printer prints the replaced buffer.
        var replaced = Self.takeScratch(&blockScratch)
        replaced.removeAll(keepingCapacity: true)
        var replacedSpans = Self.takeScratch(&blockSpanScratch)
        replacedSpans.removeAll(keepingCapacity: true)
        var copied = 0
        for span in spans {
            replaced.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<span.lowerBound]))
            let lower = replaced.count
            replacement.append(line: bytes, span: span, to: &replaced)
            replacedSpans.append(lower..<replaced.count)
            copied = span.upperBound
        }
        replaced.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied...]))
        replaced.withUnsafeBytes { writeMultilineBlock($0, spans: replacedSpans, line) }
        blockScratch = replaced
        blockSpanScratch = replacedSpans
    }

    /// `text` is the block as printed (replaced under -r), `spans` its matches in it.
    private mutating func writeMultilineBlock(_ text: UnsafeRawBufferPointer, spans: [Range<Int>], _ line: SearchLine) {
        if spans.isEmpty {
            // No match to show (inverted, or its only one dropped): the lines, as rg's fast path.
            writeMultilineLines(text, spans: spans, line)
        } else if configuration.onlyMatching {
            writeMultilineOnlyMatching(text, spans: spans, line)
        } else if configuration.output.vimgrep {
            writeMultilinePerMatch(text, spans: spans, line)
        } else {
            writeMultilineLines(text, spans: spans, line)
        }
    }

    /// Every line of the block, each with its own line number and byte offset; the column
    /// is the block's first match's, repeated on every line (rg's).
    private mutating func writeMultilineLines(_ text: UnsafeRawBufferPointer, spans: [Range<Int>], _ line: SearchLine) {
        let column = configuration.column && !spans.isEmpty ? spans[0].lowerBound + 1 : nil
        var count = 0
        var lineStart = 0
        while lineStart < text.count {
            let (lineEnd, next) = Self.lineBounds(text, from: lineStart)
            writeFieldsPrefix(lineNumber: line.lineNumber.map { $0 + count }, column: column,
                              byteOffset: configuration.output.byteOffset ? line.byteOffset + lineStart : nil,
                              isContext: false)
            let shownStart = trimmedStart(text, lineStart, lineEnd)
            // Measured with its terminator; the matches told are the whole block's.
            let limitView = ColumnLimitView(measured: next - shownStart, recordedMatches: recordsMatches ? spans.count : 0)
            // With its matches recorded rg trims the line's terminator (`\r\n` under
            // --crlf) and writes its own; without, the line goes out as it is.
            let recorded = limitView.recordedMatches > 0
            let shownEnd = recorded && next > lineEnd ? endBeforeCarriageReturn(text, shownStart, lineEnd) : lineEnd
            writeMultilinePiece(text, shownStart..<shownEnd, spans: spans, limitView: limitView,
                                terminated: next > lineEnd && !recorded)
            count += 1
            lineStart = next
        }
    }

    /// `-o`: each line's part of each match after its own prefix; a part that is empty
    /// (a match starting at a line's `\n`) is left out. The column and byte offset are
    /// those of the match's start, on every line of it (rg's).
    private mutating func writeMultilineOnlyMatching(_ text: UnsafeRawBufferPointer, spans: [Range<Int>], _ line: SearchLine) {
        guard !spans.isEmpty else { return }
        var index = 0
        var count = 0
        var lineStart = 0
        while lineStart < text.count {
            let (newline, next) = Self.lineBounds(text, from: lineStart)
            let lineEnd = next > newline ? endBeforeCarriageReturn(text, lineStart, newline) : newline
            var position = trimmedStart(text, lineStart, lineEnd)
            while position < lineEnd {
                if spans[index].upperBound <= position {
                    if index + 1 < spans.count { index += 1; continue }
                    break
                }
                let span = spans[index]
                if position < span.lowerBound {
                    position = min(lineEnd, span.lowerBound)
                    continue
                }
                let upTo = min(lineEnd, span.upperBound)
                writeFieldsPrefix(lineNumber: line.lineNumber.map { $0 + count },
                                  column: configuration.column ? span.lowerBound + 1 : nil,
                                  byteOffset: configuration.output.byteOffset ? line.byteOffset + span.lowerBound : nil,
                                  isContext: false)
                writeMultilinePiece(text, position..<upTo, spans: CollectionOfOne(position..<upTo),
                                    limitView: ColumnLimitView(measured: upTo - position, recordedMatches: spans.count))
                position = upTo
            }
            count += 1
            lineStart = next
        }
    }

    /// `--vimgrep`: each match once, by the first line it touches.
    private mutating func writeMultilinePerMatch(_ text: UnsafeRawBufferPointer, spans: [Range<Int>], _ line: SearchLine) {
        for span in spans {
            var count = 0
            var lineStart = 0
            while lineStart < text.count {
                let (lineEnd, next) = Self.lineBounds(text, from: lineStart)
                if lineStart >= span.upperBound { break }
                if next <= span.lowerBound {
                    count += 1
                    lineStart = next
                    continue
                }
                writeFieldsPrefix(lineNumber: line.lineNumber.map { $0 + count },
                                  column: configuration.column ? max(0, span.lowerBound - lineStart) + 1 : nil,
                                  byteOffset: configuration.output.byteOffset ? line.byteOffset + lineStart : nil,
                                  isContext: false)
                let shownStart = trimmedStart(text, lineStart, lineEnd)
                let shownEnd = next > lineEnd ? endBeforeCarriageReturn(text, shownStart, lineEnd) : lineEnd
                let limitView = ColumnLimitView(measured: shownEnd - shownStart, recordedMatches: spans.count)
                writeMultilinePiece(text, shownStart..<shownEnd, spans: CollectionOfOne(span), limitView: limitView,
                                    terminated: false)
                // rg goes on to the match's next line when this one was too long for -M.
                if let maxColumns = configuration.output.maxColumns, limitView.measured > maxColumns {
                    count += 1
                    lineStart = next
                    continue
                }
                break
            }
        }
    }

    /// Prints `text[range]` after its prefix: `spans` (block offsets) coloured where they
    /// fall in it, cut at `-M`, then the line's end.
    private mutating func writeMultilinePiece(_ text: UnsafeRawBufferPointer, _ range: Range<Int>,
                                              spans: some Collection<Range<Int>>, limitView: ColumnLimitView,
                                              terminated: Bool = true) {
        var piece = Self.takeScratch(&lineScratch)
        piece.removeAll(keepingCapacity: true)
        piece.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[range]))
        var pieceSpans = Self.takeScratch(&shownSpanScratch)
        pieceSpans.removeAll(keepingCapacity: true)
        for span in spans where span.upperBound > range.lowerBound && span.lowerBound < range.upperBound && !span.isEmpty {
            pieceSpans.append((max(span.lowerBound, range.lowerBound) - range.lowerBound)..<(min(span.upperBound, range.upperBound) - range.lowerBound))
        }
        writeShownLine(piece, spans: pieceSpans, isContext: false, limitView: limitView, terminated: terminated)
        lineScratch = piece
        shownSpanScratch = pieceSpans
    }

    /// A line's end before its `\r` under --crlf: -o prints its own `\r\n`.
    private func endBeforeCarriageReturn(_ text: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        configuration.crlf && end > start && text[end - 1] == 13 ? end - 1 : end
    }

    /// The end of the line starting at `start` (its `\n`, or the text's end) and where the
    /// next line starts.
    private static func lineBounds(_ text: UnsafeRawBufferPointer, from start: Int) -> (end: Int, next: Int) {
        var end = start
        while end < text.count && text[end] != 10 { end += 1 }
        return (end, end < text.count ? end + 1 : end)
    }

    /// Where a line's shown text starts: after its leading ASCII whitespace under --trim.
    private func trimmedStart(_ text: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        guard configuration.output.trim else { return start }
        var index = start
        while index < end && Self.isASCIIWhitespace(text[index]) { index += 1 }
        return index
    }
}
