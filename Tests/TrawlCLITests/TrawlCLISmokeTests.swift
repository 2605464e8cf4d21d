import XCTest
@testable import TrawlCLI

final class TrawlCLISmokeTests: XCTestCase {
    func testModuleLinks() {}
}
