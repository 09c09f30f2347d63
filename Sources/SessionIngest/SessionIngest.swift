import ClipProtocol
import ClipSync
import Foundation
import GaitDSP
import GaitInference
import Logging
import SessionIO
import SessionStore

/// The one way in: every session, whatever brought it (`gait import`, `gait sync`, gaitd's clip
/// sync and inbox, an upload in the browser), comes into the store here.
///
/// A session is read and analysed **outside** any database transaction (streaming, bounded
/// memory), attributed (the clip's owner or the runner named, their current shoes, the start
/// measured at sync), its flags computed against the runner's history, and then written whole
/// (raw samples, analysis, flags) in one short transaction. It is idempotent by content hash and
/// by clip serial + clip session id, checked before reading and again inside the write. When a
/// session lands before some of its runner's later sessions, their flags are recomputed.
///
/// A copy of a clip session is judged by what the file says (`ClipSessionCompleteness`): an
/// incomplete one is stored with its reason, one without a valid sample is refused
/// (`SessionIOError.emptyClipSession`), and a more complete copy of a stored clip session replaces
/// the stored one (`IngestResult.replaced`), whose flags are then recomputed, so a truncated copy
/// imported first never shadows the whole run.
///
/// A flag computation that fails never fails the stored session: it is logged with the session
/// id and left pending (`SessionStore.sessionsWithoutInference`); `completePending` retries it.
///
/// ```swift
/// let ingest = SessionIngest(store: try SQLiteSessionStore(path: SQLiteSessionStore.defaultPath))
/// let result = try ingest.ingestFile(path: "run.csv", attribution: Attribution(runner: "Ana", createRunner: true))
/// print(result.id, result.inserted, result.flags.map(\.id))
/// ```
public struct SessionIngest: Sendable {
    /// Where sessions go.
    public let store: any SessionStore
    /// Where a session's encoded samples are spooled before the write (nil: the temporary folder).
    public let spoolDirectory: String?
    /// Failures that do not fail an ingest (flags) are logged here with the session id.
    public let logger: Logger

    /// An ingest into `store`.
    public init(store: any SessionStore, spoolDirectory: String? = nil, logger: Logger = Logger(label: "backstride.ingest")) {
        self.store = store
        self.spoolDirectory = spoolDirectory
        self.logger = logger
    }

    /// Stores a session file: a CSV in any dialect SessionIO reads, or a clip session (`.bsession`).
    /// A clip session file belongs to its clip's owner unless `attribution` names a runner.
    ///
    /// `isCancelled` is polled between blocks of the reading (every 64 Ki samples at most): once it
    /// returns true the reading stops with `SessionIOError.cancelled` and nothing is stored, so a
    /// daemon shutting down never waits for the rest of a long file.
    public func ingestFile(path: String, attribution: Attribution = Attribution(),
                           progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)? = nil,
                           isCancelled: (@Sendable () -> Bool)? = nil) throws(SessionIngestError) -> IngestResult {
        let isClipSession = ClipSessionReader.looksLikeClipSession(path: path)
        return try ingest(path: path, source: isClipSession ? .import : .csv, clipSerial: nil, start: nil,
                          attribution: attribution, progress: progress, isCancelled: isCancelled)
    }

    /// Stores a clip session that `ClipSynchronizer` committed to the archive (`path` is its
    /// `.bsession`, `record` the archive's record with the start measured at sync).
    /// `isCancelled` is polled as `ingestFile` polls it; a stopped clip session stays in the archive.
    public func ingestClipSession(path: String, record: StoredSession, attribution: Attribution = Attribution(),
                                  isCancelled: (@Sendable () -> Bool)? = nil) throws(SessionIngestError) -> IngestResult {
        try ingest(path: path, source: .clip, clipSerial: record.serial, start: record.start ?? Self.recordedStart(record),
                   attribution: attribution, progress: nil, isCancelled: isCancelled)
    }

    /// Reads a watch file and aligns it to a session; a file that cannot be read, or does not
    /// match the session, is an error (nothing is stored).
    static func pair(watchPath: String, name: String?, analysis: GaitAnalysis, sessionStartUTC: Double?) throws(SessionIngestError) -> SessionSpeed {
        try align(readWatch(path: watchPath), sourceName: name ?? lastComponent(watchPath), analysis: analysis, sessionStartUTC: sessionStartUTC)
    }

    /// A watch file read, or the reader's error (file and byte offset or line).
    static func readWatch(path: String) throws(SessionIngestError) -> WatchTrack {
        do {
            return try WatchFileReader.read(path: path)
        } catch {
            throw .unreadable(error)
        }
    }

    /// A watch track aligned to a session, or why it was refused.
    static func align(_ track: WatchTrack, sourceName: String, analysis: GaitAnalysis, sessionStartUTC: Double?) throws(SessionIngestError) -> SessionSpeed {
        do {
            return try WatchPairing.align(track: track, analysis: analysis, sessionStartUTC: sessionStartUTC, sourceName: sourceName)
        } catch {
            throw .watchNotPaired(error)
        }
    }

    /// The last component of a path, as its owner names the file.
    static func lastComponent(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    static func recordedStart(_ record: StoredSession) -> SessionStartTime {
        SessionStartTime(startUTCSeconds: record.startUTCSeconds, clockCorrectionS: nil,
                         method: record.startUTCSeconds == nil ? .unknown : .clipClock)
    }

    func ingest(path: String, source: SessionSource, clipSerial: String?, start: SessionStartTime?, attribution: Attribution,
                progress: ((_ bytesDone: Int, _ bytesTotal: Int) -> Void)?,
                isCancelled: (@Sendable () -> Bool)? = nil) throws(SessionIngestError) -> IngestResult {
        var identity: SessionDraft.ClipIdentity?
        if source != .csv {
            do {
                let reader = try ClipSessionReader(path: path)
                reader.close()
                identity = .init(serial: clipSerial ?? reader.header.serial, firmware: SQLiteSessionStore.firmwareName(bcd: reader.header.firmwareBCD),
                                 sessionID: reader.header.sessionID)
            } catch {
                throw .unreadable(error)
            }
        }
        // A stored clip session is known by its clip and id; another copy of it is read through
        // (verified, not analysed) only to tell whether it is more complete than the stored one.
        if let identity, let id = try storeCall({ try store.existingSession(contentHash: nil, clip: identity) }) {
            let storedSampleCount = try storeCall { try store.session(id: id)?.sampleCount } ?? Int.max
            let completeness: ClipSessionCompleteness
            do {
                completeness = try ClipSessionReader.completeness(path: path, isCancelled: isCancelled)
            } catch {
                throw .unreadable(error)
            }
            if completeness.sampleCount <= storedSampleCount { return IngestResult(id: id, inserted: false) }
        }
        // A CSV is known by its content without reading it through (a pushed session by its
        // original file's hash, `Attribution.contentHash`); a clip session is read first, so that
        // an empty one (a zero-filled file) is refused before its bytes are hashed, and the write
        // still finds the same bytes stored under another identity.
        var hash: String? = attribution.contentHash
        if identity == nil {
            let csvHash: String
            if let stated = hash { csvHash = stated } else { csvHash = try Self.contentHash(path: path, isCancelled: isCancelled) }
            if let id = try storeCall({ try store.existingSession(contentHash: csvHash, clip: nil) }) {
                return IngestResult(id: id, inserted: false)
            }
            hash = csvHash
        }
        let reading = try SessionReading.read(path: path, spoolDirectory: spoolDirectory, adjustInput: { input in
            if let correction = start?.clockCorrectionS { input.clockCorrectionS = correction }
            switch start?.method {
            case .hostClockAtSync where start?.clockCorrectionS == nil:
                input.warnings.append("start time from the host's clock at sync: the clip's clock had not been set")
            case .unknown:
                input.warnings.append("start time unknown: recorded before the clip last restarted, with its clock not set")
            default: break
            }
        }, progress: progress, isCancelled: isCancelled)
        let contentHash: String
        if let hash { contentHash = hash } else { contentHash = try Self.contentHash(path: path, isCancelled: isCancelled) }

        let who = try resolve(attribution, clipSerial: identity?.serial)
        var startedAt = attribution.startedAt
        if startedAt == nil {
            if let start {
                startedAt = start.startUTCSeconds.map { Date(timeIntervalSince1970: $0) }
            } else if let header = reading.clipHeader, header.startUTCMicroseconds != SessionHeader.utcNotSet {
                startedAt = Date(timeIntervalSince1970: Double(header.startUTCMicroseconds) / 1e6)
            } else if let stated = reading.readerInput.startUTCS {
                // A CSV that states its start (canonical start_utc, GENEActiv, MetaWear, Sensor Logger).
                startedAt = Date(timeIntervalSince1970: stated)
            }
        }
        // The runner's watch file: speed and slope for matched comparisons, and the distance.
        var speed: SessionSpeed?
        if let watchPath = attribution.watchPath {
            speed = try Self.pair(watchPath: watchPath, name: attribution.watchName, analysis: reading.analysis,
                                  sessionStartUTC: startedAt?.timeIntervalSince1970)
        }
        let draft = SessionDraft(
            source: source, sourcePath: attribution.sourceName ?? path, contentHash: contentHash, clip: identity, startedAt: startedAt,
            configuredSampleRateHz: reading.configuredSampleRateHz, readerInput: reading.readerInput, analysis: reading.analysis,
            runnerID: who.runnerID, shoeID: who.shoeID, distanceKm: attribution.distanceKm ?? speed?.distanceKm, speed: speed,
            incompleteReason: reading.incompleteReason, timeZone: attribution.timeZone)

        var inference: SessionInference?
        var inferenceError: String?
        do {
            inference = try infer(reading.analysis, context: newSessionContext(draft))
        } catch {
            inferenceError = "\(error)"
        }
        let outcome = try storeCall { try store.insertSession(draft, rawSamples: reading.spool, inference: inference) }
        guard outcome.inserted else { return IngestResult(id: outcome.id, inserted: false) }
        if let replaced = outcome.replaced { return completeReplacement(outcome.id, replaced: replaced, reading: reading) }
        if let inferenceError {
            logger.error("session \(outcome.id): flags not computed: \(inferenceError); retried at the next start",
                         metadata: ["session": "\(outcome.id)"])
        }
        if let runnerID = who.runnerID { reinferRunner(runnerID: runnerID, after: outcome.id) }
        return IngestResult(id: outcome.id, inserted: true, runnerID: who.runnerID, startedAt: startedAt, analysis: reading.analysis,
                            flags: inference?.flags ?? [], inferenceError: inferenceError, writeLockS: outcome.writeLockS,
                            incompleteReason: reading.incompleteReason)
    }

    /// After a more complete copy replaced a stored clip session: its flags (pending since the
    /// write) and its runner's later ones are recomputed against the session as it now is (its
    /// kept runner, shoes, pain log and watch pairing). A failure leaves them pending, logged.
    func completeReplacement(_ id: SessionID, replaced: ReplacedCopy, reading: SessionReading) -> IngestResult {
        var session: SessionRecord?
        var inferenceError: String?
        do {
            session = try store.session(id: id)
        } catch {
            inferenceError = "\(error)"
        }
        if let runnerID = session?.runnerId {
            reinferRunner(runnerID: runnerID, after: id, including: true)
        } else if inferenceError == nil {
            do { try reinfer(sessionID: id) } catch { inferenceError = "\(error)" }
        }
        if let inferenceError {
            logger.error("session \(id): flags not computed: \(inferenceError); retried at the next start", metadata: ["session": "\(id)"])
        }
        var flags: [GaitFlag] = []
        do { flags = try store.storedFlags(sessionID: id) } catch {
            logger.error("session \(id): cannot read its recomputed flags: \(error)", metadata: ["session": "\(id)"])
        }
        return IngestResult(id: id, inserted: true, runnerID: session?.runnerId, startedAt: session?.startedAt, analysis: reading.analysis,
                            flags: flags, inferenceError: inferenceError, incompleteReason: reading.incompleteReason, replaced: replaced)
    }

    /// The runner and shoes of a new session.
    func resolve(_ attribution: Attribution, clipSerial: String?) throws(SessionIngestError) -> (runnerID: Int64?, shoeID: Int64?) {
        try storeCall { () throws -> (Int64?, Int64?) in
            var runner: RunnerRecord?
            if let name = attribution.runner {
                runner = try store.runner(named: name, create: attribution.createRunner)
                guard runner != nil else { throw SessionStoreError.noSuchRunner(name) }
            } else if let clipSerial {
                if let owner = try store.clip(serial: clipSerial)?.runnerId {
                    runner = try store.runner(id: owner)
                } else if let name = attribution.defaultRunner {
                    runner = try store.runner(named: name, create: true)
                    if let id = runner?.id {
                        _ = try store.assignClip(serial: clipSerial, runnerID: id, moveFromAnotherRunner: false)
                        logger.notice("clip \(clipSerial) now belongs to \(name) (the default runner)")
                    }
                }
            }
            guard let runner, let runnerID = runner.id else { return (nil, nil) }
            if let shoe = attribution.shoe {
                let record = try store.shoe(named: shoe, runnerID: runnerID, create: true, distanceSoFarKm: attribution.shoeDistanceKm)
                return (runnerID, record?.id)
            }
            if let current = runner.currentShoeId { return (runnerID, current) }
            if let shoe = attribution.defaultShoe {
                return (runnerID, try store.shoe(named: shoe, runnerID: runnerID, create: true, distanceSoFarKm: nil)?.id)
            }
            return (runnerID, nil)
        }
    }

    /// Runs a store call, wrapping its error.
    func storeCall<T>(_ body: () throws -> T) throws(SessionIngestError) -> T {
        do {
            return try body()
        } catch let error as SessionStoreError {
            throw .store(error)
        } catch let error as SessionIngestError {
            throw error
        } catch {
            throw .store(.database(operation: "storing a session", reason: "\(error)"))
        }
    }
}

/// What an ingest did.
public struct IngestResult: Sendable {
    /// The session's id in the store (the earlier one when it was already there).
    public var id: SessionID
    /// False when the same file, or an equally or more complete copy of the same clip session,
    /// was already stored: nothing was written.
    public var inserted: Bool
    /// The runner it was attributed to.
    public var runnerID: Int64?
    /// Its start as stored (nil: unknown, or already stored).
    public var startedAt: Date?
    /// The analysis (when inserted).
    public var analysis: GaitAnalysis?
    /// The flags computed for it (when inserted).
    public var flags: [GaitFlag]
    /// Why its flags could not be computed (they are retried at the next start), or nil.
    public var inferenceError: String?
    /// How long the store's write lock was held, seconds.
    public var writeLockS: Double
    /// Why the copy stored is incomplete (bad blocks, a truncated tail), or nil.
    public var incompleteReason: String?
    /// Set when this copy replaced a less complete stored copy of the same clip session (`inserted` is true then).
    public var replaced: ReplacedCopy?

    public init(id: SessionID, inserted: Bool, runnerID: Int64? = nil, startedAt: Date? = nil, analysis: GaitAnalysis? = nil,
                flags: [GaitFlag] = [], inferenceError: String? = nil, writeLockS: Double = 0, incompleteReason: String? = nil,
                replaced: ReplacedCopy? = nil) {
        self.incompleteReason = incompleteReason
        self.replaced = replaced
        self.id = id
        self.inserted = inserted
        self.runnerID = runnerID
        self.startedAt = startedAt
        self.analysis = analysis
        self.flags = flags
        self.inferenceError = inferenceError
        self.writeLockS = writeLockS
    }
}
