import Foundation
import PostgresNIO

/// Pairing codes, paired devices and pushed pain entries (the clinic's side of the clinic push),
/// and what a runner's gaitd delivered (its side): as `SQLiteSessionStore+Clinic` does.
extension PostgresSessionStore {
    public func addPairingCode(_ code: PairingCodeRecord) throws {
        try write("storing a pairing code") { sql in
            try sql.execute("DELETE FROM pairing_code WHERE expires_at < \(PostgresSQL.stored(Date()))")
            try sql.execute("""
                INSERT INTO pairing_code (code_hash, runner_id, created_by_account_id, created_at, expires_at, used_at)
                VALUES (\(code.codeHash), \(code.runnerId), \(code.createdByAccountId), \(PostgresSQL.stored(code.createdAt)),
                        \(PostgresSQL.stored(code.expiresAt)), \(PostgresSQL.stored(code.usedAt)))
                """)
        }
    }

    public func redeemPairingCode(codeHash: String, device: DeviceRecord, now: Date) throws -> PairingRedemption {
        try write("redeeming a pairing code") { sql -> PairingRedemption in
            // FOR UPDATE: two devices with the same code at once, one of them pairs.
            guard let row = try sql.row("SELECT runner_id, expires_at, used_at FROM pairing_code WHERE code_hash = \(codeHash) FOR UPDATE") else {
                return .unknownCode
            }
            if try row.get("used_at", as: Date?.self) != nil { return .alreadyUsed }
            if try row.get("expires_at", as: Date.self) <= now { return .expired }
            try sql.execute("UPDATE pairing_code SET used_at = \(PostgresSQL.stored(now)) WHERE code_hash = \(codeHash)")
            var device = device
            device.runnerId = try row.get("runner_id")
            device.createdAt = PostgresSQL.stored(device.createdAt)
            device.expiresAt = PostgresSQL.stored(device.expiresAt)
            device.id = try sql.value("""
                INSERT INTO device (runner_id, name, token_hash, created_at, expires_at, revoked_at)
                VALUES (\(device.runnerId), \(device.name), \(device.tokenHash), \(device.createdAt), \(device.expiresAt), \(PostgresSQL.stored(device.revokedAt)))
                RETURNING id
                """, as: Int64.self)
            return .paired(device)
        }
    }

    public func device(tokenHash: String) throws -> DeviceRecord? {
        try read("reading a device") { try $0.row("SELECT * FROM device WHERE token_hash = \(tokenHash)").map(Self.deviceRecord) }
    }

    public func devices(runnerID: Int64) throws -> [DeviceRecord] {
        try read("listing the devices of runner \(runnerID)") {
            try $0.rows("SELECT * FROM device WHERE runner_id = \(runnerID) ORDER BY id DESC").map(Self.deviceRecord)
        }
    }

    public func revokeDevice(id: Int64, runnerID: Int64, at: Date) throws -> Bool {
        try write("revoking device \(id)") { sql in
            try sql.row("""
                UPDATE device SET revoked_at = \(PostgresSQL.stored(at)) WHERE id = \(id) AND runner_id = \(runnerID) AND revoked_at IS NULL RETURNING id
                """) != nil
        }
    }

    public func addPushedPain(_ entry: PainLogEntry, entryKey: String) throws -> Bool {
        if let score = entry.painScore, !(0...10).contains(score) {
            throw SessionStoreError.invalidValue(field: "painScore", reason: "pain is 0 to 10, got \(score)")
        }
        return try write("adding a pushed entry to the pain log of session \(entry.sessionId)") { sql in
            // The session's row lock orders two pushes of the same entry: one adds it.
            guard try sql.exists("SELECT 1 FROM session WHERE id = \(entry.sessionId) FOR UPDATE") else {
                throw SessionStoreError.noSuchSession(id: entry.sessionId)
            }
            if try sql.exists("SELECT 1 FROM pushed_pain WHERE session_id = \(entry.sessionId) AND entry_key = \(entryKey)") { return false }
            let id = try sql.value("""
                INSERT INTO pain_log (session_id, pain_score, location, at_s, note, recorded_at, next_day, red_flags, author_account_id)
                VALUES (\(entry.sessionId), \(entry.painScore), \(entry.location), \(entry.atS), \(entry.note),
                        \(PostgresSQL.stored(entry.recordedAt)), \(entry.nextDay), \(entry.redFlags), \(entry.authorAccountId))
                RETURNING id
                """, as: Int64.self)
            try sql.execute("INSERT INTO pushed_pain (session_id, entry_key, pain_log_id) VALUES (\(entry.sessionId), \(entryKey), \(id))")
            return true
        }
    }

    // MARK: The runner's side

    public func sessionsAwaitingDelivery(clinic: String) throws -> [SessionID] {
        try read("listing the sessions to deliver to \(clinic)") { sql in
            try sql.values("""
                SELECT s.id FROM session s WHERE NOT EXISTS (
                    SELECT 1 FROM clinic_delivery d WHERE d.clinic = \(clinic) AND d.session_id = s.id AND (d.refused OR (
                        d.delivered_at IS NOT NULL AND
                        COALESCE((SELECT MAX(p.id) FROM pain_log p WHERE p.session_id = s.id), 0) <= COALESCE(d.pain_log_max_id, 0))))
                ORDER BY s.id
                """, as: SessionID.self)
        }
    }

    public func recordDeliveryFailure(clinic: String, sessionID: SessionID, reason: String, permanent: Bool, at: Date) throws {
        let error = String(reason.prefix(1000))
        try write("recording a delivery attempt of session \(sessionID)") { sql in
            // A session delivered before (sent again for a new pain entry) stays delivered.
            try sql.execute("""
                INSERT INTO clinic_delivery (clinic, session_id, attempts, last_error, last_attempt_at, refused)
                VALUES (\(clinic), \(sessionID), 1, \(error), \(PostgresSQL.stored(at)), \(permanent))
                ON CONFLICT (clinic, session_id) DO UPDATE SET
                    attempts = clinic_delivery.attempts + CASE WHEN clinic_delivery.delivered_at IS NOT NULL AND NOT \(permanent) THEN 0 ELSE 1 END,
                    last_error = excluded.last_error, last_attempt_at = excluded.last_attempt_at,
                    refused = CASE WHEN clinic_delivery.delivered_at IS NOT NULL AND NOT \(permanent) THEN clinic_delivery.refused ELSE \(permanent) END
                """)
        }
    }

    public func recordDelivered(clinic: String, sessionID: SessionID, clinicSessionID: Int64, painLogMaxID: Int64?, at: Date) throws {
        try write("recording the delivery of session \(sessionID)") { sql in
            try sql.execute("""
                INSERT INTO clinic_delivery (clinic, session_id, clinic_session_id, attempts, last_error, last_attempt_at, delivered_at, refused, pain_log_max_id)
                VALUES (\(clinic), \(sessionID), \(clinicSessionID), 1, NULL, \(PostgresSQL.stored(at)), \(PostgresSQL.stored(at)), FALSE, \(painLogMaxID))
                ON CONFLICT (clinic, session_id) DO UPDATE SET
                    attempts = clinic_delivery.attempts + 1, last_error = NULL, last_attempt_at = excluded.last_attempt_at,
                    delivered_at = excluded.delivered_at, clinic_session_id = excluded.clinic_session_id, refused = FALSE,
                    pain_log_max_id = excluded.pain_log_max_id
                """)
        }
    }

    public func deliveries(clinic: String) throws -> [ClinicDeliveryRecord] {
        try read("listing the deliveries to \(clinic)") { sql in
            try sql.rows("SELECT * FROM clinic_delivery WHERE clinic = \(clinic) ORDER BY session_id").map { row in
                ClinicDeliveryRecord(
                    clinic: try row.get("clinic"), sessionId: try row.get("session_id"), clinicSessionId: try row.get("clinic_session_id"),
                    attempts: Int(try row.get("attempts", as: Int64.self)), lastError: try row.get("last_error"),
                    lastAttemptAt: try row.get("last_attempt_at"), deliveredAt: try row.get("delivered_at"), refused: try row.get("refused"),
                    painLogMaxId: try row.get("pain_log_max_id"))
            }
        }
    }

    static func deviceRecord(_ row: PostgresRandomAccessRow) throws -> DeviceRecord {
        DeviceRecord(id: try row.get("id"), runnerId: try row.get("runner_id"), name: try row.get("name"), tokenHash: try row.get("token_hash"),
                     createdAt: try row.get("created_at"), expiresAt: try row.get("expires_at"), revokedAt: try row.get("revoked_at"))
    }
}
