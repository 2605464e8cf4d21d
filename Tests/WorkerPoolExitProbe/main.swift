// Exits with pool work queued or running, as CPython's test_shutdown runs a child
// interpreter: the exit hook must finish the work (or refuse new work) before the process ends.
// Usage: WorkerPoolExitProbe <scenario>; WorkerPoolTests.CPythonShutdownTests runs it.
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import WorkerPool

func say(_ text: String) {
    print(text)
    fflush(stdout)
}

@Sendable func sleepAndPrint(_ seconds: Double, _ message: String) {
    usleep(UInt32(seconds * 1_000_000))
    say(message)
}

/// The pool the atexit handler of `submit-after-exit` submits to.
nonisolated(unsafe) var lastPool: ThreadPoolExecutor?

let scenario = CommandLine.arguments.dropFirst().first ?? ""
switch scenario {
case "interpreter-shutdown":
    // test_interpreter_shutdown: the work outlives the main code; exit waits for it.
    let pool = ThreadPoolExecutor(maxWorkers: 5)
    _ = try pool.submit { sleepAndPrint(1.0, "apple") }
case "submit-after-exit":
    // test_submit_after_interpreter_shutdown: an atexit handler that runs after the pools'
    // exit hook cannot schedule new work.
    atexit {
        do {
            _ = try lastPool!.submit { 0 }
        } catch {
            say("runtime-error")
            fputs("\(error)\n", stderr)
        }
    }
    lastPool = ThreadPoolExecutor(maxWorkers: 5)
case "shutdown-no-wait":
    // test_hang_gh83386: shutdown(wait: false) still lets the running work finish at exit.
    let pool = ThreadPoolExecutor(maxWorkers: 3)
    _ = try pool.submit { sleepAndPrint(1.0, "apple") }
    pool.shutdown(wait: false)
case "cancel-futures-wait-false":
    // test_cancel_futures_wait_false: abandoned work may or may not print; exit never hangs.
    let pool = ThreadPoolExecutor()
    _ = try pool.submit { sleepAndPrint(0.1, "apple") }
    pool.shutdown(wait: false, cancelPending: true)
case "queued-work-finishes":
    // Beyond CPython's tests: everything queued (not only what runs) finishes at exit.
    let pool = ThreadPoolExecutor(maxWorkers: 2)
    for index in 0..<6 { _ = try pool.submit { sleepAndPrint(0.05, "task \(index)") } }
default:
    fputs("WorkerPoolExitProbe: unknown scenario '\(scenario)'\n", stderr)
    exit(2)
}
