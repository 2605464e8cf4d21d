import Glibc

/// Everything the Walk module reports. `description` is the message a user reads after
/// the CLI's `trawl: ` prefix, e.g. `src/secret: Permission denied`.
public enum WalkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call on `path` failed with `errno` (missing root, unreadable directory,
    /// an entry that vanished mid-walk, a broken symlink followed with -L).
    case io(path: [UInt8], errno: Int32)
    /// With -L, `path` leads back to the directory `ancestor` it is inside of; not descended.
    case symlinkLoop(path: [UInt8], ancestor: [UInt8])
    /// `-t`/`-T`/`include:` named a type that is not defined.
    case unknownFileType(String)
    /// `--type-add` text that is not `name:glob` or `name:include:a,b`.
    case invalidTypeDefinition(String)
    /// A `-g`/`--iglob`/type glob that does not parse (ends the command, as rg).
    case invalidGlob(glob: String, reason: GlobSyntaxError)
    /// A line of the ignore file `path` whose glob does not parse: left out, the walk goes on.
    case malformedIgnoreLine(path: [UInt8], line: Int, glob: String, reason: GlobSyntaxError)

    public var description: String {
        switch self {
        case .io(let path, let code):
            return "\(printable(path)): \(String(cString: strerror(code)))"
        case .symlinkLoop(let path, let ancestor):
            return "File system loop found: \(printable(path)) points to an ancestor \(printable(ancestor))"
        case .unknownFileType(let name):
            return "unrecognized file type: \(name)"
        case .invalidTypeDefinition(let text):
            return "invalid definition (format is type:glob, e.g., html:*.html): \(text)"
        case .invalidGlob(let glob, let reason):
            return reason.message(glob: glob)
        case .malformedIgnoreLine(let path, let line, let glob, let reason):
            return "\(printable(path)): line \(line): " + reason.message(glob: glob)
        }
    }

    /// A problem reported and worked around, which leaves the exit status alone (rg's 0
    /// after a malformed ignore-file line).
    public var isWarning: Bool {
        if case .malformedIgnoreLine = self { return true }
        return false
    }

    /// The path the error is about, when it is about one.
    public var path: [UInt8]? {
        switch self {
        case .io(let path, _), .symlinkLoop(let path, _): return path
        default: return nil
        }
    }
}

/// Paths in messages: invalid UTF-8 becomes U+FFFD (messages are text; entries stay bytes).
func printable(_ path: [UInt8]) -> String { String(decoding: path, as: UTF8.self) }
