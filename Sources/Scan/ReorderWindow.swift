import Platform
import Walk

/// The bound on files between the sorted walk and the consumer, reorder buffer included.
/// It numbers the files in walk order and remembers the last `capacity` of them, so the
/// consumer can name the file a full window waits for.
///
/// Lock discipline: `inside`, `entered`, `recent` and `stopped` are guarded by `lock`,
/// whose condition signals a change.
@usableFromInline
final class ReorderWindow: @unchecked Sendable {
    private let lock = ConditionLock()
    /// Files entered and not yet left.
    private var inside = 0
    /// Files entered so far: the next file's number.
    private var entered = 0
    /// The entry numbered `n` at `n % capacity`, grown up to `capacity` as files come.
    private var recent: [WalkEntry] = []
    private var stopped = false
    @usableFromInline let capacity: Int

    @usableFromInline
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Takes a slot for `entry` and returns its number, waiting while the window is full;
    /// nil once stopped.
    @usableFromInline
    func enter(_ entry: WalkEntry) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        while inside >= capacity && !stopped { lock.wait() }
        return stopped ? nil : admitLocked(entry)
    }

    /// `enter` without waiting: nil when the window is full or stopped.
    @usableFromInline
    func tryEnter(_ entry: WalkEntry) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        return stopped || inside >= capacity ? nil : admitLocked(entry)
    }

    private func admitLocked(_ entry: WalkEntry) -> Int {
        let number = entered
        if recent.count < capacity { recent.append(entry) } else { recent[number % capacity] = entry }
        entered += 1
        inside += 1
        return number
    }

    @usableFromInline
    func leave(_ count: Int) {
        guard count > 0 else { return }
        lock.lock()
        let wasFull = inside >= capacity
        inside -= count
        if wasFull { lock.signal() }
        lock.unlock()
    }

    /// When the window is full and the consumer waits for file `next` (every file before
    /// it has left): that file and how many were walked after it. Nil otherwise.
    @usableFromInline
    func stall(next: Int) -> ScanStall? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, inside >= capacity, next < entered, entered - next <= recent.count else { return nil }
        return ScanStall(entry: recent[next % capacity], filesHeld: entered - next - 1)
    }

    @usableFromInline
    func stop() {
        lock.lock()
        stopped = true
        lock.broadcast()
        lock.unlock()
    }
}
