import Foundation
import PostgresNIO

/// Filling a clinic's store for its benchmark (`gait load-clinic`): copies of sessions that were
/// really analysed (imported through `SessionIngest`), made inside PostgreSQL with set-based
/// `INSERT … SELECT` statements, one transaction per runner, so that a store of 20,000 one-hour
/// runs takes minutes instead of the hours 20,000 analyses would.
///
/// A copy has its own id, runner, start (shifted), arrival time and content hash (SHA-256 of the
/// template's hash and the copy's id), the template's summary document, flags and facts, a pain
/// entry on two runs in three, and, when asked, the template's steps and raw sample chunks (the
/// bytes are the template's: a copy's content hash is not the hash of its samples).
extension PostgresSessionStore {
    /// What one runner's copies are.
    public struct SessionCopyPlan: Sendable {
        /// The runner who gets the copies.
        public var runnerID: Int64
        /// The analysed sessions copied, in turn.
        public var templateIDs: [SessionID]
        /// How many copies.
        public var count: Int
        /// The start of the most recent copy; each earlier one starts `spacingS` before the next.
        public var latestStart: Date
        /// Time between the starts of two consecutive copies, seconds.
        public var spacingS: Double
        /// How many of the most recent copies carry the template's steps (the rest: summary, flags and facts only).
        public var withSteps: Int
        /// How many of the most recent copies carry the template's raw sample chunks.
        public var withRawSamples: Int
        /// Whether the most recent copy has a pain entry with a red flag (numbness).
        public var redFlagOnLatest: Bool

        public init(runnerID: Int64, templateIDs: [SessionID], count: Int, latestStart: Date, spacingS: Double,
                    withSteps: Int, withRawSamples: Int, redFlagOnLatest: Bool) {
            self.runnerID = runnerID
            self.templateIDs = templateIDs
            self.count = count
            self.latestStart = latestStart
            self.spacingS = spacingS
            self.withSteps = withSteps
            self.withRawSamples = withRawSamples
            self.redFlagOnLatest = redFlagOnLatest
        }
    }

    /// Stores the copies of `plan` in one transaction; returns their number.
    @discardableResult
    public func copySessions(_ plan: SessionCopyPlan) throws -> Int {
        guard plan.count > 0, !plan.templateIDs.isEmpty else { return 0 }
        return try write("copying sessions for runner \(plan.runnerID)") { sql in
            try sql.execute("""
                CREATE TEMP TABLE IF NOT EXISTS copy_plan (
                    new_id BIGINT PRIMARY KEY, template_id BIGINT NOT NULL, slot INT NOT NULL, started_at TIMESTAMPTZ NOT NULL,
                    with_steps BOOLEAN NOT NULL, with_raw BOOLEAN NOT NULL) ON COMMIT DELETE ROWS
                """)
            // Slot 0 is the most recent copy.
            try sql.execute("""
                INSERT INTO copy_plan (new_id, template_id, slot, started_at, with_steps, with_raw)
                SELECT nextval(pg_get_serial_sequence('session', 'id')), (\(plan.templateIDs)::int8[])[1 + g % \(plan.templateIDs.count)], g,
                       \(PostgresSQL.stored(plan.latestStart)) - make_interval(secs => g * \(plan.spacingS)), g < \(plan.withSteps), g < \(plan.withRawSamples)
                FROM generate_series(0, \(plan.count - 1)) AS g
                """)
            // A temporary table has no statistics: without them the planner hashes the whole step
            // table (millions of rows, growing with every runner) instead of looking up the templates' steps.
            try sql.execute("ANALYZE copy_plan")
            try sql.execute("""
                INSERT INTO session (id, runner_id, content_hash, source, source_path, started_at, time_zone, duration_s, sample_rate_hz,
                    configured_sample_rate_hz, sample_count, has_gyroscope, reader_input_json, surface, imported_at, distance_km, incomplete_reason)
                SELECT p.new_id, \(plan.runnerID), encode(sha256(convert_to(t.content_hash || ':copy:' || p.new_id, 'UTF8')), 'hex'), t.source,
                    t.source_path, p.started_at, t.time_zone, t.duration_s, t.sample_rate_hz, t.configured_sample_rate_hz, t.sample_count,
                    t.has_gyroscope, t.reader_input_json, t.surface, p.started_at + interval '2 hours', t.distance_km, t.incomplete_reason
                FROM copy_plan p JOIN session t ON t.id = p.template_id ORDER BY p.new_id
                """)
            try sql.execute("""
                INSERT INTO session_summary (session_id, step_count, cadence_spm, primary_activity, document_json, analyzed_at)
                SELECT p.new_id, m.step_count, m.cadence_spm, m.primary_activity, m.document_json, p.started_at + interval '2 hours'
                FROM copy_plan p JOIN session_summary m ON m.session_id = p.template_id
                """)
            try sql.execute("""
                INSERT INTO flag (session_id, kind, severity, confidence, evidence_json, advice, created_at, flag_key)
                SELECT p.new_id, f.kind, f.severity, f.confidence, f.evidence_json, f.advice, p.started_at + interval '2 hours', f.flag_key
                FROM copy_plan p JOIN flag f ON f.session_id = p.template_id ORDER BY p.new_id, f.id
                """)
            try sql.execute("""
                INSERT INTO session_facts (session_id, facts_json, computed_at)
                SELECT p.new_id, f.facts_json, p.started_at + interval '2 hours' FROM copy_plan p JOIN session_facts f ON f.session_id = p.template_id
                """)
            try sql.execute("""
                INSERT INTO session_watch (session_id, source, speed_json, paired_at)
                SELECT p.new_id, w.source, w.speed_json, w.paired_at FROM copy_plan p JOIN session_watch w ON w.session_id = p.template_id
                """)
            // Pain after two runs in three, 0 to 6 and varying by runner and run; lasting into the next day after every fifth.
            try sql.execute("""
                INSERT INTO pain_log (session_id, pain_score, location, note, recorded_at, next_day, red_flags)
                SELECT p.new_id, (p.slot * 7 + \(plan.runnerID)) % 7, 'lower back', 'after the run', p.started_at + interval '3 hours',
                       p.slot % 5 = 0, CASE WHEN p.slot = 0 AND \(plan.redFlagOnLatest) THEN 'numbness' END
                FROM copy_plan p WHERE p.slot % 3 <> 2 OR (p.slot = 0 AND \(plan.redFlagOnLatest)) ORDER BY p.new_id
                """)
            let stepColumns = (["step_index", "initial_contact_s", "side", "activity"] + Self.stepFloatColumns).joined(separator: ", ")
            let sourceColumns = (["step_index", "initial_contact_s", "side", "activity"] + Self.stepFloatColumns).map { "s." + $0 }.joined(separator: ", ")
            try sql.execute(PostgresQuery(unsafeSQL: """
                INSERT INTO step (session_id, \(stepColumns))
                SELECT p.new_id, \(sourceColumns) FROM copy_plan p JOIN step s ON s.session_id = p.template_id WHERE p.with_steps
                """))
            try sql.execute("""
                INSERT INTO raw_chunk (session_id, chunk_index, sample_count, first_time_s, encoded_byte_count, data)
                SELECT p.new_id, c.chunk_index, c.sample_count, c.first_time_s, c.encoded_byte_count, c.data
                FROM copy_plan p JOIN raw_chunk c ON c.session_id = p.template_id WHERE p.with_raw
                """)
            return plan.count
        }
    }

    /// The bytes each table takes on disk (with its indexes and TOAST), largest first.
    public func tableSizes() throws -> [(table: String, bytes: Int64)] {
        try read("measuring the tables") { sql in
            try sql.rows("""
                SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY bytes DESC
                """).map { (try $0.get("name", as: String.self), try $0.get("bytes", as: Int64.self)) }
        }
    }

    /// Refreshes the planner's statistics of every table (after a bulk load).
    public func analyzeTables() throws {
        try wrap("analysing the tables") { try withConnection { try $0.execute("ANALYZE") } }
    }
}
