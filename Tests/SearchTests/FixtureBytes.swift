import Foundation

/// `Fixtures/` of the package, found from this source file: the inputs are read where they
/// are committed, not bundled as resources.
let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path

/// The bytes of `Fixtures/<fixture>`, read in place (searches never change their input).
func fixtureBytes(_ fixture: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + fixture)))
}
