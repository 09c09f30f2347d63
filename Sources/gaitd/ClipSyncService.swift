import ClipSync
import ClipUSB
import Foundation
import Logging
import ServiceLifecycle

/// The sync service: when a clip arrives, downloads its new sessions with `ClipSynchronizer`
/// into the clip archive (which acknowledges each only after committing it durably) and hands
/// each committed session to the ingest worker, which stores it.
///
/// Each clip syncs on a thread of its own (ClipSynchronizer and libusb block), several clips at
/// once. A clip that arrives again while its sync is still running (a quick replug) is synced
/// once more when that sync ends. On graceful shutdown no new sync starts and the ones in flight
/// stop at their next request (see `ShutdownAwareTransport`).
struct ClipSyncService: Service, CustomStringConvertible {
    /// Arrivals and removals from the watcher service.
    let events: AsyncStream<ClipEvent>
    /// The libusb context (absent: the watcher reports no events either).
    let usb: ClipUSBContext?
    /// Where sessions are downloaded and committed before the clip may erase them.
    let archive: SessionArchive
    /// Where committed sessions go to be stored.
    let ingestQueue: AsyncStream<StoredSession>.Continuation
    let settings: Settings
    let logger: Logger

    /// What the sync does, from the configuration.
    struct Settings: Sendable {
        var eraseAfterSync: Bool
        var transferTimeoutMs: Int
    }

    var description: String { "ClipSyncService" }

    func run() async {
        let shutdown = ShutdownFlag()
        let clips = ClipsInFlight()
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for await event in events.cancelOnGracefulShutdown() {
                    guard case .arrived(let clip) = event else { continue }
                    if let accessError = clip.accessError {
                        logger.error("cannot sync \(clip): \(accessError)")
                        continue
                    }
                    let key = clip.serialNumber ?? "bus \(clip.busNumber) address \(clip.address)"
                    guard clips.begin(key, clip) else {
                        logger.info("clip \(key) arrived again while syncing: it syncs again after this sync")
                        continue
                    }
                    group.addTask {
                        var next: ClipDeviceInfo? = clip
                        while let current = next, !shutdown.isSet {
                            await sync(current, shutdown: shutdown)
                            next = clips.end(key)
                        }
                        if shutdown.isSet { _ = clips.end(key) }
                    }
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            shutdown.set()
            logger.notice("shutdown: no new syncs; syncs in flight stop at their next request (their downloads resume at the next plug-in)")
        }
        logger.info("sync service stopped")
    }

    /// Syncs one clip and hands what it committed to the ingest worker.
    func sync(_ clip: ClipDeviceInfo, shutdown: ShutdownFlag) async {
        guard let usb else { return }
        let name = clip.serialNumber ?? "bus \(clip.busNumber) address \(clip.address)"
        logger.info("syncing clip \(name)")
        let started = ContinuousClock.now
        let archive = archive
        let settings = settings, logger = logger
        let handedOver = HandedOver()
        let outcome: Result<SyncReport, any Error> = await withTaskGroup(of: Result<SyncReport, any Error>?.self) { group in
            group.addTask {
                await DedicatedThread.run(name: "gaitd sync \(name)") {
                    Result {
                        let connection = try usb.open(clip)
                        defer { connection.close() }
                        let client = ClipClient(transport: ShutdownAwareTransport(connection: connection, shutdown: shutdown),
                                                serial: name, timeoutMs: settings.transferTimeoutMs)
                        let synchronizer = ClipSynchronizer(client: client, archive: archive, erase: settings.eraseAfterSync)
                        synchronizer.progress = { line in logger.debug("\(line)") }
                        return try synchronizer.run()
                    }
                }
            }
            // A long sync commits session after session: store each as soon as it is committed.
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(500))
                    handOverCommitted(serial: name, handedOver: handedOver)
                }
                return nil
            }
            let result = await group.next()!!
            group.cancelAll()
            return result
        }
        let elapsed = ContinuousClock.now - started
        let seconds = String(format: "%.1f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        switch outcome {
        case .success(let report):
            logger.info("\(report) in \(seconds)")
            for (id, reason) in report.failed.sorted(by: { $0.key < $1.key }) {
                logger.error("clip \(report.serial) session \(id) not stored: \(reason); it stays on the clip")
            }
            for record in report.stored where handedOver.insert(record.sessionID) { ingestQueue.yield(record) }
        case .failure(let error):
            if shutdown.isSet {
                logger.notice("sync of clip \(name) stopped for shutdown; it resumes at the next plug-in")
            } else if case .disconnected = error as? ClipSyncError {
                logger.warning("\(error)")
            } else {
                logger.error("sync of clip \(name) failed: \(error); it is synced again at the next plug-in")
            }
            // Sessions committed before the sync stopped are in the archive: store them now.
            handOverCommitted(serial: name, handedOver: handedOver)
        }
    }

    /// Hands the clip's sessions the archive committed during this sync to the ingest worker,
    /// each once (the worker skips any the store already has).
    func handOverCommitted(serial: String, handedOver: HandedOver) {
        for record in archive.list() where record.serial == serial && handedOver.insert(record.sessionID) {
            ingestQueue.yield(record)
        }
    }
}

/// The clips being synced, and for each the latest arrival seen while its sync ran.
final class ClipsInFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var clips: [String: ClipDeviceInfo?] = [:]

    /// Marks `key` as syncing; false (remembering `clip` for a sync after this one) if it already is.
    func begin(_ key: String, _ clip: ClipDeviceInfo) -> Bool {
        lock.withLock {
            if clips[key] != nil {
                clips[key] = .some(clip)
                return false
            }
            clips[key] = .some(nil)
            return true
        }
    }

    /// Ends a sync of `key`; returns the clip to sync again if it arrived meanwhile.
    func end(_ key: String) -> ClipDeviceInfo? {
        lock.withLock {
            if case .some(.some(let again)) = clips[key] {
                clips[key] = .some(nil)
                return again
            }
            clips[key] = nil
            return nil
        }
    }
}

/// The clip session ids one sync handed to the ingest worker.
final class HandedOver: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<UInt32>()

    /// Records `id`; false if it was handed over already.
    func insert(_ id: UInt32) -> Bool { lock.withLock { ids.insert(id).inserted } }
}
