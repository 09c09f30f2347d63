/// Why a session store operation failed, with what it was working on.
public enum SessionStoreError: Error, Sendable, CustomStringConvertible {
    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// A session file could not be read or analysed.
    case unreadableInput(path: String, reason: String)
    /// No session has this id.
    case noSuchSession(id: Int64)
    /// Stored raw samples do not decode (damage or an unknown encoding).
    case corruptRawData(sessionID: Int64, chunkIndex: Int, reason: String)
    /// A value given to the store is out of its range.
    case invalidValue(field: String, reason: String)
    /// The database refused an operation.
    case database(operation: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open the session database: \(reason)"
        case let .unreadableInput(path, reason): return "\(path): \(reason)"
        case let .noSuchSession(id): return "no session with id \(id)"
        case let .corruptRawData(id, chunk, reason): return "session \(id), raw chunk \(chunk): \(reason)"
        case let .invalidValue(field, reason): return "\(field): \(reason)"
        case let .database(operation, reason): return "\(operation): \(reason)"
        }
    }
}
