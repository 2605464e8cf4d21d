import Foundation

/// `Fixtures/` of the package, found from this source file: read in place, never changed.
let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").path

/// The lines of `Fixtures/<fixture>`, without their terminators.
func fixtureLines(_ fixture: String) throws -> [[UInt8]] {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + fixture)))
    return bytes.split(separator: 10).map(Array.init)
}
