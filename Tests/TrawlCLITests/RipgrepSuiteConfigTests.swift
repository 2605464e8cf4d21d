import XCTest

/// ripgrep 15's config file case (tests/feature.rs f196_persistent_config).
final class RipgrepSuiteConfigTests: TrawlTestCase {
    func testF196PersistentConfig() throws {
        try write("sherlock", RipgrepHay.sherlock)
        XCTAssertEqual(try rgCase(["sherlock", "sherlock"]).status, 1)
        try write(".ripgreprc", "--ignore-case")
        let result = try rgCase(["sherlock", "sherlock"], environment: ["RIPGREP_CONFIG_PATH": ".ripgreprc"])
        XCTAssertEqual(result.out, """
            For the Doctor Watsons of this world, as opposed to the Sherlock
            be, to a very large extent, the result of luck. Sherlock Holmes

            """, result.err)
    }
}
