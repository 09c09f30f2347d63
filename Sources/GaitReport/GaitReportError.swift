import SessionStore

/// Why a report could not be made.
public enum GaitReportError: Error, Equatable, CustomStringConvertible {
    /// The session is stored but has no analysis yet.
    case sessionNotAnalysed(SessionID)

    /// One line for a terminal or a log.
    public var description: String {
        switch self {
        case .sessionNotAnalysed(let id): "session \(id) has no analysis yet (gait reanalyze analyses stored sessions)"
        }
    }
}
