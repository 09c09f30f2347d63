import Foundation
import GaitDSP
import GaitInference

/// The report of one runner across sessions for a physiotherapist: left/right asymmetry session by
/// session, each flagged measure over time, shoe impact against each shoe's first runs, the pain
/// log on the same time axis, weekly running time, and the sessions with their flags.
///
/// Positions on the time axis (`x` of every point) are days since the first session when every
/// session is dated, otherwise the session's position in the history (as `RunnerTrends` does).
public struct RunnerReport: Sendable, Codable, Equatable {
    /// Schema identifier of the JSON export.
    public var schema = RunnerReport.schemaIdentifier
    /// The runner's id in the store.
    public var runnerID: Int64?
    /// The runner's name (escaped when rendered).
    public var runnerName: String
    /// The runner's red-flag alert ("see a doctor now"), shown first while it is not cleared.
    public var alert: String?
    /// Whether `x` is days since `firstDate` (true) or the session's position (false).
    public var dated: Bool
    /// First and last dated sessions.
    public var firstDate: Date?, lastDate: Date?
    /// The runner's trends (per measure with robust slopes, per week, per shoe, pain).
    public var trends: RunnerTrends
    /// The sessions in start order.
    public var sessions: [SessionRow]
    /// Symmetry index per session for each measure the asymmetry flag follows.
    public var asymmetry: [MeasureSeries]
    /// Each measure that was flagged in some session, across all sessions.
    public var flaggedMeasures: [MeasureSeries]
    /// Impact per run of each shoe, against its first runs.
    public var shoes: [ShoeSeries]

    /// The schema identifier of the JSON export.
    public static let schemaIdentifier = "backstride.runner-report/1"

    /// Makes the report of a runner from their session facts (any order), shoes, and each
    /// session's flags and pain log keyed by `SessionFacts.sessionKey`.
    public init(runnerName: String, runnerID: Int64? = nil, history: [SessionFacts], shoes: [ShoeInfo] = [],
                flags: [String: [GaitFlag]] = [:], painLog: [String: [PainNote]] = [:]) {
        let sessions = history.sortedByStart()
        let trends = RunnerTrends(history: sessions, shoes: shoes)
        self.runnerID = runnerID
        self.runnerName = runnerName
        self.trends = trends
        firstDate = trends.firstDate
        lastDate = trends.lastDate
        let dated = trends.firstDate != nil && sessions.allSatisfy { $0.startedAt != nil }
        self.dated = dated
        let first = trends.firstDate
        let xs: [Double] = sessions.enumerated().map { i, f in
            if dated, let start = f.startedAt, let first { return start.timeIntervalSince(first) / 86_400 }
            return Double(i)
        }
        let shoeNames = Dictionary(shoes.map { ($0.key, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows = sessions.enumerated().map { i, f in
            SessionRow(facts: f, x: xs[i], shoeName: f.shoeKey.flatMap { shoeNames[$0] }, flags: flags[f.sessionKey] ?? [],
                       painLog: painLog[f.sessionKey] ?? [])
        }
        self.sessions = rows
        asymmetry = Self.asymmetrySeries(rows: rows)
        flaggedMeasures = Self.flaggedSeries(rows: rows)
        self.shoes = trends.shoes.map { ShoeSeries(trend: $0, rows: rows) }
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case runnerID = "runner_id"
        case runnerName = "runner"
        case alert = "alert"
        case dated
        case firstDate = "first_date"
        case lastDate = "last_date"
        case trends, sessions, asymmetry
        case flaggedMeasures = "flagged_measures"
        case shoes
    }
}
