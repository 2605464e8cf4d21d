#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Platform
import Synchronization
import XCTest

final class NamedThreadTests: XCTestCase {
    func testThreadCarriesItsNameAndRunsItsBody() throws {
        let name = Mutex<String>("")
        let thread = try NamedThread(name: "trawl-test-name") {
            name.withLock { $0 = currentThreadName() }
        }
        thread.join()
        XCTAssertEqual(name.withLock { $0 }, "trawl-test-name")
    }

    func testNameLongerThanLinuxKeepsIsCutTo15Bytes() throws {
        let name = Mutex<String>("")
        let thread = try NamedThread(name: "trawl-a-very-long-thread-name") {
            name.withLock { $0 = currentThreadName() }
        }
        thread.join()
        XCTAssertEqual(name.withLock { $0 }, "trawl-a-very-lo")
    }

    func testIsCurrentOnlyOnTheThreadItself() throws {
        let seen = Mutex<Bool?>(nil)
        let holder = Mutex<NamedThread?>(nil)
        let started = Atomic<Bool>(false)
        let thread = try NamedThread(name: "test-current") {
            while !started.load(ordering: .acquiring) { sched_yield() }
            seen.withLock { $0 = holder.withLock { $0 }?.isCurrent }
        }
        holder.withLock { $0 = thread }
        started.store(true, ordering: .releasing)
        thread.join()
        XCTAssertEqual(seen.withLock { $0 }, true)
        XCTAssertFalse(thread.isCurrent)
    }
}

/// The calling thread's name as the kernel keeps it (pthread_getname_np needs _GNU_SOURCE).
private func currentThreadName() -> String {
    let fd = open("/proc/thread-self/comm", O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = read(fd, &buffer, buffer.count)
    guard count > 0 else { return "" }
    return String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .newlines)
}
