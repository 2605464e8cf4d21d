import Foundation
import XCTest

extension TrawlTestCase {
    /// `Fixtures/` of the package, found from this source file: the trees are read where
    /// they are committed, not bundled as resources.
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    /// Copies `Fixtures/<fixture>` (a file or a whole tree) to `relative` under the test's
    /// root (default: the fixture's own path), parents created: tests change their copy,
    /// never the committed tree.
    func copyFixture(_ fixture: String, to relative: String? = nil) throws {
        let target = root + "/" + (relative ?? fixture)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/" + fixture, toPath: target)
    }

    /// The bytes of `Fixtures/<fixture>`, read in place (for a test that only reads it).
    func fixtureBytes(_ fixture: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + fixture)))
    }
}
