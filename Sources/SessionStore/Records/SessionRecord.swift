import Foundation
import GRDB

/// Where a stored session came from.
public enum SessionSource: String, Codable, Sendable, CaseIterable {
    /// Synced from a clip (gaitd or `gait sync`), stored through `importClipSession`.
    case clip
    /// A CSV file in a format SessionIO reads.
    case csv
    /// A clip session file (`.bsession`) imported with `gait import`.
    case `import`
}

/// One recorded session (table `session`). Its raw samples are in `rawChunk`, its analysis in
/// `step` and `sessionSummary`.
public struct SessionRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "session"
    /// Row id: the session id every API uses; nil before insertion.
    public var id: Int64?
    /// The runner, if assigned.
    public var runnerId: Int64?
    /// The clip that recorded it, for clip sessions.
    public var clipId: Int64?
    /// The session's id on its clip; with `clipId`, the identity of a clip session.
    public var clipSessionId: Int64?
    /// SHA-256 of the imported file, the identity of a file import; nil for clip sessions given as samples.
    public var contentHash: String?
    /// Where it came from.
    public var source: SessionSource
    /// The file it was imported from (as given), or the clip archive path.
    public var sourcePath: String?
    /// Start of the recording (UTC); nil when the recording does not say (most CSV files, a clip whose clock was unset).
    public var startedAt: Date?
    /// IANA time zone the run was recorded in (the importing machine's zone), for local times.
    public var timeZone: String
    /// First to last sample, seconds.
    public var durationS: Double
    /// Nominal sampling rate, Hz.
    public var sampleRateHz: Double
    /// The rate the engine was told (the file's declared or the clip's rate); nil: estimated from the timestamps.
    public var configuredSampleRateHz: Double?
    /// Samples stored in `rawChunk`.
    public var sampleCount: Int
    /// Whether the samples include a gyroscope.
    public var hasGyroscope: Bool
    /// What the reader reported of the input (format, device, reader warnings), as the
    /// `input` JSON object of the analysis document before the engine adds its own: re-analysis
    /// starts from it.
    public var readerInputJSON: String
    /// Shoes worn, if known.
    public var shoeId: Int64?
    /// Surface (road, track, trail, treadmill…), if known.
    public var surface: String?
    /// When the store received it.
    public var importedAt: Date
    /// Distance of the session, km, when known from outside (a watch, the runner's log).
    public var distanceKm: Double? = nil
    /// Why the stored copy is incomplete (bad blocks, a truncated tail), in one line; nil when it is
    /// complete as far as the file could tell. A more complete copy of the same clip session replaces it.
    public var incompleteReason: String? = nil

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    static let clip = belongsTo(ClipRecord.self)
    static let summary = hasOne(SessionSummaryRecord.self)
}
