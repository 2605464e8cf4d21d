#if canImport(Glibc)
import Glibc
#endif
import Platform
import XCTest

final class FileStatusTests: XCTestCase {
    private var directory: [UInt8] = []

    override func setUpWithError() throws {
        var template = Array("/tmp/platform-tests-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw XCTSkip("mkdtemp failed") }
        directory = template.dropLast().map { UInt8(bitPattern: $0) }
    }

    override func tearDown() {
        _ = (directory + Array("/link".utf8)).withCPath { unlink($0) }
        _ = (directory + Array("/file".utf8)).withCPath { unlink($0) }
        _ = directory.withCPath { rmdir($0) }
    }

    func testStatFollowsASymlinkAndLstatDoesNot() throws {
        let file = directory + Array("/file".utf8)
        let fd = file.withCPath { open($0, O_CREAT | O_WRONLY, 0o644) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = write(fd, "12345", 5)
        close(fd)
        let link = directory + Array("/link".utf8)
        XCTAssertEqual(link.withCPath { target in file.withCPath { symlink($0, target) } }, 0)

        XCTAssertEqual(link.fileStatus()?.st_size, 5)
        XCTAssertEqual(link.fileStatus(followingSymlinks: false).map { $0.st_mode & S_IFMT }, S_IFLNK)
    }

    func testMissingPathGivesNilAndSetsErrno() {
        XCTAssertNil((directory + Array("/missing".utf8)).fileStatus())
        XCTAssertEqual(errno, ENOENT)
    }

    func testSliceAndEmptyPathsAreNulTerminated() {
        let bytes = Array("xx/tmp".utf8)
        XCTAssertEqual(bytes[2...].withCPath { String(cString: $0) }, "/tmp")
        XCTAssertEqual([UInt8]().withCPath { strlen($0) }, 0)
    }
}
