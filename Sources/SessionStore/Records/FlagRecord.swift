import Foundation
import GRDB

/// A finding about a session (table `flag`), written by the inference layer: what, how bad, how
/// sure, the evidence behind it and the advice given.
public struct FlagRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "flag"
    public var id: Int64?
    public var sessionId: Int64
    /// What was found, e.g. "overstriding", "asymmetry.impact_peak_g".
    public var kind: String
    /// Severity, e.g. "info", "watch", "act".
    public var severity: String
    /// Confidence 0–1.
    public var confidence: Double
    /// The evidence as a JSON document (metrics, thresholds, steps).
    public var evidenceJSON: String
    /// Advice shown with it; nil if none.
    public var advice: String?
    /// When it was raised.
    public var createdAt: Date
    /// The flag's stable id (e.g. "asymmetry.impact_peak_g"); nil for flags stored before the inference layer.
    public var flagKey: String?

    /// Creates a flag record.
    public init(id: Int64? = nil, sessionId: Int64, kind: String, severity: String, confidence: Double,
                evidenceJSON: String, advice: String? = nil, createdAt: Date = Date(), flagKey: String? = nil) {
        self.id = id
        self.sessionId = sessionId
        self.kind = kind
        self.severity = severity
        self.confidence = confidence
        self.evidenceJSON = evidenceJSON
        self.advice = advice
        self.createdAt = createdAt
        self.flagKey = flagKey
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
