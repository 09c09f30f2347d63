import Dispatch
import Foundation
import GaitDSP
import GRDB
import GRDBSQLite

extension SQLiteSessionStore {
    public func insertSession(_ draft: SessionDraft, rawSamples: RawChunkSpool, inference: SessionInference?) throws -> InsertOutcome {
        try wrap("storing \(draft.sourcePath)") {
            // Everything that can be encoded is encoded before the lock: inside it only rows are bound.
            let readerInputJSON = String(decoding: try JSONEncoder().encode(draft.readerInput), as: UTF8.self)
            let analysis = try PreparedAnalysis(draft.analysis)
            var lockS = 0.0
            let (id, inserted, replaced): (SessionID, Bool, ReplacedCopy?) = try database.writeWithoutTransaction { db in
                var result: (SessionID, Bool, ReplacedCopy?) = (0, false, nil)
                // The session's megabytes would make COMMIT copy the whole WAL into the database
                // (SQLite's automatic checkpoint) before it returns; that copy is done after the
                // commit instead, when other writers can already go on.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                defer {
                    _ = try? db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
                    _ = try? db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
                }
                let start = DispatchTime.now().uptimeNanoseconds
                // From BEGIN IMMEDIATE (the write lock) to the end of COMMIT (its fsync included).
                defer { lockS = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
                try db.inTransaction(.immediate) {
                    // Checked again inside the write: two ways in may race with the same session.
                    // The same bytes are the same copy; another copy of a stored clip session
                    // replaces it only when it is more complete.
                    if let id = try Self.existingSession(db, contentHash: draft.contentHash, clip: nil) {
                        result = (id, false, nil)
                        return .commit
                    }
                    if let identity = draft.clip, let id = try Self.existingSession(db, contentHash: nil, clip: identity) {
                        let copy = try Self.replaceIfLessComplete(db, sessionID: id, draft: draft, rawSamples: rawSamples,
                                                                  readerInputJSON: readerInputJSON, analysis: analysis)
                        result = (id, copy != nil, copy)
                        return .commit
                    }
                    var session = SessionRecord(
                        id: nil, runnerId: draft.runnerID, clipId: nil, clipSessionId: nil, contentHash: draft.contentHash,
                        source: draft.source, sourcePath: draft.sourcePath, startedAt: draft.startedAt,
                        timeZone: draft.storedTimeZone, durationS: draft.analysis.durationS,
                        sampleRateHz: draft.analysis.sampleRateHz, configuredSampleRateHz: draft.configuredSampleRateHz,
                        sampleCount: rawSamples.sampleCount, hasGyroscope: draft.analysis.input.hasGyroscope,
                        readerInputJSON: readerInputJSON, shoeId: draft.shoeID, surface: nil, importedAt: Date(), distanceKm: draft.distanceKm,
                        incompleteReason: draft.incompleteReason)
                    if let identity = draft.clip {
                        let clip = try Self.clip(db, serial: identity.serial, firmware: identity.firmware)
                        session.clipId = clip.id
                        session.clipSessionId = Int64(identity.sessionID)
                    }
                    try session.insert(db)
                    let id = session.id!
                    try Self.storeRawChunks(rawSamples, sessionID: id, in: db)
                    try analysis.store(sessionID: id, in: db, replacing: false)
                    if let speed = draft.speed { try Self.storeSpeed(speed, sessionID: id, in: db) }
                    if let inference { try Self.storeInference(inference, sessionID: id, in: db) }
                    result = (id, true, nil)
                    return .commit
                }
                return result
            }
            return InsertOutcome(id: id, inserted: inserted, writeLockS: lockS, replaced: replaced)
        }
    }

    /// Replaces the stored copy `sessionID` of a clip session with the draft's when the draft has
    /// more raw samples (see `ReplacedCopy`); returns what was replaced, or nil when the stored copy
    /// is as complete and nothing was written. What the session is (id, runner, shoes, distance,
    /// known start, pain log, watch pairing) stays; what was read from the file is the draft's.
    static func replaceIfLessComplete(_ db: Database, sessionID: SessionID, draft: SessionDraft, rawSamples: RawChunkSpool,
                                      readerInputJSON: String, analysis: PreparedAnalysis) throws -> ReplacedCopy? {
        guard var session = try SessionRecord.fetchOne(db, key: sessionID), rawSamples.sampleCount > session.sampleCount else { return nil }
        let replaced = ReplacedCopy(previousSampleCount: session.sampleCount, previousIncompleteReason: session.incompleteReason,
                                    sampleCount: rawSamples.sampleCount)
        if let identity = draft.clip { _ = try clip(db, serial: identity.serial, firmware: identity.firmware) }
        session.contentHash = draft.contentHash
        session.source = draft.source
        session.sourcePath = draft.sourcePath
        session.startedAt = session.startedAt ?? draft.startedAt
        session.durationS = draft.analysis.durationS
        session.sampleRateHz = draft.analysis.sampleRateHz
        session.configuredSampleRateHz = draft.configuredSampleRateHz
        session.sampleCount = rawSamples.sampleCount
        session.hasGyroscope = draft.analysis.input.hasGyroscope
        session.readerInputJSON = readerInputJSON
        session.incompleteReason = draft.incompleteReason
        session.runnerId = session.runnerId ?? draft.runnerID
        session.shoeId = session.shoeId ?? draft.shoeID
        session.distanceKm = session.distanceKm ?? draft.distanceKm
        session.importedAt = Date()
        try session.update(db)
        try db.execute(sql: "DELETE FROM rawChunk WHERE sessionId = ?", arguments: [sessionID])
        try storeRawChunks(rawSamples, sessionID: sessionID, in: db)
        try analysis.store(sessionID: sessionID, in: db, replacing: true)
        if let speed = draft.speed { try storeSpeed(speed, sessionID: sessionID, in: db) }
        // The flags were computed from the less complete copy: pending until recomputed.
        try SessionFactsRecord.deleteOne(db, key: sessionID)
        return replaced
    }

    /// Writes the spooled chunks of a session's raw samples.
    static func storeRawChunks(_ rawSamples: RawChunkSpool, sessionID: SessionID, in db: Database) throws {
        let chunk = try db.makeStatement(sql: """
            INSERT INTO rawChunk (sessionId, chunkIndex, sampleCount, firstTimeS, encodedByteCount, data) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (index, entry) in rawSamples.entries.enumerated() {
            try chunk.execute(arguments: [sessionID, index, entry.sampleCount, entry.firstTimeS, entry.encodedByteCount, try rawSamples.bytes(of: entry)])
        }
    }

    public func existingSession(contentHash: String?, clip: SessionDraft.ClipIdentity?) throws -> SessionID? {
        try wrap("looking up a session") { try database.read { try Self.existingSession($0, contentHash: contentHash, clip: clip) } }
    }

    /// The stored session with this content hash or this clip serial + clip session id.
    static func existingSession(_ db: Database, contentHash: String?, clip: SessionDraft.ClipIdentity?) throws -> SessionID? {
        if let clip, let id = try SessionID.fetchOne(db, sql: """
            SELECT s.id FROM session s JOIN clip c ON c.id = s.clipId WHERE c.serial = ? AND s.clipSessionId = ?
            """, arguments: [clip.serial, Int64(clip.sessionID)]) {
            return id
        }
        if let contentHash { return try SessionRecord.filter(Column("contentHash") == contentHash).fetchOne(db)?.id }
        return nil
    }

    /// The clip with this serial, added when new; its firmware is updated when given and changed.
    static func clip(_ db: Database, serial: String, firmware: String?) throws -> ClipRecord {
        if var clip = try ClipRecord.filter(Column("serial") == serial).fetchOne(db) {
            if let firmware, clip.firmware != firmware {
                clip.firmware = firmware
                try clip.update(db)
            }
            return clip
        }
        var clip = ClipRecord(serial: serial, firmware: firmware)
        try clip.insert(db)
        return clip
    }

    public func replaceAnalysis(sessionID: SessionID, analysis: GaitAnalysis) throws -> Bool {
        try wrap("storing the analysis of session \(sessionID)") {
            try database.write { db in
                guard try SessionRecord.exists(db, key: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
                let before = try Self.storedAnalysis(db, sessionID: sessionID)
                try Self.storeAnalysis(analysis, sessionID: sessionID, in: db)
                // The flags were computed from the old analysis: they are pending until recomputed.
                if before != analysis { try SessionFactsRecord.deleteOne(db, key: sessionID) }
                return before != analysis
            }
        }
    }

    /// Replaces a session's steps and summary with `analysis`.
    static func storeAnalysis(_ analysis: GaitAnalysis, sessionID: SessionID, in db: Database) throws {
        try PreparedAnalysis(analysis).store(sessionID: sessionID, in: db, replacing: true)
    }

    /// "1.2" from a clip header's BCD firmware version 0x0102.
    public static func firmwareName(bcd: UInt16) -> String {
        String(bcd >> 8, radix: 16) + "." + String(bcd & 0xFF, radix: 16)
    }
}

private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension Optional where Wrapped == String {
    /// Calls `body` with a C string, or with nil.
    fileprivate func withOptionalCString<T>(_ body: (UnsafePointer<CChar>?) throws -> T) rethrows -> T {
        switch self {
        case .some(let text): try text.withCString { try body($0) }
        case .none: try body(nil)
        }
    }
}

/// An analysis encoded for the store before any lock is taken: the summary document as JSON and
/// every step's column values, so that storing it binds rows and nothing more.
struct PreparedAnalysis {
    let summaryStepCount: Int
    let cadenceSpm: Float?
    let primaryActivity: String?
    let documentJSON: String
    /// The steps, column by column in step order (stepIndex is the position).
    let initialContactS: [Double]
    let side: [String?]
    let activity: [String]
    /// The Float columns, nil as NaN: sideConfidence … pelvicObliquityDeg as in `floatColumnNames`.
    let floats: [[Float]]
    static let floatColumnNames = ["sideConfidence", "stepTimeS", "impactPeakG", "loadingRateGPerS", "brakingPeakG", "brakingVelocityLossMPS",
                                   "groundContactTimeS", "verticalOscillationCm", "pelvisTiltDeg", "pelvicRotationDeg", "pelvicObliquityDeg",
                                   "contactTimeQuality", "peakVerticalForceBW"]

    init(_ analysis: GaitAnalysis) throws {
        summaryStepCount = analysis.summary.stepCount
        cadenceSpm = analysis.summary.metrics?.cadenceSpm
        primaryActivity = analysis.summary.primaryActivity?.rawValue
        var document = analysis
        document.steps = []
        documentJSON = String(decoding: try document.jsonData(prettyPrinted: false), as: UTF8.self)
        let steps = analysis.steps
        initialContactS = steps.map(\.initialContactS)
        side = steps.map { $0.side?.rawValue }
        activity = steps.map(\.activity.rawValue)
        let columns: [(GaitStep) -> Float?] = [
            { $0.sideConfidence }, { $0.stepTimeS }, { $0.impactPeakG }, { $0.loadingRateGPerS }, { $0.brakingPeakG },
            { $0.brakingVelocityLossMPS }, { $0.groundContactTimeS }, { $0.verticalOscillationCm }, { $0.pelvisTiltDeg },
            { $0.pelvicRotationDeg }, { $0.pelvicObliquityDeg }, { $0.contactTimeQuality }, { $0.peakVerticalForceBW },
        ]
        floats = columns.map { column in steps.map { column($0) ?? .nan } }
    }

    /// Writes the steps and summary of `sessionID` (first removing the old ones when `replacing`).
    ///
    /// The step rows are bound through SQLite's C interface: 10,000 rows of a 1 h run took 62 ms
    /// through GRDB's `StatementArguments` inside the write lock, and take 18–19 ms this way
    /// (`gait bench --ingest-only`). The session id stays bound across rows; every other column
    /// is bound for each row from the arrays above, whose lengths are the step count.
    func store(sessionID: SessionID, in db: Database, replacing: Bool) throws {
        if replacing { try db.execute(sql: "DELETE FROM step WHERE sessionId = ?", arguments: [sessionID]) }
        let statement = try db.makeStatement(sql: """
            INSERT INTO step (sessionId, stepIndex, initialContactS, side, activity, \(Self.floatColumnNames.joined(separator: ", ")))
            VALUES (?, ?, ?, ?, ?\(String(repeating: ", ?", count: Self.floatColumnNames.count)))
            """)
        let handle = statement.sqliteStatement
        func check(_ code: Int32, _ what: String) throws {
            guard code == SQLITE_OK || code == SQLITE_DONE else {
                throw SessionStoreError.database(operation: "storing the steps of session \(sessionID) (\(what))",
                                                 reason: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        try check(sqlite3_bind_int64(handle, 1, sessionID), "session id")
        for row in 0..<initialContactS.count {
            try check(sqlite3_bind_int64(handle, 2, Int64(row)), "stepIndex")
            try check(sqlite3_bind_double(handle, 3, initialContactS[row]), "initialContactS")
            try side[row].withOptionalCString { try check($0.map { sqlite3_bind_text(handle, 4, $0, -1, SQLITE_TRANSIENT) } ?? sqlite3_bind_null(handle, 4), "side") }
            try check(activity[row].withCString { sqlite3_bind_text(handle, 5, $0, -1, SQLITE_TRANSIENT) }, "activity")
            for (k, column) in floats.enumerated() {
                let value = column[row]
                let index = Int32(6 + k)
                try check(value.isNaN ? sqlite3_bind_null(handle, index) : sqlite3_bind_double(handle, index, Double(value)), Self.floatColumnNames[k])
            }
            try check(sqlite3_step(handle), "step \(row)")
            sqlite3_reset(handle)
        }
        sqlite3_clear_bindings(handle)
        try SessionSummaryRecord(
            sessionId: sessionID, stepCount: summaryStepCount, cadenceSpm: cadenceSpm, primaryActivity: primaryActivity,
            documentJSON: documentJSON, analyzedAt: Date()
        ).save(db)
    }
}
