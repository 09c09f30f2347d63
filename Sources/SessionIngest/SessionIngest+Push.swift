import Foundation
import GaitInference
import SessionStore

/// Sessions a runner's gaitd pushed to this clinic's server: the same one way in as any file,
/// with the original file's content hash as their identity and the runner's pain entries attached.
extension SessionIngest {
    /// Stores a pushed session for `runner` (idempotent by `manifest.contentHash`) with the watch's
    /// speed and slope it was paired with, and attaches its pain entries, each once; `path` is the canonical CSV the device wrote from its raw samples.
    public func ingestPushed(path: String, manifest: PushManifest, runner: String,
                             isCancelled: (@Sendable () -> Bool)? = nil) throws(SessionIngestError) -> IngestResult {
        let attribution = Attribution(
            runner: runner, distanceKm: manifest.distanceKm, startedAt: manifest.startedUTCS.map { Date(timeIntervalSince1970: $0) },
            sourceName: manifest.sourceName ?? "pushed session", contentHash: manifest.contentHash, timeZone: manifest.timeZone)
        let result = try ingestFile(path: path, attribution: attribution, isCancelled: isCancelled)
        if let speed = manifest.watchSpeed {
            let runnerID = try storeCall { () throws -> Int64? in
                guard try store.sessionSpeed(sessionID: result.id) == nil else { return nil }
                try store.setSessionSpeed(sessionID: result.id, speed: speed)
                return try store.session(id: result.id)?.runnerId
            }
            // The flags are recomputed with speed and slope (matched comparisons), and the runner's later ones.
            if let runnerID { reinferRunner(runnerID: runnerID, after: result.id, including: true) }
        }
        try attachPushedPain(sessionID: result.id, entries: manifest.pain)
        return result
    }

    /// Adds the pushed pain entries the session lacks (by their keys) and, when any was added,
    /// recomputes the runner's flags (the pain link reads the log); returns how many were added.
    @discardableResult
    public func attachPushedPain(sessionID: SessionID, entries: [PushManifest.PainEntry]) throws(SessionIngestError) -> Int {
        guard !entries.isEmpty else { return 0 }
        let (added, runnerID) = try storeCall { () throws -> (Int, Int64?) in
            guard let session = try store.session(id: sessionID) else { throw SessionStoreError.noSuchSession(id: sessionID) }
            var added = 0
            for entry in entries {
                let log = PainLogEntry(sessionId: sessionID, painScore: entry.painScore, location: entry.location, atS: entry.atS,
                                       note: entry.note, recordedAt: Date(timeIntervalSince1970: entry.recordedUTCS), nextDay: entry.nextDay,
                                       symptoms: entry.symptoms.compactMap(RedFlagSymptom.init(rawValue:)))
                if try store.addPushedPain(log, entryKey: entry.key) { added += 1 }
            }
            return (added, session.runnerId)
        }
        if added > 0 {
            if let runnerID { reinferRunner(runnerID: runnerID) } else {
                do { try reinfer(sessionID: sessionID) } catch {
                    logger.error("session \(sessionID): flags not computed: \(error); retried at the next start")
                }
            }
        }
        return added
    }
}
