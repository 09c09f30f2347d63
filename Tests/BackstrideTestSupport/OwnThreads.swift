import Foundation
import Testing

/// Runs a suite's tests on threads of their own instead of Swift's cooperative pool.
///
/// The cooperative pool has one thread per core: two on CI. A test that blocks (it waits for a
/// child process, polls a file with `Thread.sleep`, drives the browser over a blocking socket)
/// holds one of them for as long as it blocks, and two such tests stall every other test of the
/// run, including servers' clients that then miss their own time bounds. Under this trait a
/// suite's tests (child tasks inherit the preference) run on `ThreadPerJobExecutor`, so their
/// blocking holds only their own thread. Task-locals are untouched: expectations are still
/// recorded against the right test.
public struct OwnThreadsTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OwnThreadsTrait {
    /// The suite's tests block (child processes, polling, sockets): run them off the cooperative pool.
    public static var ownThreads: Self { Self() }
}

/// A task executor that runs each job on a new thread: a job that blocks holds only that thread.
/// Thread creation costs tens of microseconds, nothing beside a test that starts a process.
public final class ThreadPerJobExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = ThreadPerJobExecutor()

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.name = "test (own thread)"
        // Tests recurse through JSON, HTML and analysis code: the main thread's stack size.
        thread.stackSize = 8 << 20
        thread.start()
    }
}
