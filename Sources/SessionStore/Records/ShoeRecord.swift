import Foundation
import GRDB

/// A pair of shoes, for shoe-wear trends (table `shoe`).
public struct ShoeRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "shoe"
    /// Row id; nil before insertion.
    public var id: Int64?
    /// The runner who wears them, if known.
    public var runnerId: Int64?
    /// Name, e.g. "Pegasus 40 (blue)".
    public var name: String
    /// First day of use.
    public var startDate: Date
    /// Distance run in them before they were added to the store, km.
    public var distanceSoFarKm: Double
    /// Whether they are retired.
    public var retired: Bool

    /// Creates a shoe record.
    public init(id: Int64? = nil, runnerId: Int64? = nil, name: String, startDate: Date, distanceSoFarKm: Double = 0, retired: Bool = false) {
        self.id = id
        self.runnerId = runnerId
        self.name = name
        self.startDate = startDate
        self.distanceSoFarKm = distanceSoFarKm
        self.retired = retired
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
