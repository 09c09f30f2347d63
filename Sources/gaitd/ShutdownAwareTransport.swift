import ClipSync
import ClipUSB
import Foundation

/// A clip connection that refuses to start a new request once gaitd is shutting down, so that a
/// sync in flight stops at the next request boundary: what was committed stays committed, the
/// session being downloaded stays a `.partial` file that the next sync resumes, and nothing not
/// stored is acknowledged. A transfer already under way completes (or times out) first.
final class ShutdownAwareTransport: ClipHostTransport {
    let connection: ClipConnection
    let shutdown: ShutdownFlag

    init(connection: ClipConnection, shutdown: ShutdownFlag) {
        self.connection = connection
        self.shutdown = shutdown
    }

    func write(_ bytes: [UInt8], timeoutMs: Int) throws -> Int {
        if shutdown.isSet { throw ShuttingDown() }
        return try connection.write(bytes, timeoutMs: timeoutMs)
    }

    func read(maxLength: Int, timeoutMs: Int) throws -> [UInt8] {
        try connection.read(maxLength: maxLength, timeoutMs: timeoutMs)
    }

    func clearHalt(endpoint: UInt8) throws {
        try connection.clearHalt(endpoint: endpoint)
    }

    func classify(_ error: any Error) -> TransportFailure {
        error is ShuttingDown ? .other : connection.classify(error)
    }

    /// The error that ends a sync at shutdown.
    struct ShuttingDown: Error, CustomStringConvertible {
        var description: String { "gaitd is shutting down" }
    }
}

/// Set once when gaitd starts shutting down; read from the sync threads.
final class ShutdownFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}
