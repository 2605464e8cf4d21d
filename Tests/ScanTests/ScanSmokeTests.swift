import XCTest
@testable import Scan

final class ScanSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
