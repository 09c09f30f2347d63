import Foundation

/// A dedicated thread that runs blocking libusb calls one after another, so that they never
/// block Swift's cooperative thread pool. `run(_:)` suspends the caller until its call is done.
final class BlockingCallThread: Sendable {
    private let queue = JobQueue()

    /// Starts the thread; `name` shows in debuggers and crash reports.
    init(name: String) {
        let queue = self.queue
        let thread = Thread { queue.runUntilStopped() }
        thread.name = name
        thread.start()
    }

    deinit {
        queue.stop()
    }

    /// Runs `body` on the thread and returns its result (or rethrows its error).
    func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, Error>) in
            let accepted = queue.enqueue {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            if !accepted { continuation.resume(throwing: CancellationError()) }
        }
    }

    /// Lets queued calls finish, then ends the thread. Later `run` calls throw `CancellationError`.
    func stop() {
        queue.stop()
    }
}

/// The jobs of one `BlockingCallThread`; the thread holds it, so it outlives its owner.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if stopping { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    func runUntilStopped() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
