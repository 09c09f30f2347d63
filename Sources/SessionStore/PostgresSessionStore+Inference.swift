import Foundation
import GaitDSP
import GaitInference
import PostgresNIO

/// Runners, shoes, clips and the inference layer: who ran, in which shoes, and the flags of each
/// session computed against the runner's own history. Same behaviour as `SQLiteSessionStore+Inference`.
extension PostgresSessionStore {
    // MARK: - Runners and shoes

    public func runner(named name: String, create: Bool) throws -> RunnerRecord? {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw SessionStoreError.invalidValue(field: "runner", reason: "a runner needs a name") }
        return try write("finding runner \(name)") { sql in
            if create {
                // ON CONFLICT: another server may add the same runner at the same moment.
                try sql.execute("INSERT INTO runner (name, created_at) VALUES (\(name), \(PostgresSQL.stored(Date()))) ON CONFLICT (name) DO NOTHING")
            }
            return try sql.row("SELECT * FROM runner WHERE name = \(name)").map(Self.runnerRecord)
        }
    }

    public func runners() throws -> [RunnerRecord] {
        // COLLATE "C": byte order, as SQLite sorts text.
        try read("listing runners") { try $0.rows(#"SELECT * FROM runner ORDER BY name COLLATE "C""#).map(Self.runnerRecord) }
    }

    public func runner(id: Int64) throws -> RunnerRecord? {
        try statements("reading runner \(id)") { try $0.row("SELECT * FROM runner WHERE id = \(id)").map(Self.runnerRecord) }
    }

    public func shoe(named name: String, runnerID: Int64, create: Bool, distanceSoFarKm: Double?) throws -> ShoeRecord? {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw SessionStoreError.invalidValue(field: "shoe", reason: "a shoe needs a name") }
        if let km = distanceSoFarKm, !(km >= 0 && km < 100_000) {
            throw SessionStoreError.invalidValue(field: "shoe distance", reason: "distance is 0 to 100000 km, got \(km)")
        }
        return try write("finding shoe \(name)") { sql in
            if create {
                try sql.execute("""
                    INSERT INTO shoe (runner_id, name, start_date, distance_so_far_km, retired)
                    VALUES (\(runnerID), \(name), \(PostgresSQL.stored(Date())), \(distanceSoFarKm ?? 0), FALSE)
                    ON CONFLICT (runner_id, name) DO NOTHING
                    """)
            }
            if let km = distanceSoFarKm {
                try sql.execute("UPDATE shoe SET distance_so_far_km = \(km) WHERE runner_id = \(runnerID) AND name = \(name) AND distance_so_far_km <> \(km)")
            }
            return try sql.row("SELECT * FROM shoe WHERE runner_id = \(runnerID) AND name = \(name)").map(Self.shoeRecord)
        }
    }

    public func shoes(runnerID: Int64) throws -> [ShoeRecord] {
        try read("listing shoes") { try $0.rows("SELECT * FROM shoe WHERE runner_id = \(runnerID) ORDER BY id").map(Self.shoeRecord) }
    }

    public func assign(sessionID: SessionID, runnerID: Int64?, shoeID: Int64?, distanceKm: Double?, startedAt: Date?) throws {
        if let km = distanceKm, !(km >= 0 && km < 1000) {
            throw SessionStoreError.invalidValue(field: "distance", reason: "a session's distance is 0 to 1000 km, got \(km)")
        }
        try write("assigning session \(sessionID)") { sql in
            let updated = try sql.execute("""
                UPDATE session SET runner_id = COALESCE(\(runnerID), runner_id), shoe_id = COALESCE(\(shoeID), shoe_id),
                    distance_km = COALESCE(\(distanceKm), distance_km), started_at = COALESCE(\(PostgresSQL.stored(startedAt)), started_at)
                WHERE id = \(sessionID)
                """)
            if updated.metadata.rows == 0 { throw SessionStoreError.noSuchSession(id: sessionID) }
        }
    }

    // MARK: - Clips and current shoes

    public func clip(serial: String) throws -> ClipRecord? {
        try read("reading clip \(serial)") { try $0.row("SELECT * FROM clip WHERE serial = \(serial)").map(Self.clipRecord) }
    }

    public func clips(runnerID: Int64?) throws -> [ClipRecord] {
        try read("listing clips") { sql in
            let query: PostgresQuery = runnerID.map { #"SELECT * FROM clip WHERE runner_id = \#($0) ORDER BY serial COLLATE "C""# }
                ?? #"SELECT * FROM clip ORDER BY serial COLLATE "C""#
            return try sql.rows(query).map(Self.clipRecord)
        }
    }

    public func assignClip(serial: String, runnerID: Int64?, moveFromAnotherRunner: Bool) throws -> ClipRecord {
        let serial = serial.trimmingCharacters(in: .whitespaces)
        guard !serial.isEmpty, serial.count <= 64, serial.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw SessionStoreError.invalidValue(field: "serial", reason: "a clip serial is 1 to 64 letters, digits, '-' or '_'")
        }
        return try write("assigning clip \(serial)") { sql in
            var clip = try Self.clip(sql, serial: serial, firmware: nil)
            // The owner is read under the row's lock: a concurrent reassignment waits.
            let owner = try sql.value("SELECT runner_id FROM clip WHERE id = \(clip.id!) FOR UPDATE", as: Int64?.self) ?? nil
            if let owner, owner != runnerID, !moveFromAnotherRunner {
                let name = try sql.value("SELECT name FROM runner WHERE id = \(owner)", as: String.self) ?? "runner \(owner)"
                throw SessionStoreError.clipOwnedByAnotherRunner(serial: serial, owner: name)
            }
            if let runnerID, try !sql.exists("SELECT 1 FROM runner WHERE id = \(runnerID)") { throw SessionStoreError.noSuchRunner("id \(runnerID)") }
            try sql.execute("UPDATE clip SET runner_id = \(runnerID) WHERE id = \(clip.id!)")
            clip.runnerId = runnerID
            return clip
        }
    }

    public func setCurrentShoe(runnerID: Int64, shoeID: Int64?) throws {
        try write("setting the current shoes of runner \(runnerID)") { sql in
            guard let name = try sql.value("SELECT name FROM runner WHERE id = \(runnerID) FOR UPDATE", as: String.self) else {
                throw SessionStoreError.noSuchRunner("id \(runnerID)")
            }
            if let shoeID {
                let owner = try sql.value("SELECT runner_id FROM shoe WHERE id = \(shoeID)", as: Int64?.self)
                guard owner == .some(runnerID) else {
                    throw SessionStoreError.invalidValue(field: "shoe", reason: "shoe \(shoeID) is not \(name)'s")
                }
            }
            try sql.execute("UPDATE runner SET current_shoe_id = \(shoeID) WHERE id = \(runnerID)")
        }
    }

    // MARK: - Flags

    public func inferenceContext(sessionID: SessionID) throws -> (analysis: GaitAnalysis, context: InferenceContext)? {
        try read("reading the context of session \(sessionID)") { sql in
            guard let session = try Self.session(sql, id: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
            guard let analysis = try Self.storedAnalysis(sql, sessionID: sessionID) else { return nil }
            return (analysis, try Self.context(sql, session: session))
        }
    }

    public func replaceInference(sessionID: SessionID, inference: SessionInference) throws {
        try write("storing the flags of session \(sessionID)") { sql in
            guard try sql.exists("SELECT 1 FROM session WHERE id = \(sessionID) FOR UPDATE") else { throw SessionStoreError.noSuchSession(id: sessionID) }
            try Self.storeInference(inference, sessionID: sessionID, in: sql)
        }
    }

    public func sessionIDsInStartOrder(runnerID: Int64) throws -> [SessionID] {
        try read("listing the sessions of runner \(runnerID)") { sql in
            try sql.values("SELECT id FROM session WHERE runner_id = \(runnerID) ORDER BY started_at IS NOT NULL, started_at, id", as: SessionID.self)
        }
    }

    public func sessionsWithoutInference() throws -> [SessionID] {
        try read("listing sessions whose flags are missing") { sql in
            try sql.values("""
                SELECT s.id FROM session s JOIN session_summary m ON m.session_id = s.id
                LEFT JOIN session_facts f ON f.session_id = s.id WHERE f.session_id IS NULL
                ORDER BY s.started_at IS NOT NULL, s.started_at, s.id
                """, as: SessionID.self)
        }
    }

    public func storedFlags(sessionID: SessionID) throws -> [GaitFlag] {
        try statements("reading the flags of session \(sessionID)") { try Self.storedFlags($0, sessionID: sessionID) }
    }

    public func storedDocument(sessionID id: SessionID) throws -> InferredAnalysis? {
        try read("reading the analysis of session \(id)") { sql in
            guard let session = try Self.session(sql, id: id), let analysis = try Self.storedAnalysis(sql, sessionID: id) else { return nil }
            return InferredAnalysis(analysis: analysis, flags: try Self.storedFlags(sql, sessionID: id),
                                    inference: InferenceSummary(analysis: analysis, context: try Self.context(sql, session: session)))
        }
    }

    public func history(runnerID: Int64) throws -> [SessionFacts] {
        try read("reading the history of runner \(runnerID)") { sql in
            try Self.facts(sql, runnerID: runnerID, excluding: nil).sortedByStart()
        }
    }

    public func shoeInfo(shoeID: Int64) throws -> ShoeInfo? {
        try read("reading shoe \(shoeID)") { try $0.row("SELECT * FROM shoe WHERE id = \(shoeID)").map(Self.shoeRecord).map(SQLiteSessionStore.info) }
    }

    public func setSessionSpeed(sessionID: SessionID, speed: SessionSpeed) throws {
        try write("pairing session \(sessionID) with a watch file") { sql in
            guard try sql.exists("SELECT 1 FROM session WHERE id = \(sessionID) FOR UPDATE") else { throw SessionStoreError.noSuchSession(id: sessionID) }
            try Self.storeSpeed(speed, sessionID: sessionID, in: sql)
            // Its flags were computed without it.
            try sql.execute("DELETE FROM session_facts WHERE session_id = \(sessionID)")
        }
    }

    public func sessionSpeed(sessionID: SessionID) throws -> SessionSpeed? {
        try read("reading the watch pairing of session \(sessionID)") { try Self.storedSpeed($0, sessionID: sessionID) }
    }

    // MARK: - Inside a transaction

    /// The flags the inference layer stored for a session, in insertion order (flags stored
    /// without a `flag_key`, before the inference layer, are not `GaitFlag` documents).
    static func storedFlags(_ sql: PostgresSQL, sessionID: SessionID) throws -> [GaitFlag] {
        try sql.rows("SELECT flag_key, evidence_json FROM flag WHERE session_id = \(sessionID) ORDER BY id").compactMap { row in
            guard try row.get("flag_key", as: String?.self) != nil else { return nil }
            return try? jsonDecoder.decode(GaitFlag.self, from: Data(try row.get("evidence_json", as: String.self).utf8))
        }
    }

    /// The context of a session: its start, shoe, distance, pain and its runner's other sessions.
    static func context(_ sql: PostgresSQL, session: SessionRecord) throws -> InferenceContext {
        let id = session.id!
        let (pain, nextDay) = try painSummary(sql, sessionID: id)
        let shoe = try session.shoeId.flatMap { try sql.row("SELECT * FROM shoe WHERE id = \($0)") }.map(shoeRecord).map(SQLiteSessionStore.info)
        var history: [SessionFacts] = []
        if let runner = session.runnerId {
            history = try facts(sql, runnerID: runner, excluding: id)
        }
        return InferenceContext(sessionKey: String(id), startedAt: session.startedAt, shoe: shoe, distanceKm: session.distanceKm,
                                painScore: pain, painLastedIntoNextDay: nextDay, history: history, speed: try storedSpeed(sql, sessionID: id))
    }

    /// The worst pain logged for a session and whether any entry said it lasted into the next day.
    static func painSummary(_ sql: PostgresSQL, sessionID: SessionID) throws -> (painScore: Int?, nextDay: Bool) {
        guard let row = try sql.row("SELECT MAX(pain_score) AS pain, bool_or(next_day) AS next_day FROM pain_log WHERE session_id = \(sessionID)") else {
            return (nil, false)
        }
        return (try row.get("pain", as: Int?.self), try row.get("next_day", as: Bool?.self) ?? false)
    }

    static func storedSpeed(_ sql: PostgresSQL, sessionID: SessionID) throws -> SessionSpeed? {
        guard let json = try sql.value("SELECT speed_json FROM session_watch WHERE session_id = \(sessionID)", as: String.self) else { return nil }
        return try jsonDecoder.decode(SessionSpeed.self, from: Data(json.utf8))
    }

    static func storeSpeed(_ speed: SessionSpeed, sessionID: SessionID, in sql: PostgresSQL) throws {
        let json = String(decoding: try jsonEncoder.encode(speed), as: UTF8.self)
        try sql.execute("""
            INSERT INTO session_watch (session_id, source, speed_json, paired_at) VALUES (\(sessionID), \(speed.source), \(json), \(PostgresSQL.stored(Date())))
            ON CONFLICT (session_id) DO UPDATE SET source = excluded.source, speed_json = excluded.speed_json, paired_at = excluded.paired_at
            """)
    }

    /// The facts of a session: stored ones refreshed with the session's current shoe, distance,
    /// start and pain; computed from the stored summary when missing.
    static func facts(_ sql: PostgresSQL, sessionID id: SessionID) throws -> SessionFacts? {
        guard let session = try session(sql, id: id) else { return nil }
        var facts: SessionFacts
        if let json = try sql.value("SELECT facts_json FROM session_facts WHERE session_id = \(id)", as: String.self),
           let stored = try? jsonDecoder.decode(SessionFacts.self, from: Data(json.utf8)) {
            facts = stored
        } else {
            guard let document = try sql.value("SELECT document_json FROM session_summary WHERE session_id = \(id)", as: String.self),
                  let analysis = try? GaitAnalysis.decode(json: Data(document.utf8)) else { return nil }
            facts = SessionFacts(analysis: analysis, sessionKey: String(id))
            facts.flagIDs = try sql.values("SELECT flag_key FROM flag WHERE session_id = \(id) AND flag_key IS NOT NULL ORDER BY id", as: String.self)
        }
        facts.sessionKey = String(id)
        facts.startedAt = session.startedAt
        facts.shoeKey = session.shoeId.map { String($0) }
        facts.distanceKm = session.distanceKm
        (facts.painScore, facts.painNextDay) = try painSummary(sql, sessionID: id)
        return facts
    }

    /// The facts of every session of a runner but `excluding`, in id order, as `facts(_:sessionID:)`
    /// makes each: one query for the stored facts with the session's columns and pain, instead of
    /// three per session (a runner of 200 runs: 1 round trip, not 600). Sessions whose facts are
    /// not stored (or do not decode) go through `facts(_:sessionID:)`.
    static func facts(_ sql: PostgresSQL, runnerID: Int64, excluding: SessionID?) throws -> [SessionFacts] {
        let rows = try sql.rows("""
            SELECT s.id, s.started_at, s.shoe_id, s.distance_km, f.facts_json, p.pain, p.next_day
            FROM session s LEFT JOIN session_facts f ON f.session_id = s.id
            LEFT JOIN LATERAL (SELECT MAX(pain_score) AS pain, bool_or(next_day) AS next_day FROM pain_log WHERE session_id = s.id) p ON TRUE
            WHERE s.runner_id = \(runnerID) AND s.id IS DISTINCT FROM \(excluding) ORDER BY s.id
            """)
        return try rows.compactMap { row -> SessionFacts? in
            let id = try row.get("id", as: SessionID.self)
            guard let json = try row.get("facts_json", as: String?.self),
                  var facts = try? jsonDecoder.decode(SessionFacts.self, from: Data(json.utf8)) else {
                return try Self.facts(sql, sessionID: id)
            }
            facts.sessionKey = String(id)
            facts.startedAt = try row.get("started_at", as: Date?.self)
            facts.shoeKey = try row.get("shoe_id", as: Int64?.self).map { String($0) }
            facts.distanceKm = try row.get("distance_km", as: Double?.self)
            facts.painScore = try row.get("pain", as: Int?.self)
            facts.painNextDay = try row.get("next_day", as: Bool?.self) ?? false
            return facts
        }
    }

    /// Replaces a session's stored flags and facts.
    static func storeInference(_ inference: SessionInference, sessionID id: SessionID, in sql: PostgresSQL) throws {
        try sql.execute("DELETE FROM flag WHERE session_id = \(id)")
        let now = PostgresSQL.stored(Date())
        for flag in inference.flags {
            let evidence = String(decoding: try jsonEncoder.encode(flag), as: UTF8.self)
            try sql.execute("""
                INSERT INTO flag (session_id, kind, severity, confidence, evidence_json, advice, created_at, flag_key)
                VALUES (\(id), \(flag.topic.rawValue), \(flag.severity.rawValue), \(flag.confidence), \(evidence),
                        \(flag.advice.joined(separator: "\n")), \(now), \(flag.id))
                """)
        }
        var facts = inference.facts
        facts.sessionKey = String(id)
        let json = String(decoding: try jsonEncoder.encode(facts), as: UTF8.self)
        try sql.execute("""
            INSERT INTO session_facts (session_id, facts_json, computed_at) VALUES (\(id), \(json), \(now))
            ON CONFLICT (session_id) DO UPDATE SET facts_json = excluded.facts_json, computed_at = excluded.computed_at
            """)
    }

    // MARK: - Rows to records

    static func runnerRecord(_ row: PostgresRandomAccessRow) throws -> RunnerRecord {
        var runner = RunnerRecord(id: try row.get("id"), name: try row.get("name"), createdAt: try row.get("created_at"),
                                  currentShoeId: try row.get("current_shoe_id"))
        runner.redFlagsClearedAt = try row.get("red_flags_cleared_at")
        runner.redFlagsClearedBy = try row.get("red_flags_cleared_by")
        return runner
    }

    static func shoeRecord(_ row: PostgresRandomAccessRow) throws -> ShoeRecord {
        ShoeRecord(id: try row.get("id"), runnerId: try row.get("runner_id"), name: try row.get("name"), startDate: try row.get("start_date"),
                   distanceSoFarKm: try row.get("distance_so_far_km"), retired: try row.get("retired"))
    }

    /// The JSON of flags, facts and speeds: SQLite's store's encoder, so both stores hold the same documents.
    static var jsonEncoder: JSONEncoder { SQLiteSessionStore.jsonEncoder }
    static var jsonDecoder: JSONDecoder { SQLiteSessionStore.jsonDecoder }
}
