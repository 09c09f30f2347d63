import Foundation
import GaitDSP
import GaitInference
import GRDB

/// The default session store: one SQLite file through GRDB (`DatabasePool`, WAL, foreign keys,
/// `synchronous = FULL` so a committed import survives power loss), migrated on open with
/// `SessionStoreSchema.migrator`. Safe to share between threads and with other processes
/// (gaitd and the `gait` CLI): writes wait up to 10 s for each other.
public final class SQLiteSessionStore: SessionStore {
    /// The database file.
    public let path: String
    /// The GRDB connection pool (readers run in parallel with the single writer).
    public let database: DatabasePool

    /// The default database file: `$XDG_DATA_HOME/backstride/backstride.sqlite`, else
    /// `~/.local/share/backstride/backstride.sqlite`.
    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return data + "/backstride/backstride.sqlite"
    }

    /// Opens (creating the file and its folder if needed) and migrates the store at `path`.
    public init(path: String) throws(SessionStoreError) {
        self.path = path
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var configuration = Configuration()
            // Another connection's write (gaitd importing while `gait pain` logs) is waited for by
            // polling every 2 ms for up to 10 s. SQLite's own busy timeout backs off to 100 ms
            // sleeps, so a waiter woke up to 100 ms after the lock was free.
            configuration.busyMode = .callback { tries in
                usleep(2_000)
                return tries < 5_000
            }
            configuration.prepareDatabase { db in
                // WAL's default (NORMAL) may lose the last commits on power loss; the clip is
                // erased once the store has the session, so a commit must be durable.
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            database = try DatabasePool(path: path, configuration: configuration)
            try SessionStoreSchema.migrator.migrate(database)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try wrap("reading migrations") { try database.read { try SessionStoreSchema.migrator.appliedMigrations($0) } }
    }

    // MARK: - Reading

    public func revision() throws -> Int64 {
        try wrap("reading the store's revision") {
            try database.read { try Int64.fetchOne($0, sql: "SELECT value FROM storeRevision WHERE id = 1") ?? 0 }
        }
    }

    public func runnerRevisions(_ runnerIDs: [Int64]) throws -> [Int64: Int64] {
        try wrap("reading runners' revisions") {
            try database.read { db in
                let stamps = try Dictionary(uniqueKeysWithValues: Row.fetchAll(
                    db, sql: "SELECT runnerId, value FROM runnerRevision WHERE runnerId IN (\(([0] + runnerIDs).map(String.init).joined(separator: ",")))"
                ).map { ($0[0] as Int64, $0[1] as Int64) })
                return RunnerRevisions.combine(stamps, runnerIDs)
            }
        }
    }

    public func sessions(limit: Int, filter: SessionFilter = .all) throws -> [SessionSummaryRow] {
        try wrap("listing sessions") {
            try database.read { db in
                var request = SessionRecord.all()
                switch filter {
                case .all: break
                case .unassigned: request = request.filter(Column("runnerId") == nil)
                case .runner(let id): request = request.filter(Column("runnerId") == id)
                }
                return try request
                    .select(ListingRow.SessionColumns.columns)
                    .including(optional: SessionRecord.summary.select(ListingRow.SummaryColumns.columns).forKey("summary"))
                    .including(optional: SessionRecord.clip.select(Column("serial")).forKey("clip"))
                    .order(Column("id").desc)
                    .limit(limit)
                    .asRequest(of: ListingRow.self)
                    .fetchAll(db)
                    .map(\.row)
            }
        }
    }

    public func allSessionIDs() throws -> [SessionID] {
        try wrap("listing sessions") { try database.read { try SessionRecord.select(Column("id"), as: SessionID.self).order(Column("id")).fetchAll($0) } }
    }

    public func session(id: SessionID) throws -> SessionRecord? {
        try wrap("reading session \(id)") { try database.read { try SessionRecord.fetchOne($0, key: id) } }
    }

    public func analysis(id: SessionID) throws -> GaitAnalysis? {
        try wrap("reading the analysis of session \(id)") {
            try database.read { db in try Self.storedAnalysis(db, sessionID: id) }
        }
    }

    static func storedAnalysis(_ db: Database, sessionID id: SessionID) throws -> GaitAnalysis? {
        guard let summary = try SessionSummaryRecord.fetchOne(db, key: id) else { return nil }
        var analysis = try GaitAnalysis.decode(json: Data(summary.documentJSON.utf8))
        analysis.steps = try StepRecord
            .filter(Column("sessionId") == id)
            .order(Column("stepIndex"))
            .fetchAll(db)
            .map(\.step)
        return analysis
    }

    public func rawSamples(id: SessionID) throws -> RawSampleReader {
        let chunkCount = try wrap("reading session \(id)") {
            try database.read { db -> Int? in
                guard try SessionRecord.exists(db, key: id) else { return nil }
                return try RawChunkRecord.filter(Column("sessionId") == id).fetchCount(db)
            }
        }
        guard let chunkCount else { throw SessionStoreError.noSuchSession(id: id) }
        return RawSampleReader(database: database, sessionID: id, chunkCount: chunkCount)
    }

    // MARK: - Pain log and flags

    public func addPain(_ entry: PainLogEntry) throws -> PainLogEntry {
        if let score = entry.painScore, !(0...10).contains(score) {
            throw SessionStoreError.invalidValue(field: "painScore", reason: "pain is 0 to 10, got \(score)")
        }
        return try wrap("adding to the pain log of session \(entry.sessionId)") {
            try database.write { db in
                var entry = entry
                try entry.insert(db)
                return entry
            }
        }
    }

    public func painLog(sessionID: SessionID) throws -> [PainLogEntry] {
        try wrap("reading the pain log of session \(sessionID)") {
            try database.read { try PainLogEntry.filter(Column("sessionId") == sessionID).order(Column("id")).fetchAll($0) }
        }
    }

    public func redFlagAlert(runnerID: Int64) throws -> RedFlagAlert? {
        try wrap("reading the red flags of runner \(runnerID)") {
            try database.read { db -> RedFlagAlert? in
                guard let runner = try RunnerRecord.fetchOne(db, key: runnerID) else { throw SessionStoreError.noSuchRunner("\(runnerID)") }
                let entries = try PainLogEntry.fetchAll(db, sql: """
                    SELECT painLog.* FROM painLog JOIN session ON session.id = painLog.sessionId
                    WHERE session.runnerId = ? AND painLog.redFlags IS NOT NULL AND painLog.redFlags != ''
                    ORDER BY painLog.recordedAt, painLog.id
                    """, arguments: [runnerID])
                    .filter { entry in runner.redFlagsClearedAt.map { entry.recordedAt > $0 } ?? true }
                return RedFlagAlert(entries: entries)
            }
        }
    }

    public func clearRedFlags(runnerID: Int64, by: String) throws {
        try wrap("clearing the red flags of runner \(runnerID)") {
            try database.write { db in
                guard var runner = try RunnerRecord.fetchOne(db, key: runnerID) else { throw SessionStoreError.noSuchRunner("\(runnerID)") }
                runner.redFlagsClearedAt = Date()
                runner.redFlagsClearedBy = String(by.prefix(200))
                try runner.update(db)
            }
        }
    }

    public func flags(sessionID: SessionID) throws -> [FlagRecord] {
        try wrap("reading the flags of session \(sessionID)") {
            try database.read { try FlagRecord.filter(Column("sessionId") == sessionID).order(Column("id")).fetchAll($0) }
        }
    }

    // MARK: - Errors

    /// Runs `body`, turning database errors into `SessionStoreError.database` naming the operation.
    func wrap<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SessionStoreError {
            throw error
        } catch {
            throw SessionStoreError.database(operation: operation, reason: "\(error)")
        }
    }
}

/// A row of the listing query: the session with two columns of its summary and its clip's serial.
struct ListingRow: Decodable, FetchableRecord {
    struct SummaryColumns: Decodable {
        static let columns: [Column] = [Column("stepCount"), Column("cadenceSpm"), Column("primaryActivity")]
        var stepCount: Int
        var cadenceSpm: Float?
        var primaryActivity: String?
    }

    struct ClipColumns: Decodable {
        var serial: String
    }

    /// Only what the listing shows: decoding every column of 1,000 sessions costs most of the listing's time.
    struct SessionColumns: Decodable {
        static let columns: [Column] = ["id", "runnerId", "startedAt", "timeZone", "durationS", "source", "sourcePath", "incompleteReason"].map { Column($0) }
        var id: Int64
        var runnerId: Int64?
        var startedAt: Date?
        var timeZone: String
        var durationS: Double
        var source: SessionSource
        var sourcePath: String?
        var incompleteReason: String?
    }

    var session: SessionColumns
    var summary: SummaryColumns?
    var clip: ClipColumns?

    var row: SessionSummaryRow {
        SessionSummaryRow(
            id: session.id, startedAt: session.startedAt, timeZone: session.timeZone, durationS: session.durationS,
            source: session.source, origin: clip?.serial ?? session.sourcePath, stepCount: summary?.stepCount,
            cadenceSpm: summary?.cadenceSpm, primaryActivity: summary?.primaryActivity, runnerID: session.runnerId,
            incompleteReason: session.incompleteReason)
    }
}
