import ClipSync
import GaitDSP

/// Where gaitd keeps sessions and their analyses. `ArchiveSessionSink` (files beside the clip
/// archive) implements it now; the SQLite `SessionStore` will through a small adapter.
///
/// Clip downloads always go through `clipArchive` first: `ClipSynchronizer` needs its resumable
/// partial files and its rename protocol, and acknowledges a session to the clip (which then
/// erases it) only after the archive committed it durably. `storeClipSession` then records the
/// committed session in the sink, and `pendingSessions()` catches up on any that a crash left
/// committed but not recorded or not analysed. Every method may block (file or database I/O):
/// gaitd calls them on its own threads, never on the cooperative pool.
protocol SessionSink: Sendable {
    /// The archive clip sessions are downloaded into before they are acknowledged.
    var clipArchive: SessionArchive { get }

    /// Records a clip session that `ClipSynchronizer` committed to `clipArchive`. Idempotent:
    /// recording the same session again returns the same session and stores nothing twice.
    func storeClipSession(_ record: StoredSession, attribution: SessionAttribution) throws -> SinkSession

    /// Copies a session file (a CSV in any dialect `SessionIO` reads) into the store, durably.
    /// Idempotent by content: the same bytes again return the same session.
    func storeFile(path: String, attribution: SessionAttribution) throws -> SinkSession

    /// Stores the analysis of a stored session, replacing any earlier one atomically.
    func storeAnalysis(_ analysis: GaitAnalysis, for session: SinkSession) throws

    /// Whether the session's analysis is stored.
    func hasAnalysis(_ session: SinkSession) -> Bool

    /// Every stored session that has no analysis yet (oldest first), including clip sessions the
    /// archive committed that the sink has not recorded (an adapter imports those here).
    func pendingSessions() throws -> [SinkSession]
}

/// Who ran in what: the config's default runner and shoe, attached to new sessions.
struct SessionAttribution: Sendable, Hashable, Codable {
    /// The runner's name or id, as configured.
    var runner: String?
    /// The shoe's name or id, as configured.
    var shoe: String?

    var isEmpty: Bool { runner == nil && shoe == nil }
}

/// A session in the sink: where its raw data is and what it came from.
struct SinkSession: Sendable, Hashable, CustomStringConvertible {
    /// Where a session came from.
    enum Origin: Sendable, Hashable {
        /// Downloaded from a clip.
        case clip(serial: String, sessionID: UInt32)
        /// Imported from a file (its name when dropped into the inbox).
        case file(name: String)
    }

    /// Where it came from.
    var origin: Origin
    /// CRC-32C of the raw data (the clip's session checksum, or of the imported file's bytes).
    var checksum: UInt32
    /// A file `SessionFileAnalyzer` reads: the `.bsession` or the stored CSV copy.
    var dataPath: String
    /// Start of the recording, seconds since 1970 (UTC), when known.
    var startUTCSeconds: Double?

    /// "clip BSC-0001 session 2" or "file run.csv".
    var description: String {
        switch origin {
        case let .clip(serial, sessionID): "clip \(serial) session \(sessionID)"
        case let .file(name): "file \(name)"
        }
    }
}
