import SessionIO
import SessionStore

/// Why a session could not come in, with what and where.
public enum SessionIngestError: Error, Sendable, CustomStringConvertible {
    /// The file cannot be read as a session (the reader's message names the file, line or byte, field).
    case unreadable(SessionIOError)
    /// The store refused (or could not do) what was asked.
    case store(SessionStoreError)
    /// The watch file given with the session does not match it (or cannot be placed on its clock).
    case watchNotPaired(WatchPairingError)

    public var description: String {
        switch self {
        case .unreadable(let error): return error.description
        case .store(let error): return error.description
        case .watchNotPaired(let error): return error.description
        }
    }

    /// The store's error, when the store refused.
    public var storeError: SessionStoreError? {
        if case .store(let error) = self { return error }
        return nil
    }
}
