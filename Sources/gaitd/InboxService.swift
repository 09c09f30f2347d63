import Foundation
import Logging
import ServiceLifecycle
import SessionIngest

/// The inbox watcher: CSV files dropped into the inbox folder come into the store through
/// `SessionIngest` (analysed, attributed to the default runner and their current shoes, flags
/// computed) and are moved to `done/`; a file that cannot be read is moved to `failed/` with
/// `<name>.error.txt` beside it saying why (file, line, field), and nothing of it is stored.
///
/// The folder is scanned every poll interval. A file is taken only when its size and
/// modification time did not change since the previous scan, so one still being copied in is
/// left alone. Names starting with a dot and files not ending in `.csv`, `.fit`, `.gpx` or `.tcx`
/// are ignored. A watch file (FIT, GPX, TCX) is paired with the stored session it overlaps in time
/// (`SessionIngest.pairWatchFile`); while no such session has arrived (the clip not yet synced) it
/// waits in the inbox; a file that matches no overlapping session goes to `failed/`. A crash
/// between importing and moving leaves the file in the inbox; importing it again stores nothing
/// twice (the ingest is idempotent by content).
struct InboxService: Service, CustomStringConvertible {
    let inbox: String
    let pollInterval: Duration
    let ingest: SessionIngest
    /// gaitd's default runner and shoe.
    let attribution: Attribution
    let logger: Logger

    var description: String { "InboxService" }

    var doneFolder: String { inbox + "/done" }
    var failedFolder: String { inbox + "/failed" }

    func run() async throws {
        for folder in [inbox, doneFolder, failedFolder] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        logger.info("watching the inbox \(inbox)")
        var lastSeen: [String: FileState] = [:]
        while !Task.isShuttingDownGracefully {
            var seen: [String: FileState] = [:]
            for (name, state) in scan() {
                if lastSeen[name] == state {
                    await importFile(named: name)
                } else {
                    seen[name] = state
                }
            }
            lastSeen = seen
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
            } catch {
                break
            }
        }
        // The inbox is the first service to stop, so this is where a shutdown shows first.
        logger.notice("shutdown requested: stopping the services")
        logger.info("inbox watcher stopped")
    }

    struct FileState: Equatable {
        var size: Int
        var modified: Date
    }

    /// The CSV files in the inbox with their size and modification time.
    func scan() -> [(String, FileState)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox)) ?? []
        return names.sorted().compactMap { name in
            guard !name.hasPrefix("."), [".csv", ".fit", ".gpx", ".tcx"].contains(where: name.lowercased().hasSuffix),
                  let attributes = try? FileManager.default.attributesOfItem(atPath: inbox + "/" + name),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date
            else { return nil }
            return (name, FileState(size: size, modified: modified))
        }
    }

    /// Whether an inbox file is a watch file (paired with a session rather than imported as one).
    static func isWatchFile(_ name: String) -> Bool {
        [".fit", ".gpx", ".tcx"].contains(where: name.lowercased().hasSuffix)
    }

    /// Pairs a watch file with its session, or leaves it waiting for one.
    func pairWatchFile(named name: String) async {
        let path = inbox + "/" + name
        let ingest = ingest
        let outcome: Result<SessionIngest.WatchFileOutcome, any Error> = await DedicatedThread.run(name: "gaitd inbox") {
            Result { try ingest.pairWatchFile(path: path, name: name) }
        }
        switch outcome {
        case .success(.paired(let id)):
            logger.notice("inbox: \(name) paired with session \(id): its flags are recomputed with speed and slope", metadata: ["session": "\(id)"])
            moveAway(name, to: doneFolder)
        case .success(.noSessionYet):
            logger.debug("inbox: \(name) waits for the session it belongs to")
        case .failure(let error):
            logger.error("inbox: \(name) failed: \(error); moved to \(failedFolder)")
            if let destination = moveAway(name, to: failedFolder) { writeReason("\(error)", beside: destination) }
        }
    }

    /// Analyses, imports and files away one inbox file (blocking work on a dedicated thread).
    func importFile(named name: String) async {
        if Self.isWatchFile(name) { return await pairWatchFile(named: name) }
        let path = inbox + "/" + name
        logger.info("inbox: importing \(name)")
        let ingest = ingest
        // The inbox's default runner is the runner named for files: the file has no clip owner.
        var attribution = attribution
        attribution.runner = attribution.defaultRunner
        attribution.createRunner = true
        let fileAttribution = attribution
        // A file whose import was interrupted before (gaitd killed or stopped while reading it) is
        // tried again once; interrupted again, it goes to failed/ so that it never blocks the inbox.
        let attempts = InterruptedImports(inbox: inbox)
        if attempts.count(name) >= Self.interruptedImportsBeforeFailing {
            logger.error("inbox: \(name) failed: its import was interrupted \(attempts.count(name)) times; moved to \(failedFolder)")
            let count = attempts.count(name)
            let destination = moveAway(name, to: failedFolder)
            // The marker goes before the reason is written: whoever sees the reason sees the inbox settled.
            attempts.clear(name)
            if let destination {
                writeReason("the import was interrupted \(count) times (gaitd stopped or crashed while reading it); "
                            + "put it back into the inbox to try again", beside: destination)
            }
            return
        }
        if !attempts.begin(name) { logger.warning("inbox: cannot write \(attempts.markerPath(name)); importing \(name) unguarded") }
        // Shutdown sets the flag; the reader loop polls it between blocks, so gaitd stops within a
        // block's reading (milliseconds) of SIGTERM however long the file.
        let stop = StopFlag()
        let outcome: Result<IngestResult, any Error> = await withGracefulShutdownHandler {
            await DedicatedThread.run(name: "gaitd inbox") {
                Result { try ingest.ingestFile(path: path, attribution: fileAttribution, isCancelled: { stop.isStopped }) }
            }
        } onGracefulShutdown: {
            stop.stop()
        }
        if case .failure(SessionIngestError.unreadable(.cancelled)) = outcome {
            // Not an attempt that failed: the file is read again from the start at the next run.
            attempts.clear(name)
            logger.notice("inbox: import of \(name) stopped by the shutdown; it stays in the inbox")
            return
        }
        attempts.clear(name)
        switch outcome {
        case .success(let result):
            if let replaced = result.replaced {
                logger.notice("inbox: \(name) replaced the less complete copy stored as session \(result.id) (\(replaced.previousSampleCount) samples, now \(replaced.sampleCount))",
                              metadata: ["session": "\(result.id)"])
            }
            if let reason = result.incompleteReason {
                logger.warning("inbox: \(name) stored incomplete as session \(result.id): \(reason)", metadata: ["session": "\(result.id)"])
            }
            if result.inserted, let analysis = result.analysis {
                logger.notice("notification: \(SessionNotification.message(origin: "file \(name)", startedAt: result.startedAt, analysis: analysis))",
                              metadata: ["session": "\(result.id)"])
            } else {
                logger.info("inbox: \(name) was already stored as session \(result.id)")
            }
            moveAway(name, to: doneFolder)
        case .failure(let error):
            logger.error("inbox: \(name) failed: \(error); moved to \(failedFolder)")
            if let destination = moveAway(name, to: failedFolder) { writeReason("\(error)", beside: destination) }
        }
    }

    /// Imports interrupted this many times send the file to `failed/`.
    static let interruptedImportsBeforeFailing = 2

    /// Writes `<destination>.error.txt` saying why the file failed; logs when it cannot.
    func writeReason(_ reason: String, beside destination: String) {
        do {
            try Data("\(reason)\n".utf8).write(to: URL(fileURLWithPath: destination + ".error.txt"))
        } catch {
            logger.error("inbox: cannot write the reason beside \(destination): \(error)")
        }
    }

    /// Moves an inbox file into `folder`, adding " 2", " 3"… before the extension if the name is
    /// taken. Returns the new path.
    @discardableResult
    func moveAway(_ name: String, to folder: String) -> String? {
        let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        var destination = folder + "/" + name
        var counter = 2
        while FileManager.default.fileExists(atPath: destination) {
            destination = folder + "/" + stem + " \(counter)." + ext
            counter += 1
        }
        do {
            try FileManager.default.moveItem(atPath: inbox + "/" + name, toPath: destination)
            return destination
        } catch {
            logger.error("inbox: cannot move \(name) to \(folder): \(error)")
            return nil
        }
    }
}

/// Imports begun and not finished, as marker files `.<name>.importing` in the inbox holding how
/// many times the import of `<name>` began without ending (the scan ignores names starting with
/// a dot). A marker that survives a restart means gaitd died or was killed while reading the file.
struct InterruptedImports {
    let inbox: String

    func markerPath(_ name: String) -> String { inbox + "/." + name + ".importing" }

    /// How many imports of `name` began and never ended.
    func count(_ name: String) -> Int {
        guard let data = FileManager.default.contents(atPath: markerPath(name)) else { return 0 }
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 1
    }

    /// Records that an import of `name` begins; false if the marker could not be written (the
    /// import goes ahead, unguarded against a crash).
    @discardableResult
    func begin(_ name: String) -> Bool {
        FileManager.default.createFile(atPath: markerPath(name), contents: Data("\(count(name) + 1)\n".utf8))
    }

    /// Records that the import of `name` ended (whatever its outcome).
    func clear(_ name: String) {
        try? FileManager.default.removeItem(atPath: markerPath(name))
    }
}
