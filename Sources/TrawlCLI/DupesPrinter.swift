import Printer

/// `dupes` output: jdupes' formats (blank-line separated groups, -S sizes, -m summary, the
/// action lines of -L/-l/-B/-d) or JSON Lines. Warnings for duplicates left alone go to
/// stderr as `trawl:` lines.
struct DupesPrinter {
    let output: OutputBuffer
    let json: Bool
    /// Ends each printed line: newline, or NUL with -0.
    let terminator: UInt8

    /// Every group, members one a line, a blank line after each (jdupes' default); with
    /// `withSizes`, `N bytes each:` above each group (jdupes -S).
    func printGroups(_ listing: DupesListing, withSizes: Bool) {
        for group in listing.groups {
            if json {
                appendRecordStart(group)
                output.append("}\n")
            } else {
                if withSizes {
                    output.append(decimal: group[0].size)
                    output.append(group[0].size == 1 ? " byte each:" : " bytes each:")
                    output.append(terminator)
                }
                for member in group {
                    output.append(member.path)
                    output.append(terminator)
                }
                output.append(terminator)
            }
            output.endRecord()
            if output.isBroken { return }
        }
    }

    /// jdupes -m: `N duplicate files (in M sets), occupying B bytes`, counting the files
    /// beyond the first of each set; exact bytes where jdupes rounds to KB/MB.
    func printSummary(_ listing: DupesListing) {
        if json {
            output.append("{\"sets\":")
            output.append(decimal: listing.groups.count)
            output.append(",\"duplicates\":")
            output.append(decimal: listing.duplicateCount)
            output.append(",\"bytes_reclaimable\":")
            output.append(decimal: listing.reclaimableBytes)
            output.append("}\n")
        } else if listing.groups.isEmpty {
            output.append("No duplicates found.")
            output.append(terminator)
        } else {
            output.append(decimal: listing.duplicateCount)
            output.append(" duplicate files (in ")
            output.append(decimal: listing.groups.count)
            output.append(listing.groups.count == 1 ? " set), occupying " : " sets), occupying ")
            output.append(decimal: listing.reclaimableBytes)
            output.append(listing.reclaimableBytes == 1 ? " byte" : " bytes")
            output.append(terminator)
        }
        output.endRecord()
    }

    /// What the action did (or, in a dry run, would do) to group `index`: jdupes' lines
    /// (`[SRC] kept` then `----> duplicate` per link...), nothing for a group where nothing
    /// was done; or a JSON record per group, `done` listing what was (would be) acted on,
    /// `skipped` what was left alone for a warning or an error.
    /// Warns for each duplicate left alone; false when an action failed (its message printed).
    func printOutcomes(of index: Int, in listing: DupesListing, _ outcomes: [DupesOutcome], action: DupesAction,
                       dryRun: Bool) -> Bool {
        let group = listing.groups[index]
        let kept = group[listing.kept[index]].path
        let duplicates = group.indices.filter { $0 != listing.kept[index] }.map { group[$0].path }
        var done: [[UInt8]] = []
        var skipped: [[UInt8]] = []
        var succeeded = true
        for (duplicate, outcome) in zip(duplicates, outcomes) {
            switch outcome {
            case .done:
                done.append(duplicate)
            case .sameFile, .notReached:
                break
            case .changed:
                skipped.append(duplicate)
                Diagnostics.error(DuplicateReplacer.describe(duplicate, "changed since the scan (not identical to \(String(decoding: kept, as: UTF8.self)) now), left alone"))
            case .otherFileSystem:
                skipped.append(duplicate)
                Diagnostics.error(DuplicateReplacer.describe(duplicate, "on another file system than \(String(decoding: kept, as: UTF8.self)), left alone (a \(action == .link ? "hard link" : "reflink") cannot cross file systems)"))
            case .failed(let message):
                skipped.append(duplicate)
                Diagnostics.error(message)
                succeeded = false
            }
        }
        if json {
            appendRecordStart(group)
            output.append(",\"kept\":")
            appendJSONPath(kept)
            output.append(",\"action\":\"")
            output.append(action.rawValue)
            output.append(dryRun ? "\",\"dry_run\":true,\"done\":" : "\",\"dry_run\":false,\"done\":")
            appendJSONPaths(done)
            output.append(",\"skipped\":")
            appendJSONPaths(skipped)
            output.append("}\n")
        } else if !done.isEmpty {
            output.append(action.keptMarker)
            output.append(kept)
            output.append(terminator)
            for duplicate in done {
                output.append(action.marker)
                output.append(duplicate)
                output.append(terminator)
            }
            output.append(terminator)
        }
        output.endRecord()
        return succeeded
    }

    /// `{"size":N,"paths":[...]`, the part every group record has.
    private func appendRecordStart(_ group: [DupesListing.Member]) {
        output.append("{\"size\":")
        output.append(decimal: group[0].size)
        output.append(",\"paths\":")
        appendJSONPaths(group.map(\.path))
    }

    private func appendJSONPaths(_ paths: [[UInt8]]) {
        output.append(UInt8(ascii: "["))
        for (index, path) in paths.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendJSONPath(path)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// A path as a JSON string, or `{"bytes":"BASE64"}` when it is not UTF-8 (grep --json's
    /// convention), so every name survives the round trip.
    private func appendJSONPath(_ path: [UInt8]) {
        path.withUnsafeBytes { raw in
            if JSONWriter.isValidUTF8(raw) {
                output.appendJSONString(path)
            } else {
                output.append("{\"bytes\":\"")
                output.append(JSONWriter.base64(raw))
                output.append("\"}")
            }
        }
    }
}
