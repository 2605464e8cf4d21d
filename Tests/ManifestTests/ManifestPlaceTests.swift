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
}
