/// Why a session store operation failed, with what it was working on.
public enum SessionStoreError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// A session file could not be read or analysed.
    case unreadableInput(path: String, reason: String)
    /// A temporary file the store needed could not be written.
    case cannotWrite(path: String, reason: String)
    /// No session has this id.
    case noSuchSession(id: Int64)
    /// No runner has this name (or id).
    case noSuchRunner(String)
    /// The runner has no shoe of this name.
    case noSuchShoe(name: String, runner: String)
    /// The clip belongs to another runner; only an administrator may move it.
    case clipOwnedByAnotherRunner(serial: String, owner: String)
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
        case let .cannotWrite(path, reason): return "\(path): cannot write: \(reason)"
        case let .noSuchSession(id): return "no session with id \(id)"
        case let .noSuchRunner(name): return "no runner named '\(name)'"
        case let .noSuchShoe(name, runner): return "\(runner) has no shoe named '\(name)'"
        case let .clipOwnedByAnotherRunner(serial, owner): return "clip \(serial) belongs to \(owner); an administrator can move it"
        case let .corruptRawData(id, chunk, reason): return "session \(id), raw chunk \(chunk): \(reason)"
        case let .invalidValue(field, reason): return "\(field): \(reason)"
        case let .database(operation, reason): return "\(operation): \(reason)"
        }
    }
}
