import XCTest
@testable import Digest

final class DigestSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
