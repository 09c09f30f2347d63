#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import SessionIngest
import SessionStore

/// Pushes every session of the runner's store to the paired clinic, and keeps doing so: the
/// sessions not yet delivered (`SessionStore.sessionsAwaitingDelivery`, so new sessions, however
/// they came in, and a backfill of old ones alike; and delivered ones with a newer pain entry),
/// oldest first.
///
/// A session is written out (`SessionExport`), declared to the clinic, sent in chunks from the
/// offset the clinic reports, and completed; only the clinic's answer with its session id marks
/// it delivered. Anything that stops it half-way (a cut connection, either side killed) leaves it
/// pending, and the next attempt resumes where the clinic's copy ends; the clinic stores it once.
/// While the clinic cannot be reached the pusher waits, doubling from `firstRetryDelayS` up to
/// `maximumRetryDelayS`, with jitter. A session the clinic refuses for good (cannot read it, too
/// large) is recorded as refused with the reason and not sent again.
public struct ClinicPusher: Sendable {
    /// How long to wait, and for what.
    public struct Settings: Sendable {
        /// The wait after the first failure, seconds; doubles with each further one.
        public var firstRetryDelayS: Double
        /// The longest wait between attempts, seconds.
        public var maximumRetryDelayS: Double
        /// How often the store is checked for new sessions when everything is delivered, seconds.
        public var pollIntervalS: Double
        /// Attempts at one chunk whose hash the clinic found wrong before giving up for now.
        public var chunkAttempts: Int

        /// 1 s doubling to 5 min; new sessions looked for every 10 s.
        public init(firstRetryDelayS: Double = 1, maximumRetryDelayS: Double = 300, pollIntervalS: Double = 10, chunkAttempts: Int = 3) {
            self.firstRetryDelayS = firstRetryDelayS
            self.maximumRetryDelayS = maximumRetryDelayS
            self.pollIntervalS = pollIntervalS
            self.chunkAttempts = chunkAttempts
        }
    }

    public let store: any SessionStore
    public let pairing: ClinicPairing
    public let client: ClinicClient
    /// Where sessions are written out while they are pushed.
    public let workFolder: String
    public let settings: Settings
    public let logger: Logger

    public init(store: any SessionStore, pairing: ClinicPairing, workFolder: String, settings: Settings = Settings(),
                logger: Logger = Logger(label: "backstride.clinic-push")) throws(ClinicPushError) {
        self.store = store
        self.pairing = pairing
        self.client = ClinicClient(endpoint: try ClinicEndpoint(pairing.clinicURL), deviceToken: pairing.deviceToken)
        self.workFolder = workFolder
        self.settings = settings
        self.logger = logger
    }

    /// The clinic as recorded with each delivery.
    public var clinic: String { client.endpoint.baseURL }

    /// Pushes until the task is cancelled (gaitd's shutdown) or `whilePaired` turns false (checked
    /// between attempts): an attempt in flight is abandoned where it is, and resumed at the next start.
    public func run(whilePaired: @Sendable () -> Bool = { true }) async {
        var failures = 0
        while !Task.isCancelled && whilePaired() {
            let pending: [SessionID]
            do {
                pending = try await store.run { [clinic] in try $0.sessionsAwaitingDelivery(clinic: clinic) }
            } catch {
                logger.error("cannot list the sessions to push: \(error)")
                await pause(settings.pollIntervalS)
                continue
            }
            var stalled = false
            for id in pending where !Task.isCancelled {
                do {
                    try await deliver(sessionID: id)
                    failures = 0
                } catch {
                    if Task.isCancelled { return }
                    failures += 1
                    stalled = !error.isPermanent
                    await record(error, sessionID: id)
                    if stalled { break }
                }
            }
            if stalled {
                let delay = Self.retryDelay(failures: failures, settings: settings)
                logger.info("clinic push: waiting \(String(format: "%.1f", delay)) s before trying again")
                await pause(delay)
            } else {
                await pause(settings.pollIntervalS)
            }
        }
    }

    /// Pushes what is pending once, each session once at most; returns the errors by session
    /// (`gait clinic push`, tests).
    @discardableResult
    public func pushPending() async -> [SessionID: ClinicPushError] {
        var errors: [SessionID: ClinicPushError] = [:]
        guard let pending = try? await store.run({ [clinic] in try $0.sessionsAwaitingDelivery(clinic: clinic) }) else { return errors }
        for id in pending where !Task.isCancelled {
            do {
                try await deliver(sessionID: id)
            } catch {
                errors[id] = error
                await record(error, sessionID: id)
            }
        }
        return errors
    }

    /// The wait after `failures` failures in a row: `firstRetryDelayS`·2^(failures−1), at most
    /// `maximumRetryDelayS`, times a random factor in 0.5…1 (so many devices do not come back at once).
    public static func retryDelay(failures: Int, settings: Settings) -> Double {
        let exponential = settings.firstRetryDelayS * pow(2, Double(min(max(failures - 1, 0), 30)))
        return min(settings.maximumRetryDelayS, exponential) * Double.random(in: 0.5...1)
    }

    /// Pushes one session and records it delivered; returns the clinic's session id.
    @discardableResult
    public func deliver(sessionID id: SessionID) async throws(ClinicPushError) -> Int64 {
        let folder = workFolder, store = store
        let export: SessionExport
        do {
            export = try await store.run { store in try SessionExport.write(sessionID: id, store: store, folder: folder) }
        } catch let error as ClinicPushError {
            throw error
        } catch {
            throw .export(sessionID: id, reason: "\(error)")
        }
        defer { unlink(export.path) }
        let clinicID = try await send(export)
        let clinic = clinic, painLogMaxID = export.painLogMaxID
        do {
            try await store.run { try $0.recordDelivered(clinic: clinic, sessionID: id, clinicSessionID: clinicID, painLogMaxID: painLogMaxID, at: Date()) }
        } catch {
            // The clinic has it; the next attempt finds it there (200, already stored) and records it then.
            throw .export(sessionID: id, reason: "delivered as the clinic's session \(clinicID), but not recorded here: \(error)")
        }
        logger.info("session \(id) delivered to \(clinic) as its session \(clinicID) (\(export.size) bytes)")
        return clinicID
    }

    /// Declares, sends from the clinic's offset and completes; a completion the clinic no longer
    /// knows (completed meanwhile, or discarded) is declared once more.
    func send(_ export: SessionExport) async throws(ClinicPushError) -> Int64 {
        for round in 0..<2 {
            let state = try await client.declareUpload(sha256: export.sha256, size: export.size, manifest: export.manifest)
            if state.alreadyStored, let id = state.sessionID { return id }
            guard let uploadID = state.uploadID else { throw .unexpectedAnswer(url: clinic, reason: "no upload_id") }
            let chunk = max(1, min(state.chunkBytes ?? (4 << 20), 4 << 20))
            try await sendChunks(export, uploadID: uploadID, from: state.receivedBytes ?? 0, chunkBytes: chunk)
            do {
                return try await client.complete(id: uploadID).sessionID
            } catch .refused(404, _, _) where round == 0 {
                continue
            } catch .refused(400, let message, let url) where round == 0 && message.contains("SHA-256") {
                logger.warning("\(url): \(message)")
                continue
            }
        }
        throw .unexpectedAnswer(url: clinic, reason: "the upload could not be completed")
    }

    /// Sends the file's chunks from `offset` to its end, asking the clinic where it is after a conflict.
    func sendChunks(_ export: SessionExport, uploadID: String, from offset: Int, chunkBytes: Int) async throws(ClinicPushError) {
        guard let handle = FileHandle(forReadingAtPath: export.path) else { throw .export(sessionID: 0, reason: "cannot reopen \(export.path)") }
        defer { try? handle.close() }
        var offset = offset
        var badHashes = 0
        while offset < export.size {
            if Task.isCancelled { throw .unreachable(url: clinic, reason: "cancelled (shutting down)") }
            let bytes: [UInt8]
            do {
                try handle.seek(toOffset: UInt64(offset))
                bytes = [UInt8](try handle.read(upToCount: min(chunkBytes, export.size - offset)) ?? Data())
            } catch {
                throw .export(sessionID: 0, reason: "cannot read \(export.path): \(error)")
            }
            guard !bytes.isEmpty else { throw .export(sessionID: 0, reason: "\(export.path) is shorter than written") }
            do {
                offset = try await client.sendChunk(id: uploadID, offset: offset, bytes: bytes, sha256: ContentHash.of(bytes))
            } catch .refused(409, _, _) {
                offset = try await client.uploadState(id: uploadID).receivedBytes ?? offset
            } catch .refused(400, let message, let url) where message.contains("X-Chunk-SHA256") {
                badHashes += 1
                if badHashes >= settings.chunkAttempts { throw .refused(status: 400, message: message, url: url) }
            }
        }
    }

    /// Records a failed attempt (and logs it).
    func record(_ error: ClinicPushError, sessionID id: SessionID) async {
        let clinic = clinic
        if error.isPermanent {
            logger.error("session \(id): the clinic refused it for good: \(error)")
        } else if error.isUnauthorized {
            logger.error("clinic push: \(error)")
        } else {
            logger.warning("session \(id) not delivered yet: \(error)")
        }
        do {
            try await store.run { try $0.recordDeliveryFailure(clinic: clinic, sessionID: id, reason: error.description,
                                                                permanent: error.isPermanent, at: Date()) }
        } catch {
            logger.error("session \(id): cannot record the failed delivery: \(error)")
        }
    }

    /// Sleeps, returning early when the task is cancelled.
    func pause(_ seconds: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
    }
}
