import CShims
import XCTest

/// The AVX2 substring search behind `trawl_memmem` must agree with glibc's memmem.
final class MemmemTests: XCTestCase {
    private func both(_ haystack: [UInt8], _ needle: [UInt8]) -> (Int?, Int?) {
        haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                let fast = trawl_memmem(h.baseAddress, h.count, n.baseAddress, n.count)
                let portable = trawl_memmem_portable(h.baseAddress, h.count, n.baseAddress, n.count)
                return (fast.map { h.baseAddress!.distance(to: $0) }, portable.map { h.baseAddress!.distance(to: $0) })
            }
        }
    }

    func testAcceleratedAndPortableAgreeOnRandomInputs() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<3000 {
            let alphabet = UInt8(2 + round % 6)
            let length = Int.random(in: 0..<300, using: &generator)
            var haystack = (0..<length).map { _ in UInt8.random(in: 0..<alphabet, using: &generator) + 97 }
            let needleLength = Int.random(in: 2..<12, using: &generator)
            let needle = (0..<needleLength).map { _ in UInt8.random(in: 0..<alphabet, using: &generator) + 97 }
            if round % 3 == 0, haystack.count > needleLength {
                let at = Int.random(in: 0...(haystack.count - needleLength), using: &generator)
                haystack.replaceSubrange(at..<(at + needleLength), with: needle)
            }
            let (fast, portable) = both(haystack, needle)
            XCTAssertEqual(fast, portable, "haystack \(haystack) needle \(needle)")
        }
    }

    func testMatchesAtEveryPositionNearBlockEdges() {
        let needle = Array("PM_RESUME".utf8)
        for position in 0..<100 {
            var haystack = [UInt8](repeating: UInt8(ascii: "x"), count: 140)
            haystack.replaceSubrange(position..<(position + needle.count), with: needle)
            XCTAssertEqual(both(haystack, needle).0, position)
        }
        XCTAssertNil(both([UInt8](repeating: 65, count: 200), needle).0)
    }

    func testRarestBytesAnywhereInTheNeedleAgreeWithThePortablePath() {
        // The accelerated path compares the needle's two rarest bytes (by source-text
        // frequency) at their offsets: mix common and rare bytes, repeats and high bytes.
        let alphabet: [UInt8] = [UInt8(ascii: "_"), UInt8(ascii: "E"), UInt8(ascii: " "), UInt8(ascii: "Q"), 0x7F, 0xE9]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<3000 {
            let letters = alphabet.prefix(2 + round % (alphabet.count - 1))
            let length = Int.random(in: 0..<300, using: &generator)
            var haystack = (0..<length).map { _ in letters.randomElement(using: &generator)! }
            let needle = (0..<Int.random(in: 2..<12, using: &generator)).map { _ in letters.randomElement(using: &generator)! }
            if round % 2 == 0, haystack.count > needle.count {
                let at = Int.random(in: 0...(haystack.count - needle.count), using: &generator)
                haystack.replaceSubrange(at..<(at + needle.count), with: needle)
            }
            let (fast, portable) = both(haystack, needle)
            XCTAssertEqual(fast, portable, "haystack \(haystack) needle \(needle)")
        }
        XCTAssertEqual(both(Array(("x" + String(repeating: "_", count: 80) + "_RESUME").utf8), Array("_RESUME".utf8)).0, 81)
        XCTAssertEqual(both(Array((String(repeating: "a", count: 70) + "aaaa").utf8), Array("aaaa".utf8)).0, 0)
    }
}
