import Dispatch
import Foundation
import GaitDSP
import GaitInference

/// A session's id in the store (the `session` table's row id).
public typealias SessionID = Int64

/// Where sessions, their raw samples, analyses, flags, pain logs and accounts are kept:
/// persistence only. Nothing here reads a session file or runs an engine; `SessionIngest` reads and
/// analyses a session outside any transaction and hands the result to `insertSession`, which
/// writes it whole in one short transaction.
///
/// `SQLiteSessionStore` (GRDB, one file, WAL, nothing to start) is the default; a clinic can put
/// another implementation (PostgreSQL) behind this protocol. Every method is synchronous and
/// thread-safe; from async code call them through `run(_:)`, which keeps the blocking I/O off the
/// cooperative pool. Errors are `SessionStoreError`.
public protocol SessionStore: Sendable {
    // MARK: Sessions

    /// Stores a session whole (session row, raw samples, steps, summary and, when given, its flags
    /// and facts) in one transaction. Idempotent by content hash and by clip serial + clip session
    /// id, checked inside the transaction: a session already stored is not written again.
    ///
    /// A clip session stored from a less complete copy (fewer raw samples than `rawSamples`) is
    /// replaced instead, in the same transaction: it keeps its id, runner, shoes, distance, start
    /// (when known), pain log and notes, and watch pairing (the draft's pairing replaces it when
    /// given); its raw samples, steps, summary, content hash, source, sample count and
    /// `incompleteReason` become the draft's, and its facts are deleted so its flags are pending
    /// (`sessionsWithoutInference`), as `replaceAnalysis` leaves them; `inference` is not stored
    /// then. The outcome's `replaced` says so. See `ReplacedCopy` for what "less complete" means.
    func insertSession(_ draft: SessionDraft, rawSamples: RawChunkSpool, inference: SessionInference?) throws -> InsertOutcome

    /// The stored session with this content hash or this clip session, or nil.
    func existingSession(contentHash: String?, clip: SessionDraft.ClipIdentity?) throws -> SessionID?

    /// Replaces a session's analysis (re-analysis with a newer engine); returns whether it changed.
    /// A changed analysis leaves the session's flags pending (`sessionsWithoutInference`).
    func replaceAnalysis(sessionID: SessionID, analysis: GaitAnalysis) throws -> Bool

    /// A number that grows with every write of anything a page, report or API document shows
    /// (sessions, analyses, flags, facts, pain log, runners, shoes, clips, accounts, watch
    /// pairings), whichever process wrote it: equal revisions mean equal reports (caches, ETags).
    func revision() throws -> Int64

    /// For each of `runnerIDs`, a number that grows with every write about that runner (their
    /// name, shoes, clips, sessions and what belongs to a session) or about every runner
    /// (accounts), whichever process wrote it; a write about another runner leaves it. Equal
    /// numbers mean an equal runner report and dashboard row. Taken from the same counter as
    /// `revision()`, so a runner's number never goes back.
    func runnerRevisions(_ runnerIDs: [Int64]) throws -> [Int64: Int64]

    /// The most recent sessions first (by id), at most `limit`, with their listing columns.
    func sessions(limit: Int, filter: SessionFilter) throws -> [SessionSummaryRow]

    /// The session's record, or nil.
    func session(id: SessionID) throws -> SessionRecord?

    /// Every session id, oldest first.
    func allSessionIDs() throws -> [SessionID]

    /// The stored analysis document (summary, bouts and every step), or nil.
    func analysis(id: SessionID) throws -> GaitAnalysis?

    /// The session's raw samples, one stored chunk (≤ 65,536 samples) per `next()`.
    func rawSamples(id: SessionID) throws -> RawSampleReader

    /// Pairs a session with the speed and slope of the runner's watch file (replacing an earlier
    /// pairing); its flags are left pending until recomputed.
    func setSessionSpeed(sessionID: SessionID, speed: SessionSpeed) throws

    /// The speed and slope paired with a session, or nil.
    func sessionSpeed(sessionID: SessionID) throws -> SessionSpeed?

    /// Records who ran a session, in which shoes, how far and when (nil leaves a field as it is).
    func assign(sessionID: SessionID, runnerID: Int64?, shoeID: Int64?, distanceKm: Double?, startedAt: Date?) throws

    // MARK: Pain log

    /// Adds an entry to a session's pain and notes log; returns it with its id.
    func addPain(_ entry: PainLogEntry) throws -> PainLogEntry

    /// A session's pain and notes log, oldest first.
    func painLog(sessionID: SessionID) throws -> [PainLogEntry]

    /// The red-flag symptoms the runner reported since their alert was last cleared, or nil.
    func redFlagAlert(runnerID: Int64) throws -> RedFlagAlert?

    /// Clears the runner's red-flag alert (a doctor has seen them); `by` names who cleared it.
    func clearRedFlags(runnerID: Int64, by: String) throws

    // MARK: Runners, shoes and clips

    /// The runner with this name; with `create`, added when missing (nil only without `create`).
    func runner(named name: String, create: Bool) throws -> RunnerRecord?

    /// Every runner, by name.
    func runners() throws -> [RunnerRecord]

    /// The runner with this id, or nil.
    func runner(id: Int64) throws -> RunnerRecord?

    /// The runner's shoe with this name; with `create`, added when missing. A given
    /// `distanceSoFarKm` (run in them before they were recorded here) is stored.
    func shoe(named name: String, runnerID: Int64, create: Bool, distanceSoFarKm: Double?) throws -> ShoeRecord?

    /// The runner's shoes, oldest first.
    func shoes(runnerID: Int64) throws -> [ShoeRecord]

    /// Sets (or with nil clears) the shoes a runner runs in now; new sessions get them.
    func setCurrentShoe(runnerID: Int64, shoeID: Int64?) throws

    /// The clip with this serial, or nil when the store has never seen it.
    func clip(serial: String) throws -> ClipRecord?

    /// The clips of a runner (nil: every clip), by serial.
    func clips(runnerID: Int64?) throws -> [ClipRecord]

    /// Gives a clip to a runner (nil: to nobody), adding it when new. A clip another runner owns
    /// is refused (`clipOwnedByAnotherRunner`) unless `moveFromAnotherRunner`.
    func assignClip(serial: String, runnerID: Int64?, moveFromAnotherRunner: Bool) throws -> ClipRecord

    // MARK: Flags

    /// A session's stored analysis and what its flags are computed against (its start, shoe,
    /// distance, pain and its runner's other sessions); nil when it has not been analysed.
    func inferenceContext(sessionID: SessionID) throws -> (analysis: GaitAnalysis, context: InferenceContext)?

    /// Replaces a session's flags and facts.
    func replaceInference(sessionID: SessionID, inference: SessionInference) throws

    /// The runner's sessions in start order (unknown starts first, then by id).
    func sessionIDsInStartOrder(runnerID: Int64) throws -> [SessionID]

    /// Analysed sessions whose flags were never computed or are out of date (a failure, a crash,
    /// a re-analysis), in start order.
    func sessionsWithoutInference() throws -> [SessionID]

    /// Flag records as stored (including ones written before the inference layer).
    func flags(sessionID: SessionID) throws -> [FlagRecord]

    /// A session's flags as the inference layer wrote them (with evidence and advice).
    func storedFlags(sessionID: SessionID) throws -> [GaitFlag]

    /// The stored analysis with its stored flags and what they were computed against (the
    /// runner's history before the session, the shoe), or nil when it has not been analysed.
    func storedDocument(sessionID: SessionID) throws -> InferredAnalysis?

    /// The facts of every session of the runner, in start order (baselines and trends read these).
    func history(runnerID: Int64) throws -> [SessionFacts]

    /// A shoe as the inference layer sees it.
    func shoeInfo(shoeID: Int64) throws -> ShoeInfo?

    // MARK: Audit log

    /// Records a look at a runner's data by someone other than the runner.
    func recordView(_ view: DataViewRecord) throws

    /// The looks at a runner's data, newest first, at most `limit`.
    func views(runnerID: Int64, limit: Int) throws -> [DataViewRecord]

    /// When the account last looked at each runner's data (runners never looked at are absent).
    func lastViews(accountID: Int64) throws -> [Int64: Date]

    // MARK: Accounts, access grants and logins (GaitServer)

    /// Adds a web account; the username is stored normalised (NFKC, case-folded) and must be new and
    /// not a look-alike of an existing one (1–64 letters, digits, '.', '_', '-', '@').
    func addAccount(_ account: AccountRecord) throws -> AccountRecord

    /// The account with this username (compared normalised), or nil.
    func account(username: String) throws -> AccountRecord?

    /// Replaces an account's password hash and ends its other login sessions (all but `keepingTokenHash`).
    func changePasswordHash(accountID: Int64, passwordHash: String, keepingTokenHash: String?) throws

    /// Disables an account (ending all its logins: it can no longer log in) or enables it again.
    func setAccountDisabled(accountID: Int64, disabled: Bool, at: Date) throws

    /// Ends every login session and API token of an account ("log out everywhere"); returns how many.
    @discardableResult
    func removeLoginSessions(accountID: Int64) throws -> Int

    /// The account with this id, or nil.
    func account(id: Int64) throws -> AccountRecord?

    /// Every account, by username.
    func accounts() throws -> [AccountRecord]

    /// Lets a physiotherapist see a runner's sessions (idempotent).
    func grant(runnerID: Int64, physioAccountID: Int64) throws

    /// Withdraws a physiotherapist's access to a runner.
    func revoke(runnerID: Int64, physioAccountID: Int64) throws

    /// The runners an account may see: a runner their own, a physiotherapist those who granted
    /// access, an administrator every runner.
    func visibleRunnerIDs(accountID: Int64) throws -> Set<Int64>

    /// The physiotherapists a runner granted access to, by username.
    func grantedPhysios(runnerID: Int64) throws -> [AccountRecord]

    /// Stores a new login session (expired ones are removed on the way).
    func addLoginSession(_ session: LoginSessionRecord) throws

    /// The login session with this token hash if it has not expired at `now`, with its account.
    func loginSession(tokenHash: String, now: Date) throws -> (session: LoginSessionRecord, account: AccountRecord)?

    /// Ends a login session (logout).
    func removeLoginSession(tokenHash: String) throws

    /// The runner's sessions, newest first.
    func sessions(runnerID: Int64) throws -> [SessionRecord]

    /// The stored flags of every session of the runner that has any, by session, each as
    /// `storedFlags(sessionID:)` returns them (a runner report needs every run's).
    func storedFlags(runnerID: Int64) throws -> [SessionID: [GaitFlag]]

    /// The pain log of every session of the runner that has entries, by session, each as
    /// `painLog(sessionID:)` returns it.
    func painLogs(runnerID: Int64) throws -> [SessionID: [PainLogEntry]]

    /// When each of the runner's sessions arrived in the store (`SessionRecord.importedAt`), in
    /// the order of `sessions(runnerID:)`.
    func arrivals(runnerID: Int64) throws -> [Date]

    // MARK: Clinic: pairing codes, devices and pushed pain entries (the clinic's server)

    /// Stores a new pairing code (expired ones are removed on the way).
    func addPairingCode(_ code: PairingCodeRecord) throws

    /// Redeems a pairing code in one transaction: an unused, unexpired code (at `now`) is marked
    /// used and `device` is added for the code's runner (its `runnerId` is taken from the code).
    func redeemPairingCode(codeHash: String, device: DeviceRecord, now: Date) throws -> PairingRedemption

    /// The device with this token hash (revoked and expired ones too: the caller says why it refuses), or nil.
    func device(tokenHash: String) throws -> DeviceRecord?

    /// The runner's devices, newest first (revoked ones too).
    func devices(runnerID: Int64) throws -> [DeviceRecord]

    /// Revokes the runner's device with this id at `at`; false when the runner has no such device
    /// in use.
    func revokeDevice(id: Int64, runnerID: Int64, at: Date) throws -> Bool

    /// Adds a pain entry a device pushed, once per session and `entryKey` (the device's stable key
    /// for it); returns whether it was added (false: it was there already).
    func addPushedPain(_ entry: PainLogEntry, entryKey: String) throws -> Bool

    // MARK: Clinic push (the runner's gaitd)

    /// Sessions not yet delivered to `clinic` and not refused by it, and delivered sessions whose
    /// pain log has an entry newer than the delivery carried; oldest first (by id).
    func sessionsAwaitingDelivery(clinic: String) throws -> [SessionID]

    /// Records a failed attempt to deliver a session (`permanent`: the clinic refused it for good,
    /// it is not tried again).
    func recordDeliveryFailure(clinic: String, sessionID: SessionID, reason: String, permanent: Bool, at: Date) throws

    /// Records that `clinic` stored the session as its `clinicSessionID`, with the pain log up to
    /// the entry `painLogMaxID` (nil: none).
    func recordDelivered(clinic: String, sessionID: SessionID, clinicSessionID: Int64, painLogMaxID: Int64?, at: Date) throws

    /// What is known of every attempted delivery to `clinic`, by session id.
    func deliveries(clinic: String) throws -> [ClinicDeliveryRecord]
}

/// Red-flag symptoms a runner reported with their pain, not yet cleared: every page and report of
/// the runner says "see a doctor now" while there is one.
public struct RedFlagAlert: Sendable, Equatable {
    /// The symptoms reported, each once, in `RedFlagSymptom` order.
    public var symptoms: [RedFlagSymptom]
    /// When they were first reported since the last clearance.
    public var since: Date
    /// The sessions whose pain log reported them.
    public var sessionIDs: [SessionID]

    public init(symptoms: [RedFlagSymptom], since: Date, sessionIDs: [SessionID]) {
        self.symptoms = symptoms
        self.since = since
        self.sessionIDs = sessionIDs
    }

    /// What every page and report says.
    public var message: String { RedFlagSymptom.alert(symptoms) }

    /// The alert of a runner's pain entries since the last clearance (oldest first), nil when
    /// none reported a red-flag symptom: every store builds it here.
    init?(entries: [PainLogEntry]) {
        let reported = Set(entries.flatMap(\.symptoms))
        guard let first = entries.first, !reported.isEmpty else { return nil }
        var sessions: [SessionID] = []
        for entry in entries where !sessions.contains(entry.sessionId) { sessions.append(entry.sessionId) }
        self.init(symptoms: RedFlagSymptom.allCases.filter(reported.contains), since: first.recordedAt, sessionIDs: sessions)
    }
}

/// Which sessions a listing shows.
public enum SessionFilter: Sendable, Equatable {
    /// Every session.
    case all
    /// Sessions no runner has been given yet.
    case unassigned
    /// One runner's sessions.
    case runner(Int64)
}

extension SessionStore {
    /// The most recent sessions first, every runner's and none.
    public func sessions(limit: Int) throws -> [SessionSummaryRow] { try sessions(limit: limit, filter: .all) }

    /// The login session with this token hash if it has not expired now, with its account.
    public func loginSession(tokenHash: String) throws -> (session: LoginSessionRecord, account: AccountRecord)? {
        try loginSession(tokenHash: tokenHash, now: Date())
    }

    /// Runs blocking store work on a dispatch thread and awaits it, so async callers (gaitd)
    /// never block the cooperative thread pool.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Self) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body(self) })
            }
        }
    }

    /// The session's raw samples as an async sequence, one chunk at a time (bounded memory).
    public func rawSampleStream(id: SessionID) -> AsyncThrowingStream<IMUBlock, any Error> {
        let box = ReaderBox()
        return AsyncThrowingStream(unfolding: { [self] in
            try await run { store in
                try box.withReader(open: { try store.rawSamples(id: id) }) { try $0.next() }
            }
        })
    }
}

/// Holds a raw-sample reader between the pulls of `rawSampleStream`.
private final class ReaderBox: @unchecked Sendable {
    // Pulls of one stream are sequential, so the lock only orders memory between threads.
    private let lock = NSLock()
    private var reader: RawSampleReader?

    func withReader<T>(open: () throws -> RawSampleReader, _ body: (inout RawSampleReader) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if reader == nil { reader = try open() }
        return try body(&reader!)
    }
}

/// One line of the session listing.
public struct SessionSummaryRow: Sendable, Equatable {
    public var id: SessionID
    /// Start (UTC); nil when the recording does not say.
    public var startedAt: Date?
    /// Time zone the session was recorded in.
    public var timeZone: String
    /// Duration, seconds.
    public var durationS: Double
    public var source: SessionSource
    /// The imported file or the clip serial.
    public var origin: String?
    /// Steps of the primary activity; nil before analysis.
    public var stepCount: Int?
    /// Median cadence, steps/min.
    public var cadenceSpm: Float?
    /// Running or walking.
    public var primaryActivity: String?
    /// The runner, when assigned.
    public var runnerID: Int64?
    /// Why the stored copy is incomplete, or nil (`SessionRecord.incompleteReason`).
    public var incompleteReason: String? = nil
}
