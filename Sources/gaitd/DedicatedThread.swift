import Foundation

/// Runs blocking work (libusb transfers, file I/O, analysis) on a thread of its own, so that it
/// never blocks Swift's cooperative thread pool.
enum DedicatedThread {
    /// Runs `body` on a new thread named `name` and returns its result.
    static func run<Result: Sendable>(name: String, _ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }

    /// Runs the throwing `body` on a new thread named `name`; rethrows its error.
    static func run<Value: Sendable>(name: String, _ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        let result: Result<Value, any Error> = await run(name: name) { Result { try body() } }
        return try result.get()
    }
}
