import Dispatch
import Foundation
import GaitDSP
import PostgresNIO

/// Sessions in: the one short write of an ingest, idempotency, and analyses replaced by a newer engine.
extension PostgresSessionStore {
    public func insertSession(_ draft: SessionDraft, rawSamples: RawChunkSpool, inference: SessionInference?) throws -> InsertOutcome {
        // Everything that can be encoded is encoded before the transaction: inside it only rows are sent.
        let readerInputJSON = try wrap("storing \(draft.sourcePath)") { String(decoding: try JSONEncoder().encode(draft.readerInput), as: UTF8.self) }
        let analysis = try wrap("storing \(draft.sourcePath)") { try PreparedAnalysis(draft.analysis) }
        // From BEGIN to the end of COMMIT, as SQLite's store measures its write lock.
        let start = DispatchTime.now().uptimeNanoseconds
        let (id, inserted, replaced) = try write("storing \(draft.sourcePath)") { sql -> (SessionID, Bool, ReplacedCopy?) in
            // Inserts are serialised (across servers sharing the database too), so the check below
            // holds until the commit: two ways in racing with the same session store it once. The
            // same bytes are the same copy; another copy of a stored clip session replaces it only
            // when it is more complete (as SQLite's store does).
            try sql.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.insertLockKey))")
            if let id = try Self.existingSession(sql, contentHash: draft.contentHash, clip: nil) { return (id, false, nil) }
            if let identity = draft.clip, let id = try Self.existingSession(sql, contentHash: nil, clip: identity) {
                let copy = try Self.replaceIfLessComplete(sql, sessionID: id, draft: draft, rawSamples: rawSamples,
                                                          readerInputJSON: readerInputJSON, analysis: analysis)
                return (id, copy != nil, copy)
            }
            var clipID: Int64?
            var clipSessionID: Int64?
            if let identity = draft.clip {
                clipID = try Self.clip(sql, serial: identity.serial, firmware: identity.firmware).id
                clipSessionID = Int64(identity.sessionID)
            }
            let id = try sql.value("""
                INSERT INTO session (runner_id, clip_id, clip_session_id, content_hash, source, source_path, started_at, time_zone,
                    duration_s, sample_rate_hz, configured_sample_rate_hz, sample_count, has_gyroscope, reader_input_json, shoe_id,
                    surface, imported_at, distance_km, incomplete_reason)
                VALUES (\(draft.runnerID), \(clipID), \(clipSessionID), \(draft.contentHash), \(draft.source.rawValue), \(draft.sourcePath),
                    \(PostgresSQL.stored(draft.startedAt)), \(draft.storedTimeZone), \(draft.analysis.durationS),
                    \(draft.analysis.sampleRateHz), \(draft.configuredSampleRateHz), \(rawSamples.sampleCount),
                    \(draft.analysis.input.hasGyroscope), \(readerInputJSON), \(draft.shoeID), \(String?.none),
                    \(PostgresSQL.stored(Date())), \(draft.distanceKm), \(draft.incompleteReason))
                RETURNING id
                """, as: SessionID.self)!
            try Self.storeRawChunks(rawSamples, sessionID: id, in: sql)
            try Self.store(analysis, sessionID: id, in: sql, replacing: false)
            if let speed = draft.speed { try Self.storeSpeed(speed, sessionID: id, in: sql) }
            if let inference { try Self.storeInference(inference, sessionID: id, in: sql) }
            return (id, true, nil)
        }
        return InsertOutcome(id: id, inserted: inserted, writeLockS: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, replaced: replaced)
    }

    /// Writes the spooled chunks of a session's raw samples.
    static func storeRawChunks(_ rawSamples: RawChunkSpool, sessionID id: SessionID, in sql: PostgresSQL) throws {
        for (index, entry) in rawSamples.entries.enumerated() {
            let bytes = ByteBuffer(bytes: try rawSamples.bytes(of: entry))
            try sql.execute("""
                INSERT INTO raw_chunk (session_id, chunk_index, sample_count, first_time_s, encoded_byte_count, data)
                VALUES (\(id), \(index), \(entry.sampleCount), \(entry.firstTimeS), \(entry.encodedByteCount), \(bytes))
                """)
        }
    }

    /// Replaces the stored copy `sessionID` of a clip session with the draft's when the draft has
    /// more raw samples; returns what was replaced, or nil when the stored copy is as complete and
    /// nothing was written (SQLite's `replaceIfLessComplete`, the same rule: what the session is
    /// stays, what was read from the file is the draft's, and the flags are pending again).
    static func replaceIfLessComplete(_ sql: PostgresSQL, sessionID: SessionID, draft: SessionDraft, rawSamples: RawChunkSpool,
                                      readerInputJSON: String, analysis: PreparedAnalysis) throws -> ReplacedCopy? {
        guard let session = try sql.row("SELECT * FROM session WHERE id = \(sessionID) FOR UPDATE").map(sessionRecord),
              rawSamples.sampleCount > session.sampleCount else { return nil }
        let replaced = ReplacedCopy(previousSampleCount: session.sampleCount, previousIncompleteReason: session.incompleteReason,
                                    sampleCount: rawSamples.sampleCount)
        if let identity = draft.clip { _ = try clip(sql, serial: identity.serial, firmware: identity.firmware) }
        try sql.execute("""
            UPDATE session SET content_hash = \(draft.contentHash), source = \(draft.source.rawValue), source_path = \(draft.sourcePath),
                started_at = COALESCE(started_at, \(PostgresSQL.stored(draft.startedAt))), duration_s = \(draft.analysis.durationS),
                sample_rate_hz = \(draft.analysis.sampleRateHz), configured_sample_rate_hz = \(draft.configuredSampleRateHz),
                sample_count = \(rawSamples.sampleCount), has_gyroscope = \(draft.analysis.input.hasGyroscope),
                reader_input_json = \(readerInputJSON), incomplete_reason = \(draft.incompleteReason),
                runner_id = COALESCE(runner_id, \(draft.runnerID)), shoe_id = COALESCE(shoe_id, \(draft.shoeID)),
                distance_km = COALESCE(distance_km, \(draft.distanceKm)), imported_at = \(PostgresSQL.stored(Date()))
            WHERE id = \(sessionID)
            """)
        try sql.execute("DELETE FROM raw_chunk WHERE session_id = \(sessionID)")
        try storeRawChunks(rawSamples, sessionID: sessionID, in: sql)
        try store(analysis, sessionID: sessionID, in: sql, replacing: true)
        if let speed = draft.speed { try storeSpeed(speed, sessionID: sessionID, in: sql) }
        try sql.execute("DELETE FROM session_facts WHERE session_id = \(sessionID)")
        return replaced
    }

    public func existingSession(contentHash: String?, clip: SessionDraft.ClipIdentity?) throws -> SessionID? {
        try read("looking up a session") { try Self.existingSession($0, contentHash: contentHash, clip: clip) }
    }

    /// The stored session with this content hash or this clip serial + clip session id.
    static func existingSession(_ sql: PostgresSQL, contentHash: String?, clip: SessionDraft.ClipIdentity?) throws -> SessionID? {
        if let clip, let id = try sql.value("""
            SELECT s.id FROM session s JOIN clip c ON c.id = s.clip_id WHERE c.serial = \(clip.serial) AND s.clip_session_id = \(Int64(clip.sessionID))
            """, as: SessionID.self) {
            return id
        }
        if let contentHash { return try sql.value("SELECT id FROM session WHERE content_hash = \(contentHash)", as: SessionID.self) }
        return nil
    }

    /// The clip with this serial, added when new; its firmware is updated when given and changed.
    static func clip(_ sql: PostgresSQL, serial: String, firmware: String?) throws -> ClipRecord {
        // ON CONFLICT: another server may add the same clip between the look-up and the insert.
        try sql.execute("INSERT INTO clip (serial, firmware) VALUES (\(serial), \(firmware)) ON CONFLICT (serial) DO NOTHING")
        if let firmware {
            try sql.execute("UPDATE clip SET firmware = \(firmware) WHERE serial = \(serial) AND firmware IS DISTINCT FROM \(firmware)")
        }
        return try sql.row("SELECT * FROM clip WHERE serial = \(serial)").map(clipRecord)!
    }

    static func clipRecord(_ row: PostgresRandomAccessRow) throws -> ClipRecord {
        ClipRecord(id: try row.get("id"), serial: try row.get("serial"), firmware: try row.get("firmware"), runnerId: try row.get("runner_id"))
    }

    public func replaceAnalysis(sessionID: SessionID, analysis: GaitAnalysis) throws -> Bool {
        let prepared = try wrap("storing the analysis of session \(sessionID)") { try PreparedAnalysis(analysis) }
        return try write("storing the analysis of session \(sessionID)") { sql in
            // FOR UPDATE: a concurrent replacement of the same session waits, so `before` is what this one replaces.
            guard try sql.exists("SELECT 1 FROM session WHERE id = \(sessionID) FOR UPDATE") else { throw SessionStoreError.noSuchSession(id: sessionID) }
            let before = try Self.storedAnalysis(sql, sessionID: sessionID)
            try Self.store(prepared, sessionID: sessionID, in: sql, replacing: true)
            // The flags were computed from the old analysis: they are pending until recomputed.
            if before != analysis { try sql.execute("DELETE FROM session_facts WHERE session_id = \(sessionID)") }
            return before != analysis
        }
    }

    // MARK: - Steps and summary

    /// The step's metric columns after `initial_contact_s, side, activity`, in `PreparedAnalysis.floatColumnNames` order.
    enum StepMetric: Int, CaseIterable {
        case sideConfidence, stepTimeS, impactPeakG, loadingRateGPerS, brakingPeakG, brakingVelocityLossMPS, groundContactTimeS,
             verticalOscillationCm, pelvisTiltDeg, pelvicRotationDeg, pelvicObliquityDeg, contactTimeQuality, peakVerticalForceBW

        /// The column in the `step` table.
        var column: String {
            switch self {
            case .sideConfidence: "side_confidence"
            case .stepTimeS: "step_time_s"
            case .impactPeakG: "impact_peak_g"
            case .loadingRateGPerS: "loading_rate_g_per_s"
            case .brakingPeakG: "braking_peak_g"
            case .brakingVelocityLossMPS: "braking_velocity_loss_mps"
            case .groundContactTimeS: "ground_contact_time_s"
            case .verticalOscillationCm: "vertical_oscillation_cm"
            case .pelvisTiltDeg: "pelvis_tilt_deg"
            case .pelvicRotationDeg: "pelvic_rotation_deg"
            case .pelvicObliquityDeg: "pelvic_obliquity_deg"
            case .contactTimeQuality: "contact_time_quality"
            case .peakVerticalForceBW: "peak_vertical_force_bw"
            }
        }
    }

    static let stepFloatColumns = StepMetric.allCases.map(\.column)

    /// Writes the steps and summary of `sessionID` (first removing the old ones when `replacing`).
    ///
    /// The steps go in one statement, column by column as arrays that `unnest` turns into rows
    /// (a 1 h run has 10,000 steps: one round trip, not 10,000). A missing side travels as "" and a
    /// missing metric as NaN (as `PreparedAnalysis` holds it), both turned back into NULL.
    static func store(_ analysis: PreparedAnalysis, sessionID: SessionID, in sql: PostgresSQL, replacing: Bool) throws {
        precondition(analysis.floats.count == stepFloatColumns.count, "PreparedAnalysis's step columns changed: update stepFloatColumns")
        if replacing { try sql.execute("DELETE FROM step WHERE session_id = \(sessionID)") }
        if !analysis.initialContactS.isEmpty {
            var binds = PostgresBindings()
            binds.append(sessionID)
            binds.append(analysis.initialContactS)
            binds.append(analysis.side.map { $0 ?? "" })
            binds.append(analysis.activity)
            for column in analysis.floats { binds.append(column.map { Double($0) }) }
            let floatCount = stepFloatColumns.count
            let arrays = (0..<floatCount).map { "$\($0 + 5)::float8[]" }.joined(separator: ", ")
            let names = (0..<floatCount).map { "f\($0)" }.joined(separator: ", ")
            let values = (0..<floatCount).map { "NULLIF(t.f\($0), 'NaN')" }.joined(separator: ", ")
            try sql.execute(PostgresQuery(unsafeSQL: """
                INSERT INTO step (session_id, step_index, initial_contact_s, side, activity, \(stepFloatColumns.joined(separator: ", ")))
                SELECT $1, t.position - 1, t.initial_contact_s, NULLIF(t.side, ''), t.activity, \(values)
                FROM unnest($2::float8[], $3::text[], $4::text[], \(arrays)) WITH ORDINALITY
                    AS t(initial_contact_s, side, activity, \(names), position)
                """, binds: binds))
        }
        try sql.execute("""
            INSERT INTO session_summary (session_id, step_count, cadence_spm, primary_activity, document_json, analyzed_at)
            VALUES (\(sessionID), \(analysis.summaryStepCount), \(analysis.cadenceSpm.map { Double($0) }), \(analysis.primaryActivity),
                    \(analysis.documentJSON), \(PostgresSQL.stored(Date())))
            ON CONFLICT (session_id) DO UPDATE SET step_count = excluded.step_count, cadence_spm = excluded.cadence_spm,
                primary_activity = excluded.primary_activity, document_json = excluded.document_json, analyzed_at = excluded.analyzed_at
            """)
    }

    /// The stored analysis document with its steps, or nil when the session has not been analysed.
    static func storedAnalysis(_ sql: PostgresSQL, sessionID id: SessionID) throws -> GaitAnalysis? {
        guard let json = try sql.value("SELECT document_json FROM session_summary WHERE session_id = \(id)", as: String.self) else { return nil }
        var analysis = try GaitAnalysis.decode(json: Data(json.utf8))
        let floats = stepFloatColumns.joined(separator: ", ")
        analysis.steps = try sql.rows("""
            SELECT initial_contact_s, side, activity, \(unescaped: floats) FROM step WHERE session_id = \(id) ORDER BY step_index
            """).map { try step($0, sessionID: id) }
        return analysis
    }

    /// A `step` row as the analysis has it (as `StepRecord.step` builds it from SQLite's row). The
    /// columns are read by position, as `storedAnalysis` selects them (10,000 rows of a 1 h run).
    static func step(_ row: PostgresRandomAccessRow, sessionID: SessionID) throws -> GaitStep {
        func value(_ metric: StepMetric) throws -> Float? { try row[3 + metric.rawValue].decode(Double?.self).map { Float($0) } }
        func required(_ metric: StepMetric) throws -> Float {
            guard let number = try value(metric) else {
                throw SessionStoreError.invalidValue(field: "step.\(metric.column)", reason: "NULL in session \(sessionID)")
            }
            return number
        }
        let initialContactS = try row[0].decode(Double.self)
        let sideText = try row[1].decode(String?.self)
        let activityText = try row[2].decode(String.self)
        guard let activity = ActivityKind(rawValue: activityText) else {
            throw SessionStoreError.invalidValue(field: "step.activity", reason: "unknown activity '\(activityText)' in session \(sessionID)")
        }
        let side = try sideText.map { text in
            guard let side = FootSide(rawValue: text) else {
                throw SessionStoreError.invalidValue(field: "step.side", reason: "unknown side '\(text)' in session \(sessionID)")
            }
            return side
        }
        let groundContactTimeS = try value(.groundContactTimeS)
        return GaitStep(
            initialContactS: initialContactS, side: side, sideConfidence: try required(.sideConfidence), activity: activity,
            stepTimeS: try value(.stepTimeS), impactPeakG: try required(.impactPeakG), loadingRateGPerS: try value(.loadingRateGPerS),
            brakingPeakG: try required(.brakingPeakG), brakingVelocityLossMPS: try required(.brakingVelocityLossMPS),
            groundContactTimeS: groundContactTimeS, finalContactS: groundContactTimeS.map { initialContactS + Double($0) },
            contactTimeQuality: try value(.contactTimeQuality), peakVerticalForceBW: try value(.peakVerticalForceBW),
            verticalOscillationCm: try value(.verticalOscillationCm), pelvisTiltDeg: try required(.pelvisTiltDeg),
            pelvicRotationDeg: try value(.pelvicRotationDeg), pelvicObliquityDeg: try value(.pelvicObliquityDeg))
    }
}
