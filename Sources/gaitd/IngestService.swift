import ClipSync
import Foundation
import Logging
import ServiceLifecycle
import SessionIngest

/// The ingest worker: puts each clip session the sync service committed to the archive into the
/// store through `SessionIngest` (analysed, attributed to the clip's owner, flags computed) and
/// logs a notification line for it.
///
/// It starts with what an earlier run left undone (`SessionIngest.completePending`): archived
/// sessions the store lacks after a crash, and sessions whose flags are missing. One session at
/// a time, each on a dedicated thread. On graceful shutdown the session in hand is finished (the
/// store writes it whole or not at all) and the rest of the queue is left for the next start.
struct IngestService: Service, CustomStringConvertible {
    /// Committed clip sessions, in order.
    let queue: AsyncStream<StoredSession>
    let ingest: SessionIngest
    let archive: SessionArchive
    /// gaitd's default runner and shoe.
    let attribution: Attribution
    let logger: Logger

    var description: String { "IngestService" }

    func run() async {
        let ingest = ingest, archive = archive, attribution = attribution
        let pending = await DedicatedThread.run(name: "gaitd pending") { ingest.completePending(archive: archive, attribution: attribution) }
        if !pending.storedFromArchive.isEmpty {
            logger.info("stored \(pending.storedFromArchive.count) archived session(s) an earlier run had not: \(pending.storedFromArchive)")
        }
        if !pending.flagsComputed.isEmpty {
            logger.info("computed the missing flags of \(pending.flagsComputed.count) session(s): \(pending.flagsComputed)")
        }
        for await record in queue.cancelOnGracefulShutdown() {
            let path = archive.sessionPath(serial: record.serial, id: record.sessionID, checksum: record.checksum)
            let name = "clip \(record.serial) session \(record.sessionID)"
            // Shutdown stops the reading at its next block (the session stays in the archive).
            let stop = StopFlag()
            do {
                let result = try await withGracefulShutdownHandler {
                    try await DedicatedThread.run(name: "gaitd ingest") {
                        try ingest.ingestClipSession(path: path, record: record, attribution: attribution, isCancelled: { stop.isStopped })
                    }
                } onGracefulShutdown: {
                    stop.stop()
                }
                if let replaced = result.replaced {
                    logger.notice("\(name) replaced the less complete copy stored as session \(result.id) (\(replaced.previousSampleCount) samples, now \(replaced.sampleCount))",
                                  metadata: ["session": "\(result.id)", "clip": "\(record.serial)"])
                }
                if let reason = result.incompleteReason {
                    logger.warning("\(name) stored incomplete as session \(result.id): \(reason)", metadata: ["session": "\(result.id)", "clip": "\(record.serial)"])
                }
                guard result.inserted, let analysis = result.analysis else { continue }
                logger.notice("notification: \(SessionNotification.message(origin: name, startedAt: result.startedAt, analysis: analysis))",
                              metadata: ["session": "\(result.id)", "clip": "\(record.serial)"])
            } catch SessionIngestError.unreadable(.cancelled) {
                logger.notice("storing \(name) stopped by the shutdown; it stays in the archive and is stored at the next start")
            } catch {
                logger.error("cannot store \(name): \(error); it stays in the archive and is stored at the next start", metadata: ["path": "\(path)"])
            }
        }
        logger.info("ingest worker stopped")
    }
}
