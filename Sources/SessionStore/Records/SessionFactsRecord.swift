import Foundation
import GRDB

/// The session-level facts of one session (table `sessionFacts`): the JSON of
/// `GaitInference.SessionFacts`, which baselines, trends and cross-session flags read instead of
/// decoding every session's full analysis.
public struct SessionFactsRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessionFacts"
    /// The session.
    public var sessionId: Int64
    /// `SessionFacts` as JSON.
    public var factsJSON: String
    /// When they were computed.
    public var computedAt: Date

    /// Creates a record.
    public init(sessionId: Int64, factsJSON: String, computedAt: Date = Date()) {
        self.sessionId = sessionId
        self.factsJSON = factsJSON
        self.computedAt = computedAt
    }
}
