import Foundation
import GaitInference
import PostgresNIO

/// A runner's flags, pain logs and arrivals in one query each, instead of the default's one per session.
extension PostgresSessionStore {
    public func storedFlags(runnerID: Int64) throws -> [SessionID: [GaitFlag]] {
        try statements("reading the flags of runner \(runnerID)") { sql in
            var flags: [SessionID: [GaitFlag]] = [:]
            for row in try sql.rows("""
                SELECT f.session_id, f.flag_key, f.evidence_json FROM flag f JOIN session s ON s.id = f.session_id
                WHERE s.runner_id = \(runnerID) ORDER BY f.session_id, f.id
                """) {
                // As `storedFlags(_:sessionID:)`: flags stored without a key are not `GaitFlag` documents.
                guard try row.get("flag_key", as: String?.self) != nil,
                      let flag = try? Self.jsonDecoder.decode(GaitFlag.self, from: Data(try row.get("evidence_json", as: String.self).utf8)) else { continue }
                flags[try row.get("session_id", as: SessionID.self), default: []].append(flag)
            }
            return flags
        }
    }

    public func painLogs(runnerID: Int64) throws -> [SessionID: [PainLogEntry]] {
        try statements("reading the pain log of runner \(runnerID)") { sql in
            let entries = try sql.rows("""
                SELECT p.* FROM pain_log p JOIN session s ON s.id = p.session_id WHERE s.runner_id = \(runnerID) ORDER BY p.session_id, p.id
                """).map(Self.painLogEntry)
            return Dictionary(grouping: entries, by: \.sessionId)
        }
    }

    public func arrivals(runnerID: Int64) throws -> [Date] {
        try statements("listing the sessions of runner \(runnerID)") { sql in
            // The order of `sessions(runnerID:)`.
            try sql.values("SELECT imported_at FROM session WHERE runner_id = \(runnerID) ORDER BY started_at DESC NULLS LAST, id DESC", as: Date.self)
        }
    }
}
