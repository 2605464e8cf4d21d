import Foundation
import Manifest
import XCTest

/// `ManifestPlace`: a manifest's paths made relative to the audited DIR however DIR and the
/// paths are spelled.
final class ManifestPlaceTests: XCTestCase {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testNormalizedDropsEmptyDotAndDotDotComponents() {
        XCTAssertEqual(ManifestPlace.normalized(bytes("/tmp//d/./x/../y")), bytes("/tmp/d/y"))
        XCTAssertEqual(ManifestPlace.normalized(bytes("/..")), bytes("/"))
    }

    func testRelativeDropsDirAsGivenInEitherSpelling() {
        let place = ManifestPlace(directory: "some/dir")
        XCTAssertEqual(place.relative(bytes("some/dir/a.txt")), bytes("a.txt"))
        XCTAssertEqual(place.relative(bytes("./some/dir/./a.txt")), bytes("a.txt"))
        XCTAssertEqual(place.relative(bytes("sub/a.txt")), bytes("sub/a.txt"), "a manifest made inside DIR")
        XCTAssertEqual(place.relativeToWalk(bytes("some/dir/sub/a.txt")), bytes("sub/a.txt"))
    }

    func testAbsolutePathInsideTheResolvedDirIsRelativeThoughDirIsSpelledOtherwise() throws {
        let temporary = FileManager.default.temporaryDirectory.path
        let directory = temporary + "/manifest-place-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let place = ManifestPlace(directory: temporary + "/./manifest-place-\(getpid())")
        let resolved = try XCTUnwrap(place.resolved)
        XCTAssertEqual(place.relative(resolved + bytes("x/../a.txt")), bytes("a.txt"))
        XCTAssertEqual(place.relative(bytes("/elsewhere/a.txt")), bytes("/elsewhere/a.txt"), "outside DIR: kept")
    }

    func testADirectoryNamedInBytesThatAreNotUTF8IsResolvedToThoseBytes() throws {
        let parent = FileManager.default.temporaryDirectory.path + "/manifest-place-bytes-\(getpid())"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let name: [UInt8] = [UInt8(ascii: "d"), 0xFF, 0xFE]
        let directory = bytes(parent) + [UInt8(ascii: "/")] + name
        XCTAssertEqual((directory + [0]).withUnsafeBufferPointer {
            mkdir(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), 0o755)
        }, 0)
        // The directory reached through a symlink with a UTF-8 name: realpath yields the raw bytes.
        XCTAssertEqual((directory + [0]).withUnsafeBufferPointer {
            symlink(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), parent + "/link")
        }, 0)
        let place = ManifestPlace(directory: parent + "/link")
        let resolved = try XCTUnwrap(place.resolved)
        XCTAssertTrue(resolved.starts(with: bytes("/")), "absolute")
        XCTAssertEqual(Array(resolved.suffix(name.count + 1)), name + [UInt8(ascii: "/")])
    }
}
