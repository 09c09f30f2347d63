import SessionStore

/// Why a report could not be made.
public enum GaitReportError: Error, Equatable, CustomStringConvertible {
    /// No session with this id is in the store.
    case sessionNotFound(SessionID)
    /// The session is stored but has not been analysed (no metrics yet).
    case sessionNotAnalysed(SessionID)
    /// No runner with this id is in the store.
    case runnerNotFound(Int64)

    public var description: String {
        switch self {
        case .sessionNotFound(let id): "no session \(id) in the store"
        case .sessionNotAnalysed(let id): "session \(id) has no analysis yet (run gait reanalyze)"
        case .runnerNotFound(let id): "no runner with id \(id) in the store"
        }
    }
}
