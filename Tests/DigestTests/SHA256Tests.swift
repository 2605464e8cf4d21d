import XCTest
import CDigest
@testable import Digest

final class SHA256Tests: XCTestCase {
    func testEmptyInputMatchesFIPS() {
        XCTAssertEqual(hexDigest(SHA256.self, ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testAbcMatchesFIPS() {
        XCTAssertEqual(hexDigest(SHA256.self, "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testTwoBlockMessageMatchesFIPS() {
        XCTAssertEqual(hexDigest(SHA256.self, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testMillionAMatchesFIPS() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(hexDigest(SHA256(kernel: .portable), input),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        XCTAssertEqual(hexDigest(SHA256(), input), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testCAVPShortMessagesMatch() {
        XCTAssertEqual(hexDigest(SHA256(), [0xd3]), "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1")
        XCTAssertEqual(hexDigest(SHA256(), [0x11, 0xaf]), "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98")
    }

    func testPortableKernelMatchesFIPS() {
        XCTAssertEqual(hexDigest(SHA256(kernel: .portable), Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testSHAExtensionsMatchPortableOnManyInputs() throws {
        try XCTSkipUnless(trawl_cpu_has_sha_ni() != 0, "CPU without SHA extensions")
        let data = pseudoRandomBytes(count: 70_000)
        for length in Array(0...300) + boundaryLengths.filter({ $0 <= data.count }) + [69_999, 70_000] {
            let input = Array(data[0..<length])
            XCTAssertEqual(hexDigest(SHA256(kernel: .shaExtensions), input), hexDigest(SHA256(kernel: .portable), input),
                           "length \(length)")
        }
    }

    func testAutomaticKernelUsesSHAExtensionsWhenPresent() {
        XCTAssertEqual(SHA256().kernel == .shaExtensions, trawl_cpu_has_sha_ni() != 0)
    }
}
