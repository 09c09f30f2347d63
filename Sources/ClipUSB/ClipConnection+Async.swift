/// The async face of `ClipConnection`: each call runs the blocking libusb transfer on the
/// connection's own thread, never on Swift's cooperative pool.
extension ClipConnection {
    /// `write(_:timeoutMs:)` on the connection's thread.
    @discardableResult
    public func write(_ bytes: [UInt8], timeoutMs: Int) async throws -> Int {
        try await worker.run { try self.write(bytes, timeoutMs: timeoutMs) }
    }

    /// `read(maxLength:timeoutMs:)` on the connection's thread.
    public func read(maxLength: Int, timeoutMs: Int) async throws -> [UInt8] {
        try await worker.run { try self.read(maxLength: maxLength, timeoutMs: timeoutMs) }
    }

    /// `clearHalt(endpoint:)` on the connection's thread.
    public func clearHalt(endpoint: UInt8) async throws {
        try await worker.run { try self.clearHalt(endpoint: endpoint) }
    }

    /// `reset()` on the connection's thread.
    public func reset() async throws {
        try await worker.run { try self.reset() }
    }
}
