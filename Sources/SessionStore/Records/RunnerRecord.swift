import Foundation
import GRDB

/// A runner whose sessions the store holds (table `runner`).
public struct RunnerRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "runner"
    /// Row id; nil before insertion.
    public var id: Int64?
    /// Name as the runner or clinic wrote it.
    public var name: String
    /// When the runner was added.
    public var createdAt: Date
    /// The shoes the runner runs in now: new sessions get them.
    public var currentShoeId: Int64?
    /// When the runner's red-flag alert was last cleared (a doctor has seen them), and by whom.
    public var redFlagsClearedAt: Date?
    public var redFlagsClearedBy: String?

    /// Creates a runner record.
    public init(id: Int64? = nil, name: String, createdAt: Date = Date(), currentShoeId: Int64? = nil) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.currentShoeId = currentShoeId
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
