import Foundation

extension TestTree {
    /// `Fixtures/` of the package, found from this source file: the trees are read where
    /// they are committed, not bundled as resources.
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    /// Copies `Fixtures/<fixture>` (a file or a whole tree) to `relative` in this tree,
    /// parents created: tests change their copy (`git init` it), never the committed tree.
    func copyFixture(_ fixture: String, to relative: String) throws {
        let target = "\(root)/\(relative)"
        directory((relative as NSString).deletingLastPathComponent)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/" + fixture, toPath: target)
    }

    /// The bytes of a fixture file, read in place.
    static func fixtureBytes(_ fixture: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + fixture)))
    }
}
