import Platform
import Synchronization
import XCTest

final class ThreadLocalSlotTests: XCTestCase {
    func testEachThreadSeesItsOwnValue() throws {
        let slot = ThreadLocalSlot()
        let mine = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        defer { mine.deallocate() }
        slot.value = mine
        let otherSaw = Mutex<Bool>(false)
        let thread = try NamedThread(name: "test-slot") { otherSaw.withLock { $0 = slot.value == nil } }
        thread.join()
        XCTAssertTrue(otherSaw.withLock { $0 }, "a new thread starts with no value")
        XCTAssertEqual(slot.value, mine)
        slot.value = nil
    }

    func testThreadBufferIsStableOnAThreadAndDistinctAcrossThreads() throws {
        let buffer = ThreadBuffer(byteCount: 4096)
        let here = buffer.pointer
        XCTAssertEqual(buffer.pointer, here)
        let there = Mutex<UInt>(0)
        let thread = try NamedThread(name: "test-buffer") {
            let pointer = buffer.pointer
            pointer.storeBytes(of: 7, as: UInt8.self)
            there.withLock { $0 = UInt(bitPattern: pointer) }
        }
        thread.join()
        XCTAssertNotEqual(there.withLock { $0 }, UInt(bitPattern: here))
    }
}
