import Foundation

/// What a session report knows beyond the analysis: which session, who ran it, when, in which
/// shoes, and what the runner logged about pain. Every field may be missing (a file analysed
/// outside the store has none of them).
public struct SessionReportMetadata: Sendable, Equatable {
    /// The session's id in the store.
    public var sessionID: Int64?
    /// The runner's name as the store holds it (escaped when rendered).
    public var runnerName: String?
    /// Start of the recording (UTC).
    public var startedAt: Date?
    /// IANA time zone the run was recorded in, for the local start time; nil: UTC.
    public var timeZone: String?
    /// The shoe worn.
    public var shoeName: String?
    /// The session's pain and notes log, oldest first.
    public var painLog: [PainNote]
    /// The runner's red-flag alert ("see a doctor now"), shown first while it is not cleared.
    public var alert: String?

    /// Creates metadata; everything defaults to unknown.
    public init(sessionID: Int64? = nil, runnerName: String? = nil, startedAt: Date? = nil, timeZone: String? = nil,
                shoeName: String? = nil, painLog: [PainNote] = [], alert: String? = nil) {
        self.sessionID = sessionID
        self.runnerName = runnerName
        self.startedAt = startedAt
        self.timeZone = timeZone
        self.shoeName = shoeName
        self.painLog = painLog
        self.alert = alert
    }
}
