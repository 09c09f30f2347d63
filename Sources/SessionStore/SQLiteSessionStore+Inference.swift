import Foundation
import GaitDSP
import GaitInference
import GRDB

/// Runners, shoes and the inference layer: who ran, in which shoes, and the flags of each session
/// computed against the runner's own history.
extension SQLiteSessionStore {
    // MARK: - Runners and shoes

    public func runner(named name: String, create: Bool) throws -> RunnerRecord? {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw SessionStoreError.invalidValue(field: "runner", reason: "a runner needs a name") }
        return try wrap("finding runner \(name)") {
            try database.write { db in
                if let found = try RunnerRecord.filter(Column("name") == name).fetchOne(db) { return found }
                guard create else { return nil }
                var runner = RunnerRecord(name: name)
                try runner.insert(db)
                return runner
            }
        }
    }

    public func runners() throws -> [RunnerRecord] {
        try wrap("listing runners") { try database.read { try RunnerRecord.order(Column("name")).fetchAll($0) } }
    }

    public func shoe(named name: String, runnerID: Int64, create: Bool, distanceSoFarKm: Double?) throws -> ShoeRecord? {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw SessionStoreError.invalidValue(field: "shoe", reason: "a shoe needs a name") }
        if let km = distanceSoFarKm, !(km >= 0 && km < 100_000) {
            throw SessionStoreError.invalidValue(field: "shoe distance", reason: "distance is 0 to 100000 km, got \(km)")
        }
        return try wrap("finding shoe \(name)") {
            try database.write { db in
                if var found = try ShoeRecord.filter(Column("runnerId") == runnerID && Column("name") == name).fetchOne(db) {
                    if let km = distanceSoFarKm, km != found.distanceSoFarKm {
                        found.distanceSoFarKm = km
                        try found.update(db)
                    }
                    return found
                }
                guard create else { return nil }
                var shoe = ShoeRecord(runnerId: runnerID, name: name, startDate: Date(), distanceSoFarKm: distanceSoFarKm ?? 0)
                try shoe.insert(db)
                return shoe
            }
        }
    }

    public func shoes(runnerID: Int64) throws -> [ShoeRecord] {
        try wrap("listing shoes") {
            try database.read { try ShoeRecord.filter(Column("runnerId") == runnerID).order(Column("id")).fetchAll($0) }
        }
    }

    public func assign(sessionID: SessionID, runnerID: Int64?, shoeID: Int64?, distanceKm: Double?, startedAt: Date?) throws {
        if let km = distanceKm, !(km >= 0 && km < 1000) {
            throw SessionStoreError.invalidValue(field: "distance", reason: "a session's distance is 0 to 1000 km, got \(km)")
        }
        try wrap("assigning session \(sessionID)") {
            try database.write { db in
                guard var session = try SessionRecord.fetchOne(db, key: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
                if let runnerID { session.runnerId = runnerID }
                if let shoeID { session.shoeId = shoeID }
                if let distanceKm { session.distanceKm = distanceKm }
                if let startedAt { session.startedAt = startedAt }
                try session.update(db)
            }
        }
    }

    // MARK: - Clips and current shoes

    public func clip(serial: String) throws -> ClipRecord? {
        try wrap("reading clip \(serial)") { try database.read { try ClipRecord.filter(Column("serial") == serial).fetchOne($0) } }
    }

    public func clips(runnerID: Int64?) throws -> [ClipRecord] {
        try wrap("listing clips") {
            try database.read { db in
                let all = ClipRecord.order(Column("serial"))
                return try (runnerID.map { all.filter(Column("runnerId") == $0) } ?? all).fetchAll(db)
            }
        }
    }

    public func assignClip(serial: String, runnerID: Int64?, moveFromAnotherRunner: Bool) throws -> ClipRecord {
        let serial = serial.trimmingCharacters(in: .whitespaces)
        guard !serial.isEmpty, serial.count <= 64, serial.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw SessionStoreError.invalidValue(field: "serial", reason: "a clip serial is 1 to 64 letters, digits, '-' or '_'")
        }
        return try wrap("assigning clip \(serial)") {
            try database.write { db in
                var clip = try Self.clip(db, serial: serial, firmware: nil)
                if let owner = clip.runnerId, owner != runnerID, !moveFromAnotherRunner {
                    let name = try RunnerRecord.fetchOne(db, key: owner)?.name ?? "runner \(owner)"
                    throw SessionStoreError.clipOwnedByAnotherRunner(serial: serial, owner: name)
                }
                if let runnerID, try !RunnerRecord.exists(db, key: runnerID) { throw SessionStoreError.noSuchRunner("id \(runnerID)") }
                clip.runnerId = runnerID
                try clip.update(db)
                return clip
            }
        }
    }

    public func setCurrentShoe(runnerID: Int64, shoeID: Int64?) throws {
        try wrap("setting the current shoes of runner \(runnerID)") {
            try database.write { db in
                guard var runner = try RunnerRecord.fetchOne(db, key: runnerID) else { throw SessionStoreError.noSuchRunner("id \(runnerID)") }
                if let shoeID {
                    guard let shoe = try ShoeRecord.fetchOne(db, key: shoeID), shoe.runnerId == runnerID else {
                        throw SessionStoreError.invalidValue(field: "shoe", reason: "shoe \(shoeID) is not \(runner.name)'s")
                    }
                }
                runner.currentShoeId = shoeID
                try runner.update(db)
            }
        }
    }

    // MARK: - Flags

    public func inferenceContext(sessionID: SessionID) throws -> (analysis: GaitAnalysis, context: InferenceContext)? {
        try wrap("reading the context of session \(sessionID)") {
            try database.read { db in
                guard let session = try SessionRecord.fetchOne(db, key: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
                guard let analysis = try Self.storedAnalysis(db, sessionID: sessionID) else { return nil }
                return (analysis, try Self.context(db, session: session))
            }
        }
    }

    public func replaceInference(sessionID: SessionID, inference: SessionInference) throws {
        try wrap("storing the flags of session \(sessionID)") {
            try database.write { db in
                guard try SessionRecord.exists(db, key: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
                try Self.storeInference(inference, sessionID: sessionID, in: db)
            }
        }
    }

    public func sessionIDsInStartOrder(runnerID: Int64) throws -> [SessionID] {
        try wrap("listing the sessions of runner \(runnerID)") {
            try database.read { db in
                try SessionID.fetchAll(db, sql: """
                    SELECT id FROM session WHERE runnerId = ? ORDER BY startedAt IS NOT NULL, startedAt, id
                    """, arguments: [runnerID])
            }
        }
    }

    public func sessionsWithoutInference() throws -> [SessionID] {
        try wrap("listing sessions whose flags are missing") {
            try database.read { db in
                try SessionID.fetchAll(db, sql: """
                    SELECT s.id FROM session s JOIN sessionSummary m ON m.sessionId = s.id
                    LEFT JOIN sessionFacts f ON f.sessionId = s.id WHERE f.sessionId IS NULL
                    ORDER BY s.startedAt IS NOT NULL, s.startedAt, s.id
                    """)
            }
        }
    }

    public func storedFlags(sessionID: SessionID) throws -> [GaitFlag] {
        try wrap("reading the flags of session \(sessionID)") { try database.read { try Self.storedFlags($0, sessionID: sessionID) } }
    }

    public func storedDocument(sessionID id: SessionID) throws -> InferredAnalysis? {
        try wrap("reading the analysis of session \(id)") {
            try database.read { db in
                guard let session = try SessionRecord.fetchOne(db, key: id), let analysis = try Self.storedAnalysis(db, sessionID: id) else {
                    return nil
                }
                return InferredAnalysis(analysis: analysis, flags: try Self.storedFlags(db, sessionID: id),
                                        inference: InferenceSummary(analysis: analysis, context: try Self.context(db, session: session)))
            }
        }
    }

    public func history(runnerID: Int64) throws -> [SessionFacts] {
        try wrap("reading the history of runner \(runnerID)") {
            try database.read { db in
                let ids = try Int64.fetchAll(db, sql: "SELECT id FROM session WHERE runnerId = ?", arguments: [runnerID])
                return try ids.compactMap { try Self.facts(db, sessionID: $0) }.sortedByStart()
            }
        }
    }

    public func shoeInfo(shoeID: Int64) throws -> ShoeInfo? {
        try wrap("reading shoe \(shoeID)") { try database.read { db in try ShoeRecord.fetchOne(db, key: shoeID).map(Self.info) } }
    }

    // MARK: - Inside a transaction

    /// The flags the inference layer stored for a session, in insertion order (flags stored
    /// without a `flagKey`, before the inference layer, are not `GaitFlag` documents).
    static func storedFlags(_ db: Database, sessionID: SessionID) throws -> [GaitFlag] {
        try FlagRecord.filter(Column("sessionId") == sessionID).order(Column("id")).fetchAll(db).compactMap { record in
            guard record.flagKey != nil else { return nil }
            return try? jsonDecoder.decode(GaitFlag.self, from: Data(record.evidenceJSON.utf8))
        }
    }

    static func info(_ shoe: ShoeRecord) -> ShoeInfo {
        ShoeInfo(key: String(shoe.id ?? 0), name: shoe.name, declaredDistanceKm: shoe.distanceSoFarKm)
    }

    /// The context of a session: its start, shoe, distance, pain and its runner's other sessions.
    static func context(_ db: Database, session: SessionRecord) throws -> InferenceContext {
        let id = session.id!
        let pain = try Int.fetchOne(db, sql: "SELECT MAX(painScore) FROM painLog WHERE sessionId = ?", arguments: [id])
        let nextDay = try Bool.fetchOne(db, sql: "SELECT MAX(nextDay) FROM painLog WHERE sessionId = ?", arguments: [id]) ?? false
        let shoe = try session.shoeId.flatMap { try ShoeRecord.fetchOne(db, key: $0) }.map(info)
        var history: [SessionFacts] = []
        if let runner = session.runnerId {
            let others = try Int64.fetchAll(db, sql: "SELECT id FROM session WHERE runnerId = ? AND id != ?", arguments: [runner, id])
            history = try others.compactMap { try facts(db, sessionID: $0) }
        }
        return InferenceContext(sessionKey: String(id), startedAt: session.startedAt, shoe: shoe, distanceKm: session.distanceKm,
                                painScore: pain, painLastedIntoNextDay: nextDay, history: history, speed: try storedSpeed(db, sessionID: id))
    }

    static func storedSpeed(_ db: Database, sessionID: SessionID) throws -> SessionSpeed? {
        guard let json = try String.fetchOne(db, sql: "SELECT speedJSON FROM sessionWatch WHERE sessionId = ?", arguments: [sessionID]) else { return nil }
        return try jsonDecoder.decode(SessionSpeed.self, from: Data(json.utf8))
    }

    static func storeSpeed(_ speed: SessionSpeed, sessionID: SessionID, in db: Database) throws {
        let json = String(decoding: try jsonEncoder.encode(speed), as: UTF8.self)
        try db.execute(sql: "INSERT OR REPLACE INTO sessionWatch (sessionId, source, speedJSON, pairedAt) VALUES (?, ?, ?, ?)",
                       arguments: [sessionID, speed.source, json, Date()])
    }

    public func setSessionSpeed(sessionID: SessionID, speed: SessionSpeed) throws {
        try wrap("pairing session \(sessionID) with a watch file") {
            try database.write { db in
                guard try SessionRecord.exists(db, key: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
                try Self.storeSpeed(speed, sessionID: sessionID, in: db)
                // Its flags were computed without it.
                try SessionFactsRecord.deleteOne(db, key: sessionID)
            }
        }
    }

    public func sessionSpeed(sessionID: SessionID) throws -> SessionSpeed? {
        try wrap("reading the watch pairing of session \(sessionID)") { try database.read { try Self.storedSpeed($0, sessionID: sessionID) } }
    }

    /// The facts of a session: stored ones refreshed with the session's current shoe, distance,
    /// start and pain; computed from the stored summary when missing.
    static func facts(_ db: Database, sessionID id: SessionID) throws -> SessionFacts? {
        guard let session = try SessionRecord.fetchOne(db, key: id) else { return nil }
        var facts: SessionFacts
        if let record = try SessionFactsRecord.fetchOne(db, key: id),
           let stored = try? jsonDecoder.decode(SessionFacts.self, from: Data(record.factsJSON.utf8)) {
            facts = stored
        } else {
            guard let summary = try SessionSummaryRecord.fetchOne(db, key: id),
                  let analysis = try? GaitAnalysis.decode(json: Data(summary.documentJSON.utf8)) else { return nil }
            facts = SessionFacts(analysis: analysis, sessionKey: String(id))
            facts.flagIDs = try String.fetchAll(db, sql: "SELECT flagKey FROM flag WHERE sessionId = ? AND flagKey IS NOT NULL", arguments: [id])
        }
        facts.sessionKey = String(id)
        facts.startedAt = session.startedAt
        facts.shoeKey = session.shoeId.map { String($0) }
        facts.distanceKm = session.distanceKm
        facts.painScore = try Int.fetchOne(db, sql: "SELECT MAX(painScore) FROM painLog WHERE sessionId = ?", arguments: [id])
        facts.painNextDay = try Bool.fetchOne(db, sql: "SELECT MAX(nextDay) FROM painLog WHERE sessionId = ?", arguments: [id]) ?? false
        return facts
    }

    /// Replaces a session's stored flags and facts.
    static func storeInference(_ inference: SessionInference, sessionID id: SessionID, in db: Database) throws {
        try FlagRecord.filter(Column("sessionId") == id).deleteAll(db)
        let now = Date()
        for flag in inference.flags {
            var record = FlagRecord(
                sessionId: id, kind: flag.topic.rawValue, severity: flag.severity.rawValue, confidence: flag.confidence,
                evidenceJSON: String(decoding: try jsonEncoder.encode(flag), as: UTF8.self),
                advice: flag.advice.joined(separator: "\n"), createdAt: now, flagKey: flag.id)
            try record.insert(db)
        }
        var facts = inference.facts
        facts.sessionKey = String(id)
        try SessionFactsRecord(sessionId: id, factsJSON: String(decoding: try jsonEncoder.encode(facts), as: UTF8.self),
                               computedAt: now).save(db)
    }

    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let jsonDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
