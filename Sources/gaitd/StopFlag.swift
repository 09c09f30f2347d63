import Foundation

/// A flag set once from any thread (graceful shutdown) and polled by blocking work on a dedicated
/// thread (the reader loop of an import), which stops at its next block.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    /// Asks the work to stop.
    func stop() { lock.withLock { stopped = true } }

    /// Whether the work was asked to stop.
    var isStopped: Bool { lock.withLock { stopped } }
}
