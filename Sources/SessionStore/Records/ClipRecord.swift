import GRDB

/// A Backstride clip the store has seen (table `clip`), one row per serial.
public struct ClipRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "clip"
    /// Row id; nil before insertion.
    public var id: Int64?
    /// The clip's serial number (unique).
    public var serial: String
    /// Firmware version last seen, e.g. "1.2"; nil if unknown.
    public var firmware: String?
    /// The runner who owns the clip: every session synced from it is theirs; nil: nobody yet.
    public var runnerId: Int64?

    /// Creates a clip record.
    public init(id: Int64? = nil, serial: String, firmware: String? = nil, runnerId: Int64? = nil) {
        self.id = id
        self.serial = serial
        self.firmware = firmware
        self.runnerId = runnerId
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
