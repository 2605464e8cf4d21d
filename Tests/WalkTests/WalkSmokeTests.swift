import XCTest
@testable import Walk

final class WalkSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
