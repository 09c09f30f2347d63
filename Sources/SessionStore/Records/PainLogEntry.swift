import Foundation
import GaitInference
import GRDB

/// One entry of a session's pain and notes log (table `painLog`).
public struct PainLogEntry: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "painLog"
    public var id: Int64?
    public var sessionId: Int64
    /// Pain 0 (none) to 10 (worst imaginable); nil for a note without a pain score.
    public var painScore: Int?
    /// Where it hurt, e.g. "lower back, left".
    public var location: String?
    /// When during the run, seconds from the session's start; nil if not tied to a moment.
    public var atS: Double?
    /// Free text.
    public var note: String?
    /// When the entry was written.
    public var recordedAt: Date
    /// Whether the pain lasted into the next day; nil when not asked.
    public var nextDay: Bool?
    /// Red-flag symptoms answered "yes", as `RedFlagSymptom` raw values joined by commas; nil: none.
    public var redFlags: String?
    /// The account that wrote it (the runner, or a physiotherapist's note); nil when not recorded
    /// (entries from before migration v10, `gait pain` on the runner's own machine).
    public var authorAccountId: Int64?

    /// The red-flag symptoms of the entry.
    public var symptoms: [RedFlagSymptom] {
        (redFlags ?? "").split(separator: ",").compactMap { RedFlagSymptom(rawValue: String($0)) }
    }

    /// Creates an entry.
    public init(id: Int64? = nil, sessionId: Int64, painScore: Int? = nil, location: String? = nil,
                atS: Double? = nil, note: String? = nil, recordedAt: Date = Date(), nextDay: Bool? = nil,
                symptoms: [RedFlagSymptom] = [], authorAccountId: Int64? = nil) {
        self.id = id
        self.sessionId = sessionId
        self.painScore = painScore
        self.location = location
        self.atS = atS
        self.note = note
        self.recordedAt = recordedAt
        self.nextDay = nextDay
        self.redFlags = symptoms.isEmpty ? nil : symptoms.map(\.rawValue).joined(separator: ",")
        self.authorAccountId = authorAccountId
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
