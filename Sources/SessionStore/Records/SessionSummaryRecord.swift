import Foundation
import GRDB

/// A session's analysis summary (table `sessionSummary`, one row per analysed session): the
/// listing columns, plus the analysis document without its steps (they are in `step`).
public struct SessionSummaryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessionSummary"
    public var sessionId: Int64
    /// Steps of the primary activity.
    public var stepCount: Int
    /// Median cadence of the primary activity, steps/min.
    public var cadenceSpm: Float?
    /// Running or walking (`ActivityKind` raw value); nil without gait.
    public var primaryActivity: String?
    /// The `backstride.analysis/1` document with `steps` empty.
    public var documentJSON: String
    /// When the analysis was computed.
    public var analyzedAt: Date
}
