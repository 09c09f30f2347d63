import Foundation

/// One entry of a pain and notes log as the reports show and export it.
public struct PainNote: Sendable, Codable, Equatable {
    /// Pain 0 (none) to 10 (worst imaginable); nil for a note without a score.
    public var score: Int?
    /// Where it hurt, e.g. "lower back, left".
    public var location: String?
    /// When during the run, seconds from the session's start; nil if not tied to a moment.
    public var atS: Double?
    /// Free text.
    public var note: String?
    /// When the entry was written.
    public var recordedAt: Date

    /// Creates a note.
    public init(score: Int?, location: String? = nil, atS: Double? = nil, note: String? = nil, recordedAt: Date) {
        self.score = score
        self.location = location
        self.atS = atS
        self.note = note
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case score
        case location
        case atS = "at_s"
        case note
        case recordedAt = "recorded_at"
    }
}
