import ClipSync
import Foundation
import SessionStore

/// Work a crash or a failure left undone, completed at the next start.
extension SessionIngest {
    /// What `completePending` did.
    public struct PendingReport: Sendable, Equatable {
        /// Archived clip sessions the store did not have, now stored (ids).
        public var storedFromArchive: [SessionID] = []
        /// Sessions whose missing flags were computed (ids).
        public var flagsComputed: [SessionID] = []
        /// What could not be done, with the reason (retried at the next start).
        public var failures: [String] = []

        public init() {}
    }

    /// Stores the clip sessions `archive` committed that the store lacks (a crash between the
    /// archive's commit and the store's write), then computes the flags of every session whose
    /// flags are missing (a failure or a crash after the write). Nothing here throws: each
    /// failure is logged with what it concerns and listed.
    public func completePending(archive: SessionArchive?, attribution: Attribution = Attribution()) -> PendingReport {
        var report = PendingReport()
        if let archive {
            for record in archive.list().sorted(by: { ($0.startUTCSeconds ?? $0.storedAtSeconds) < ($1.startUTCSeconds ?? $1.storedAtSeconds) }) {
                let identity = SessionDraft.ClipIdentity(serial: record.serial, firmware: nil, sessionID: record.sessionID)
                do {
                    if try store.existingSession(contentHash: nil, clip: identity) != nil { continue }
                    let path = archive.sessionPath(serial: record.serial, id: record.sessionID, checksum: record.checksum)
                    let result = try ingestClipSession(path: path, record: record, attribution: attribution)
                    if result.inserted { report.storedFromArchive.append(result.id) }
                } catch {
                    let line = "clip \(record.serial) session \(record.sessionID): not stored: \(error)"
                    logger.error("\(line); retried at the next start")
                    report.failures.append(line)
                }
            }
        }
        let missing: [SessionID]
        do {
            missing = try store.sessionsWithoutInference()
        } catch {
            logger.error("cannot list the sessions whose flags are missing: \(error)")
            report.failures.append("listing sessions without flags: \(error)")
            return report
        }
        for id in missing {
            do {
                try reinfer(sessionID: id)
                report.flagsComputed.append(id)
            } catch {
                let line = "session \(id): flags not computed: \(error)"
                logger.error("\(line); retried at the next start", metadata: ["session": "\(id)"])
                report.failures.append(line)
            }
        }
        return report
    }
}
