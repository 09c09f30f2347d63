import Foundation
import GRDB

/// Pairing codes, paired devices and pushed pain entries: the clinic's side of the clinic push.
extension SQLiteSessionStore {
    public func addPairingCode(_ code: PairingCodeRecord) throws {
        try wrap("storing a pairing code") {
            try database.write { db in
                _ = try PairingCodeRecord.filter(PairingCodeRecord.Columns.expiresAt < Date()).deleteAll(db)
                try code.insert(db)
            }
        }
    }

    public func redeemPairingCode(codeHash: String, device: DeviceRecord, now: Date) throws -> PairingRedemption {
        try wrap("redeeming a pairing code") {
            try database.write { db -> PairingRedemption in
                guard var code = try PairingCodeRecord.fetchOne(db, key: codeHash) else { return .unknownCode }
                if code.usedAt != nil { return .alreadyUsed }
                if code.expiresAt <= now { return .expired }
                code.usedAt = now
                try code.update(db)
                var device = device
                device.runnerId = code.runnerId
                try device.insert(db)
                return .paired(device)
            }
        }
    }

    public func device(tokenHash: String) throws -> DeviceRecord? {
        try wrap("reading a device") {
            try database.read { try DeviceRecord.filter(DeviceRecord.Columns.tokenHash == tokenHash).fetchOne($0) }
        }
    }

    public func devices(runnerID: Int64) throws -> [DeviceRecord] {
        try wrap("listing the devices of runner \(runnerID)") {
            try database.read { try DeviceRecord.filter(DeviceRecord.Columns.runnerId == runnerID).order(DeviceRecord.Columns.id.desc).fetchAll($0) }
        }
    }

    public func revokeDevice(id: Int64, runnerID: Int64, at: Date) throws -> Bool {
        try wrap("revoking device \(id)") {
            try database.write { db in
                try DeviceRecord
                    .filter(DeviceRecord.Columns.id == id && DeviceRecord.Columns.runnerId == runnerID && DeviceRecord.Columns.revokedAt == nil)
                    .updateAll(db, DeviceRecord.Columns.revokedAt.set(to: at)) > 0
            }
        }
    }

    public func addPushedPain(_ entry: PainLogEntry, entryKey: String) throws -> Bool {
        if let score = entry.painScore, !(0...10).contains(score) {
            throw SessionStoreError.invalidValue(field: "painScore", reason: "pain is 0 to 10, got \(score)")
        }
        return try wrap("adding a pushed entry to the pain log of session \(entry.sessionId)") {
            try database.write { db in
                let known = try Int64.fetchOne(db, sql: "SELECT painLogId FROM pushedPain WHERE sessionId = ? AND entryKey = ?",
                                               arguments: [entry.sessionId, entryKey])
                if known != nil { return false }
                var entry = entry
                try entry.insert(db)
                try db.execute(sql: "INSERT INTO pushedPain (sessionId, entryKey, painLogId) VALUES (?, ?, ?)",
                               arguments: [entry.sessionId, entryKey, entry.id])
                return true
            }
        }
    }
}

/// What the runner's gaitd delivered to its clinic.
extension SQLiteSessionStore {
    public func sessionsAwaitingDelivery(clinic: String) throws -> [SessionID] {
        try wrap("listing the sessions to deliver to \(clinic)") {
            try database.read { db in
                try SessionID.fetchAll(db, sql: """
                    SELECT s.id FROM session s WHERE NOT EXISTS (
                        SELECT 1 FROM clinicDelivery d WHERE d.clinic = ? AND d.sessionId = s.id AND (d.refused OR (
                            d.deliveredAt IS NOT NULL AND
                            COALESCE((SELECT MAX(p.id) FROM painLog p WHERE p.sessionId = s.id), 0) <= COALESCE(d.painLogMaxId, 0))))
                    ORDER BY s.id
                    """, arguments: [clinic])
            }
        }
    }

    public func recordDeliveryFailure(clinic: String, sessionID: SessionID, reason: String, permanent: Bool, at: Date) throws {
        try wrap("recording a delivery attempt of session \(sessionID)") {
            try database.write { db in
                var record = try ClinicDeliveryRecord.fetchOne(db, key: ["clinic": clinic, "sessionId": sessionID])
                    ?? ClinicDeliveryRecord(clinic: clinic, sessionId: sessionID)
                // A session delivered before (sent again for a new pain entry) stays delivered.
                if record.deliveredAt != nil && !permanent {
                    record.lastError = String(reason.prefix(1000))
                    record.lastAttemptAt = at
                    try record.save(db)
                    return
                }
                record.attempts += 1
                record.lastError = String(reason.prefix(1000))
                record.lastAttemptAt = at
                record.refused = permanent
                try record.save(db)
            }
        }
    }

    public func recordDelivered(clinic: String, sessionID: SessionID, clinicSessionID: Int64, painLogMaxID: Int64?, at: Date) throws {
        try wrap("recording the delivery of session \(sessionID)") {
            try database.write { db in
                var record = try ClinicDeliveryRecord.fetchOne(db, key: ["clinic": clinic, "sessionId": sessionID])
                    ?? ClinicDeliveryRecord(clinic: clinic, sessionId: sessionID)
                record.attempts += 1
                record.lastError = nil
                record.lastAttemptAt = at
                record.deliveredAt = at
                record.clinicSessionId = clinicSessionID
                record.refused = false
                record.painLogMaxId = painLogMaxID
                try record.save(db)
            }
        }
    }

    public func deliveries(clinic: String) throws -> [ClinicDeliveryRecord] {
        try wrap("listing the deliveries to \(clinic)") {
            try database.read { try ClinicDeliveryRecord.filter(ClinicDeliveryRecord.Columns.clinic == clinic).order(ClinicDeliveryRecord.Columns.sessionId).fetchAll($0) }
        }
    }
}
