import Dispatch
import Foundation
import GaitDSP
import GaitInference
import NIOConcurrencyHelpers
import PostgresNIO

/// The clinic's session store: a PostgreSQL database through postgres-nio, migrated on open with
/// `PostgresSchema` and holding what `SQLiteSessionStore` holds, with the same behaviour behind
/// the `SessionStore` protocol (one contract test suite runs against both).
///
/// **A few connections, each guarded by a lock.** Every method takes a free connection (waiting
/// for one when all are busy), runs its statements on it (a transaction, like GRDB's `read` and
/// `write`) and waits for each on the calling thread; the protocol is synchronous and its async
/// callers go through `SessionStore.run`, so no event loop and no cooperative thread is blocked.
/// `connectionCount` connections (default 4) let a clinic's concurrent page requests overlap
/// their round trips instead of queueing behind one connection (50 physiotherapists at once: see
/// scripts/bench-clinic.sh). A connection that fails is replaced on its next use. Transactions on
/// different connections, like other servers or processes sharing the database, are ordered by
/// PostgreSQL itself: inserts take an advisory lock, so the idempotency check holds until the
/// commit, and writes that check a row first lock it (`FOR UPDATE`).
public final class PostgresSessionStore: SessionStore {
    /// Where the database is (its description leaves the password out).
    public let location: PostgresStoreLocation
    /// The connections, each opened on first use.
    private let connections: [NIOLockedValueBox<PostgresConnection?>]
    /// Indexes of the connections nobody holds; `freeCount` counts them for the threads that wait.
    private let freeConnections: NIOLockedValueBox<[Int]>
    private let freeCount: DispatchSemaphore
    private let logger = Logger(label: "backstride.session-store.postgres")

    /// Connections kept open at most. Design choice: 4 overlap the round trips of a clinic's
    /// concurrent requests on a 2-core server without PostgreSQL's own processes outnumbering the cores.
    public static let defaultConnectionCount = 4

    /// Connects to the database at `location` and applies the migrations it lacks; at most
    /// `connectionCount` connections are opened (one suffices, as for `gait` commands).
    public init(location: PostgresStoreLocation, connectionCount: Int = defaultConnectionCount) throws(SessionStoreError) {
        self.location = location
        let count = max(1, connectionCount)
        connections = (0..<count).map { _ in NIOLockedValueBox(nil) }
        freeConnections = NIOLockedValueBox(Array((0..<count).reversed()))
        freeCount = DispatchSemaphore(value: count)
        do {
            try withConnection { try PostgresSchema.migrate($0) }
        } catch {
            throw .cannotOpen(path: location.description, reason: Self.reason(error))
        }
    }

    /// Connects to the database a `postgres://` URL names (`PostgresStoreLocation`) and migrates it.
    public convenience init(url: String) throws(SessionStoreError) {
        try self.init(location: PostgresStoreLocation(url: url))
    }

    deinit {
        for box in connections {
            box.withLockedValue { connection in
                guard let open = connection else { return }
                let closed: EventLoopFuture<Void> = open.close()
                // The connection must outlive its closing (postgres-nio checks that it was closed before it goes).
                closed.whenComplete { _ in withExtendedLifetime(open) {} }
            }
        }
    }

    /// Closes the connections (a later call opens new ones).
    public func close() {
        for box in connections {
            box.withLockedValue { connection in
                let closed: EventLoopFuture<Void>? = connection?.close()
                // A close that fails leaves nothing to recover: the connection is dropped either way.
                try? closed?.wait()
                connection = nil
            }
        }
    }

    /// Names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try read("reading migrations") { try PostgresSchema.appliedMigrations($0) }
    }

    // MARK: - Connection and transactions

    /// Runs `body` with a free connection, waiting for one when all are busy, and opening it first
    /// when it is not open (yet, or any more).
    func withConnection<T>(_ body: (PostgresSQL) throws -> T) throws -> T {
        freeCount.wait()
        let index = freeConnections.withLockedValue { $0.removeLast() }
        defer {
            freeConnections.withLockedValue { $0.append(index) }
            freeCount.signal()
        }
        return try connections[index].withLockedValue { current in
            if current?.isClosed ?? true {
                current = try PostgresConnection.connect(
                    on: PostgresConnection.defaultEventLoopGroup.any(), configuration: try location.configuration(),
                    id: Self.connectionIDs.withLockedValue { $0 += 1; return $0 }, logger: logger
                ).wait()
            }
            return try body(PostgresSQL(connection: current!, logger: logger))
        }
    }

    private static let connectionIDs = NIOLockedValueBox(0)

    /// A read: one snapshot, named `operation` in errors.
    func read<T>(_ operation: String, _ body: (PostgresSQL) throws -> T) throws -> T {
        try wrap(operation) { try withConnection { try $0.transaction(readOnly: true, body) } }
    }

    /// Statements outside a transaction, named `operation` in errors: for a read of one statement
    /// (which sees one snapshot by itself), a write of one statement (atomic by itself), or reads
    /// whose results need not agree with each other. Saves BEGIN and COMMIT, two of a page
    /// request's round trips per store call.
    @discardableResult
    func statements<T>(_ operation: String, _ body: (PostgresSQL) throws -> T) throws -> T {
        try wrap(operation) { try withConnection { try body($0) } }
    }

    /// A write: one transaction, named `operation` in errors.
    @discardableResult
    func write<T>(_ operation: String, _ body: (PostgresSQL) throws -> T) throws -> T {
        try wrap(operation) { try withConnection { try $0.transaction(readOnly: false, body) } }
    }

    // MARK: - Reading

    public func revision() throws -> Int64 {
        try statements("reading the store's revision") { try $0.value("SELECT value FROM store_revision WHERE id = 1", as: Int64.self) ?? 0 }
    }

    public func runnerRevisions(_ runnerIDs: [Int64]) throws -> [Int64: Int64] {
        try statements("reading runners' revisions") { sql in
            let rows = try sql.execute("SELECT runner_id, value FROM runner_revision WHERE runner_id = ANY(\([0] + runnerIDs))").rows
            let stamps = try Dictionary(uniqueKeysWithValues: rows.map { try $0.decode((Int64, Int64).self) })
            return RunnerRevisions.combine(stamps, runnerIDs)
        }
    }

    public func sessions(limit: Int, filter: SessionFilter = .all) throws -> [SessionSummaryRow] {
        try read("listing sessions") { sql in
            let condition: PostgresQuery
            switch filter {
            case .all: condition = "TRUE"
            case .unassigned: condition = "s.runner_id IS NULL"
            case .runner(let id): condition = "s.runner_id = \(id)"
            }
            var query = PostgresQuery(unsafeSQL: """
                SELECT s.id, s.runner_id, s.started_at, s.time_zone, s.duration_s, s.source, s.source_path, s.incomplete_reason, c.serial,
                       m.step_count, m.cadence_spm, m.primary_activity
                FROM session s LEFT JOIN session_summary m ON m.session_id = s.id LEFT JOIN clip c ON c.id = s.clip_id
                WHERE \(condition.sql) ORDER BY s.id DESC LIMIT $\(condition.binds.count + 1)
                """, binds: condition.binds)
            // A negative limit is no limit, as in SQLite (LIMIT NULL).
            if limit < 0 { query.binds.appendNull() } else { query.binds.append(limit) }
            return try sql.rows(query).map { row in
                SessionSummaryRow(
                    id: try row.get("id"), startedAt: try row.get("started_at"), timeZone: try row.get("time_zone"),
                    durationS: try row.get("duration_s"), source: try Self.source(row.get("source")),
                    origin: try row.get("serial", as: String?.self) ?? row.get("source_path"), stepCount: try row.get("step_count"),
                    cadenceSpm: try row.get("cadence_spm", as: Double?.self).map { Float($0) }, primaryActivity: try row.get("primary_activity"),
                    runnerID: try row.get("runner_id"), incompleteReason: try row.get("incomplete_reason"))
            }
        }
    }

    public func allSessionIDs() throws -> [SessionID] {
        try read("listing sessions") { try $0.values("SELECT id FROM session ORDER BY id", as: SessionID.self) }
    }

    public func session(id: SessionID) throws -> SessionRecord? {
        try statements("reading session \(id)") { try Self.session($0, id: id) }
    }

    public func analysis(id: SessionID) throws -> GaitAnalysis? {
        try read("reading the analysis of session \(id)") { try Self.storedAnalysis($0, sessionID: id) }
    }

    public func rawSamples(id: SessionID) throws -> RawSampleReader {
        let chunkCount = try read("reading session \(id)") { sql -> Int? in
            guard try sql.exists("SELECT 1 FROM session WHERE id = \(id)") else { return nil }
            return try sql.value("SELECT count(*) FROM raw_chunk WHERE session_id = \(id)", as: Int.self)
        }
        guard let chunkCount else { throw SessionStoreError.noSuchSession(id: id) }
        return RawSampleReader(sessionID: id, chunkCount: chunkCount) { [self] index in
            try read("reading the raw samples of session \(id)") { sql in
                try sql.row("""
                    SELECT sample_count, first_time_s, encoded_byte_count, data FROM raw_chunk WHERE session_id = \(id) AND chunk_index = \(index)
                    """).map { row in
                    RawChunkRecord(sessionId: id, chunkIndex: index, sampleCount: try row.get("sample_count"), firstTimeS: try row.get("first_time_s"),
                                   encodedByteCount: try row.get("encoded_byte_count"), data: try row.get("data"))
                }
            }
        }
    }

    // MARK: - Pain log and flags

    public func addPain(_ entry: PainLogEntry) throws -> PainLogEntry {
        if let score = entry.painScore, !(0...10).contains(score) {
            throw SessionStoreError.invalidValue(field: "painScore", reason: "pain is 0 to 10, got \(score)")
        }
        return try write("adding to the pain log of session \(entry.sessionId)") { sql in
            var entry = entry
            entry.recordedAt = PostgresSQL.stored(entry.recordedAt)
            entry.id = try sql.value("""
                INSERT INTO pain_log (id, session_id, pain_score, location, at_s, note, recorded_at, next_day, red_flags, author_account_id)
                VALUES (COALESCE(\(entry.id), nextval(pg_get_serial_sequence('pain_log', 'id'))), \(entry.sessionId), \(entry.painScore),
                        \(entry.location), \(entry.atS), \(entry.note), \(entry.recordedAt), \(entry.nextDay), \(entry.redFlags), \(entry.authorAccountId))
                RETURNING id
                """, as: Int64.self)
            return entry
        }
    }

    public func painLog(sessionID: SessionID) throws -> [PainLogEntry] {
        try statements("reading the pain log of session \(sessionID)") { sql in
            try sql.rows("SELECT * FROM pain_log WHERE session_id = \(sessionID) ORDER BY id").map(Self.painLogEntry)
        }
    }

    public func redFlagAlert(runnerID: Int64) throws -> RedFlagAlert? {
        try read("reading the red flags of runner \(runnerID)") { sql -> RedFlagAlert? in
            guard let clearedAt = try sql.row("SELECT red_flags_cleared_at FROM runner WHERE id = \(runnerID)") else {
                throw SessionStoreError.noSuchRunner("\(runnerID)")
            }
            let cleared = try clearedAt.get("red_flags_cleared_at", as: Date?.self)
            let entries = try sql.rows("""
                SELECT p.* FROM pain_log p JOIN session s ON s.id = p.session_id
                WHERE s.runner_id = \(runnerID) AND p.red_flags IS NOT NULL AND p.red_flags <> ''
                ORDER BY p.recorded_at, p.id
                """).map(Self.painLogEntry)
                .filter { entry in cleared.map { entry.recordedAt > $0 } ?? true }
            return RedFlagAlert(entries: entries)
        }
    }

    public func clearRedFlags(runnerID: Int64, by: String) throws {
        try write("clearing the red flags of runner \(runnerID)") { sql in
            let updated = try sql.execute("""
                UPDATE runner SET red_flags_cleared_at = \(PostgresSQL.stored(Date())), red_flags_cleared_by = \(String(by.prefix(200)))
                WHERE id = \(runnerID)
                """)
            if updated.metadata.rows == 0 { throw SessionStoreError.noSuchRunner("\(runnerID)") }
        }
    }

    public func flags(sessionID: SessionID) throws -> [FlagRecord] {
        try statements("reading the flags of session \(sessionID)") { sql in
            try sql.rows("SELECT * FROM flag WHERE session_id = \(sessionID) ORDER BY id").map(Self.flagRecord)
        }
    }

    // MARK: - Rows to records

    static func session(_ sql: PostgresSQL, id: SessionID) throws -> SessionRecord? {
        try sql.row("SELECT * FROM session WHERE id = \(id)").map(sessionRecord)
    }

    static func sessionRecord(_ row: PostgresRandomAccessRow) throws -> SessionRecord {
        SessionRecord(
            id: try row.get("id"), runnerId: try row.get("runner_id"), clipId: try row.get("clip_id"), clipSessionId: try row.get("clip_session_id"),
            contentHash: try row.get("content_hash"), source: try source(row.get("source")), sourcePath: try row.get("source_path"),
            startedAt: try row.get("started_at"), timeZone: try row.get("time_zone"), durationS: try row.get("duration_s"),
            sampleRateHz: try row.get("sample_rate_hz"), configuredSampleRateHz: try row.get("configured_sample_rate_hz"),
            sampleCount: try row.get("sample_count"), hasGyroscope: try row.get("has_gyroscope"),
            readerInputJSON: try row.get("reader_input_json"), shoeId: try row.get("shoe_id"), surface: try row.get("surface"),
            importedAt: try row.get("imported_at"), distanceKm: try row.get("distance_km"),
            incompleteReason: try row.get("incomplete_reason"))
    }

    static func source(_ text: String) throws -> SessionSource {
        guard let source = SessionSource(rawValue: text) else {
            throw SessionStoreError.invalidValue(field: "session.source", reason: "unknown source '\(text)'")
        }
        return source
    }

    static func painLogEntry(_ row: PostgresRandomAccessRow) throws -> PainLogEntry {
        var entry = PainLogEntry(
            id: try row.get("id"), sessionId: try row.get("session_id"), painScore: try row.get("pain_score"), location: try row.get("location"),
            atS: try row.get("at_s"), note: try row.get("note"), recordedAt: try row.get("recorded_at"), nextDay: try row.get("next_day"),
            authorAccountId: try row.get("author_account_id"))
        entry.redFlags = try row.get("red_flags")
        return entry
    }

    static func flagRecord(_ row: PostgresRandomAccessRow) throws -> FlagRecord {
        FlagRecord(
            id: try row.get("id"), sessionId: try row.get("session_id"), kind: try row.get("kind"), severity: try row.get("severity"),
            confidence: try row.get("confidence"), evidenceJSON: try row.get("evidence_json"), advice: try row.get("advice"),
            createdAt: try row.get("created_at"), flagKey: try row.get("flag_key"))
    }

    // MARK: - Errors

    /// Runs `body`, turning database errors into `SessionStoreError.database` naming the operation.
    @discardableResult
    func wrap<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SessionStoreError {
            throw error
        } catch {
            throw SessionStoreError.database(operation: operation, reason: Self.reason(error))
        }
    }

    /// What went wrong, in PostgreSQL's words (its message and SQLSTATE) where it said something.
    /// `PSQLError`'s own description hides the server's message, lest a query's values leak into logs.
    static func reason(_ error: any Error) -> String {
        if let error = error as? SessionStoreError { return error.description }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            var text = message
            if let detail = info[.detail] { text += " (\(detail))" }
            if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
            return text
        }
        return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }

    /// The SQLSTATE of a PostgreSQL error, e.g. "23505" (unique violation).
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
