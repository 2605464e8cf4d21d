#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import XCTest

/// A temporary directory for one test, removed by `remove()`.
struct TemporaryTree {
    let path: String

    /// tmpfs when there is one: creating 30,000 files took 24 s on this VM's ext4 (with
    /// other builds running) against 1.2 s in /dev/shm.
    static let scratchRoot: String = {
        if access("/dev/shm", W_OK) == 0 { return "/dev/shm/" }
        return NSTemporaryDirectory()
    }()

    init(_ label: String) {
        var template = Array((Self.scratchRoot + "trawl-\(label)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = made.map { String(cString: $0) } ?? Self.scratchRoot + "trawl-\(label)-\(UUID().uuidString)"
        if made == nil { mkdir(path, 0o755) }
    }

    /// Removes the tree with `rm -rf`, which (unlike FileManager) copes with paths longer
    /// than PATH_MAX and folders left unreadable.
    func remove() {
        _ = try? ChildProcess.runTool(["/bin/rm", "-rf", path])
    }

    /// Writes `contents` at `relative` (folders made as needed) with open/write: fast
    /// enough for 50,000 files.
    @discardableResult
    func write(_ relative: String, _ contents: [UInt8]) -> String {
        let full = path + "/" + relative
        if let slash = relative.lastIndex(of: "/") {
            makeDirectories(path + "/" + relative[..<slash])
        }
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(fd >= 0, "cannot create \(full): \(String(cString: strerror(errno)))")
        contents.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                precondition(written > 0)
                offset += written
            }
        }
        close(fd)
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String { write(relative, Array(text.utf8)) }

    func makeDirectories(_ full: String) {
        if mkdir(full, 0o755) == 0 || errno == EEXIST { return }
        if let slash = full.lastIndex(of: "/") {
            makeDirectories(String(full[..<slash]))
            mkdir(full, 0o755)
        }
    }
}

/// Checks that grep output in `path:line:text` form consists of whole lines, each one a
/// line the full run prints, none twice.
func assertWholeLines(_ output: [UInt8], allowed: Set<String>, file: StaticString = #filePath, line: UInt = #line) {
    if let last = output.last {
        XCTAssertEqual(last, 10, "output ends in the middle of a line", file: file, line: line)
    }
    var seen = Set<String>()
    for piece in output.split(separator: 10) {
        let text = String(decoding: piece, as: UTF8.self)
        XCTAssertTrue(allowed.contains(text), "not a line of the full output: \(text.prefix(200))", file: file, line: line)
        XCTAssertTrue(seen.insert(text).inserted, "printed twice: \(text)", file: file, line: line)
    }
}

/// A generated tree of many small files, made once per test process and removed at exit:
/// `d000/f00000.txt` ... in `directories` folders of `perDirectory` files. File `i` holds
/// `alpha i`, `needle i one`, `beta`, `needle i two`, then `padding` lines of filler.
struct BigTree: Sendable {
    let path: String
    let files: Int
    let directories: Int

    static let shared = BigTree(directories: 100, perDirectory: 300)

    init(directories: Int, perDirectory: Int) {
        let tree = TemporaryTree("big")
        self.path = tree.path
        self.files = directories * perDirectory
        self.directories = directories
        for d in 0..<directories {
            tree.makeDirectories(tree.path + "/" + Self.directoryName(d))
            for f in 0..<perDirectory {
                let i = d * perDirectory + f
                tree.write(Self.relativePath(i, perDirectory: perDirectory), Self.contents(i))
            }
        }
        BigTree.removeAtExit(path)
    }

    static func directoryName(_ d: Int) -> String { "d" + pad(d, 3) }
    static func relativePath(_ i: Int, perDirectory: Int) -> String {
        directoryName(i / perDirectory) + "/f" + pad(i, 5) + ".txt"
    }
    static func contents(_ i: Int) -> String { "alpha \(i)\nneedle \(i) one\nbeta\nneedle \(i) two\n" }

    /// The lines `trawl grep -n needle ROOT` prints for the whole tree, `ROOT/...:2:needle i one`.
    func grepLines(root: String) -> Set<String> {
        var lines = Set<String>()
        let perDirectory = files / directories
        for i in 0..<files {
            let file = root + "/" + Self.relativePath(i, perDirectory: perDirectory)
            lines.insert("\(file):2:needle \(i) one")
            lines.insert("\(file):4:needle \(i) two")
        }
        return lines
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func removeAtExit(_ path: String) {
        removalLock.lock()
        pathsToRemove.append(path)
        removalLock.unlock()
        atexit {
            removalLock.lock()
            for path in pathsToRemove { _ = try? FileManager.default.removeItem(atPath: path) }
            pathsToRemove = []
            removalLock.unlock()
        }
    }
}

private let removalLock = NSLock()
// Guarded by removalLock.
nonisolated(unsafe) private var pathsToRemove: [String] = []
