import Foundation
import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOPosix

/// bcrypt on a small pool of its own threads, so that a flood of logins queues there instead of
/// taking the cooperative pool (and with it every other request's latency).
///
/// One process-wide pool: half the processor count, at least one thread. On a 2-core machine a
/// cost-12 hash (about 0.25 s) then runs on one thread while the other serves the pages.
enum PasswordHasher {
    /// Threads of the pool: half the active processors, at least one (design choice, tested by
    /// `LoginFloodTests`).
    static let threadCount = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)

    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threadCount)
        pool.start()
        return pool
    }()

    /// Whether `password` matches the bcrypt `hash`, computed on the hashing pool.
    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A new bcrypt hash of `password` at `cost`, computed on the hashing pool.
    static func hash(_ password: String, cost: UInt8) async throws -> String {
        try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    private static let standIns = NIOLockedValueBox<[UInt8: String]>([:])

    /// A hash of no one's password at `cost`: checked when the username does not exist, so that an
    /// unknown user costs as much time as a known one (made once per cost, on the pool).
    static func standInHash(cost: UInt8) async throws -> String {
        if let hash = standIns.withLockedValue({ $0[cost] }) { return hash }
        let hash = try await self.hash(LoginTokens.random(), cost: cost)
        return standIns.withLockedValue { table in
            if let existing = table[cost] { return existing }
            table[cost] = hash
            return hash
        }
    }
}
