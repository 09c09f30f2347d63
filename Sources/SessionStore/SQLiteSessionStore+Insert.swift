import Dispatch
import Foundation
import GaitDSP
import GRDB

extension SQLiteSessionStore {
    public func insertSession(_ draft: SessionDraft, rawSamples: RawChunkSpool, inference: SessionInference?) throws -> InsertOutcome {
        try wrap("storing \(draft.sourcePath)") {
            var lockS = 0.0
            let (id, inserted): (SessionID, Bool) = try database.write { db in
                let start = DispatchTime.now().uptimeNanoseconds
                defer { lockS = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
                // Checked again inside the write: two ways in may race with the same session.
                if let id = try Self.existingSession(db, contentHash: draft.contentHash, clip: draft.clip) { return (id, false) }
                var session = SessionRecord(
                    id: nil, runnerId: draft.runnerID, clipId: nil, clipSessionId: nil, contentHash: draft.contentHash,
                    source: draft.source, sourcePath: draft.sourcePath, startedAt: draft.startedAt,
                    timeZone: TimeZone.current.identifier, durationS: draft.analysis.durationS,
                    sampleRateHz: draft.analysis.sampleRateHz, configuredSampleRateHz: draft.configuredSampleRateHz,
                    sampleCount: rawSamples.sampleCount, hasGyroscope: draft.analysis.input.hasGyroscope,
                    readerInputJSON: String(decoding: try JSONEncoder().encode(draft.readerInput), as: UTF8.self),
                    shoeId: draft.shoeID, surface: nil, importedAt: Date(), distanceKm: draft.distanceKm)
                if let identity = draft.clip {
                    let clip = try Self.clip(db, serial: identity.serial, firmware: identity.firmware)
                    session.clipId = clip.id
                    session.clipSessionId = Int64(identity.sessionID)
                }
                try session.insert(db)
                let id = session.id!
                for (index, entry) in rawSamples.entries.enumerated() {
                    try RawChunkRecord(sessionId: id, chunkIndex: index, sampleCount: entry.sampleCount, firstTimeS: entry.firstTimeS,
                                       encodedByteCount: entry.encodedByteCount, data: try rawSamples.bytes(of: entry)).insert(db)
                }
                try Self.storeAnalysis(draft.analysis, sessionID: id, in: db)
                if let inference { try Self.storeInference(inference, sessionID: id, in: db) }
                return (id, true)
            }
            return InsertOutcome(id: id, inserted: inserted, writeLockS: lockS)
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
        try StepRecord.filter(Column("sessionId") == sessionID).deleteAll(db)
        for (index, step) in analysis.steps.enumerated() {
            try StepRecord(sessionId: sessionID, stepIndex: index, step: step).insert(db)
        }
        var document = analysis
        document.steps = []
        try SessionSummaryRecord(
            sessionId: sessionID, stepCount: analysis.summary.stepCount, cadenceSpm: analysis.summary.metrics?.cadenceSpm,
            primaryActivity: analysis.summary.primaryActivity?.rawValue,
            documentJSON: String(decoding: try document.jsonData(prettyPrinted: false), as: UTF8.self),
            analyzedAt: Date()
        ).save(db)
    }

    /// "1.2" from a clip header's BCD firmware version 0x0102.
    public static func firmwareName(bcd: UInt16) -> String {
        String(bcd >> 8, radix: 16) + "." + String(bcd & 0xFF, radix: 16)
    }
}
