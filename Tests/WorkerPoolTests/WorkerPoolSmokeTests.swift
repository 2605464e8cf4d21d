import XCTest
@testable import WorkerPool

final class WorkerPoolSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
