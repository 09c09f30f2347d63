import Foundation
import PostgresNIO

/// Statements on the PostgreSQL store's connection, run synchronously: each waits for its
/// `EventLoopFuture` on the calling thread. The store's callers are never on an event loop (the
/// protocol is synchronous and async code reaches it through `SessionStore.run`, a dispatch
/// thread), so the wait blocks only that thread while the event loop does the I/O.
struct PostgresSQL {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and collects its rows.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try connection.query(query, logger: logger).wait()
    }

    /// The rows of a query, each readable by column name.
    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try execute(query).rows.map { $0.makeRandomAccess() }
    }

    /// The first row of a query, or nil.
    func row(_ query: PostgresQuery) throws -> PostgresRandomAccessRow? {
        try execute(query).rows.first.map { $0.makeRandomAccess() }
    }

    /// The first column of the first row, or nil without a row (a NULL cell needs an optional `T`).
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> T? {
        try execute(query).rows.first.map { try $0.decode(T.self) }
    }

    /// The first column of every row.
    func values<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> [T] {
        try execute(query).rows.map { try $0.decode(T.self) }
    }

    /// Whether the query returns a row.
    func exists(_ query: PostgresQuery) throws -> Bool {
        try !execute(query).rows.isEmpty
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. A read
    /// sees one snapshot (`REPEATABLE READ`, as a GRDB read does); a write runs at PostgreSQL's
    /// default `READ COMMITTED` and orders itself with row locks and advisory locks where a check
    /// must hold until the commit.
    func transaction<T>(readOnly: Bool, _ body: (PostgresSQL) throws -> T) throws -> T {
        try execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
        let result: T
        do {
            result = try body(self)
        } catch {
            do {
                try execute("ROLLBACK")
            } catch {
                // A connection that cannot roll back is in an unknown state: closed, so the store opens a new one.
                let closed: EventLoopFuture<Void> = connection.close()
                closed.whenComplete { [connection] _ in withExtendedLifetime(connection) {} }
            }
            throw error
        }
        try execute("COMMIT")
        return result
    }

    /// A time as the store keeps it: whole milliseconds, as SQLite's store does (GRDB's
    /// "yyyy-MM-dd HH:mm:ss.SSS"), so that both stores compare and return the same times.
    static func stored(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// `stored(_:)` of an optional time.
    static func stored(_ date: Date?) -> Date? { date.map { stored($0) } }
}

extension PostgresRandomAccessRow {
    /// The value of a column (a NULL cell needs an optional `T`).
    func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}
