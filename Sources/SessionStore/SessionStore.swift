import Dispatch
import Foundation
import GaitDSP
import GaitInference

/// A session's id in the store (the `session` table's row id).
public typealias SessionID = Int64

/// Where sessions, their raw samples, analyses, flags and pain logs are kept.
///
/// `SQLiteSessionStore` (GRDB, one file, WAL, nothing to start) is the default; a clinic can put
/// another implementation (PostgreSQL) behind this protocol. Every method is synchronous and
/// thread-safe; from async code (gaitd) call them through `run(_:)`, which keeps the blocking I/O
/// off the cooperative pool:
///
/// ```swift
/// let store = try SQLiteSessionStore(path: SQLiteSessionStore.defaultPath)
/// // after ClipSync committed <archive>/<serial>/<id>-<crc>.bsession, and before acknowledging:
/// let id = try await store.run { try $0.importClipSession(serial: serial, firmware: "1.2",
///                                  clipSessionID: sessionID, path: archivePath, analysis: nil) }
/// for try await block in store.rawSampleStream(id: id) { engine.process(block) }
/// ```
///
/// Errors are `SessionStoreError`. Imports are idempotent and transactional: a session is
/// either stored whole (raw samples, steps, summary) or not at all.
public protocol SessionStore: Sendable {
    /// Imports a CSV file (any format SessionIO reads) or a clip session file (`.bsession`):
    /// stores its raw samples and its analysis. Idempotent by the file's SHA-256 (and, for a
    /// `.bsession`, by clip serial + clip session id): importing it again returns the first
    /// import's id with `inserted == false`.
    func importFile(path: String) throws -> (id: SessionID, inserted: Bool)

    /// Stores a clip session synced from the clip (a `.bsession` file as the archive holds it).
    /// Idempotent by `serial` + `clipSessionID`: a second call returns the stored session's id.
    /// `analysis` is stored as given; nil: the store analyses the samples while storing them.
    func importClipSession(serial: String, firmware: String?, clipSessionID: UInt32, path: String,
                           analysis: GaitAnalysis?) throws -> SessionID

    /// The same from the session's bytes in memory (written to a temporary file, then imported).
    func importClipSession(serial: String, firmware: String?, clipSessionID: UInt32, bytes: [UInt8],
                           analysis: GaitAnalysis?) throws -> SessionID

    /// The most recent sessions first (by id), at most `limit`, with their listing columns.
    func sessions(limit: Int) throws -> [SessionSummaryRow]

    /// The session's record, or nil.
    func session(id: SessionID) throws -> SessionRecord?

    /// The stored analysis document (summary, bouts and every step), or nil.
    func analysis(id: SessionID) throws -> GaitAnalysis?

    /// The session's raw samples, one stored chunk (≤ 65,536 samples) per `next()`.
    func rawSamples(id: SessionID) throws -> RawSampleReader

    /// Adds an entry to a session's pain and notes log; returns it with its id.
    func addPain(_ entry: PainLogEntry) throws -> PainLogEntry

    /// A session's pain and notes log, oldest first.
    func painLog(sessionID: SessionID) throws -> [PainLogEntry]

    /// Adds a flag (inference layer); returns it with its id.
    func addFlag(_ flag: FlagRecord) throws -> FlagRecord

    /// A session's flags, in insertion order.
    func flags(sessionID: SessionID) throws -> [FlagRecord]

    /// The runner with this name; with `create`, added when missing (nil only without `create`).
    func runner(named name: String, create: Bool) throws -> RunnerRecord?

    /// Every runner, by name.
    func runners() throws -> [RunnerRecord]

    /// The runner's shoe with this name; with `create`, added when missing. A given
    /// `distanceSoFarKm` (run in them before they were recorded here) is stored.
    func shoe(named name: String, runnerID: Int64, create: Bool, distanceSoFarKm: Double?) throws -> ShoeRecord?

    /// The runner's shoes, oldest first.
    func shoes(runnerID: Int64) throws -> [ShoeRecord]

    /// Records who ran a session, in which shoes, how far and when (nil leaves a field as it is).
    func assign(sessionID: SessionID, runnerID: Int64?, shoeID: Int64?, distanceKm: Double?, startedAt: Date?) throws

    /// Computes a session's flags (GaitInference) against its runner's other sessions, stores them
    /// in place of its earlier flags, and stores its facts; returns the flags.
    func inferFlags(sessionID: SessionID) throws -> [GaitFlag]

    /// Recomputes the flags of all the runner's sessions in start order (after a session was
    /// assigned or a pain score added); returns how many sessions.
    func reinferRunner(runnerID: Int64) throws -> Int

    /// A session's flags as the inference layer wrote them (with evidence and advice).
    func storedFlags(sessionID: SessionID) throws -> [GaitFlag]

    /// The stored analysis with its stored flags and what they were computed against (the
    /// runner's history before the session, the shoe), or nil when it has not been analysed.
    func storedDocument(sessionID: SessionID) throws -> InferredAnalysis?

    /// The facts of every session of the runner, in start order (baselines and trends read these).
    func history(runnerID: Int64) throws -> [SessionFacts]

    /// A shoe as the inference layer sees it.
    func shoeInfo(shoeID: Int64) throws -> ShoeInfo?

    /// Recomputes every session's analysis from its stored raw samples with the current GaitDSP,
    /// on all cores; `progress(done, total)` is called after each session (from any thread).
    func reanalyzeAll(progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) throws -> ReanalysisReport
}

extension SessionStore {
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
}

/// What `reanalyzeAll` did.
public struct ReanalysisReport: Sendable, Equatable {
    /// Sessions re-analysed.
    public var sessionCount: Int
    /// Of those, sessions whose analysis changed.
    public var changedCount: Int
    /// Sessions that could not be re-analysed, with the reason.
    public var failures: [String]
}
