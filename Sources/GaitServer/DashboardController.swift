import Foundation
import GaitInference
import GaitReport
import Hummingbird
import SessionStore

/// The physiotherapist's dashboard (the home page of a physiotherapist or administrator): every
/// runner they may see with the latest run, its open warnings by evidence grade, the pain trend
/// and what changed since this physiotherapist last looked; sortable by each column.
///
/// A runner's row is made once per store revision (`RenderCache`): with 100 runners of 200 runs
/// each, a request costs the visible ids, the account's last looks and the cached rows.
struct DashboardController: Sendable {
    let store: any SessionStore
    var cache = RenderCache()

    /// What the dashboard shows of one runner; the same for every physiotherapist.
    struct RunnerRow: Sendable {
        var runnerID: Int64
        var name: String
        var sessionCount: Int
        var latestSessionID: Int64?
        var latestStart: Date?
        /// Open warnings of the latest run by evidence grade, strongest first; observations apart.
        var warningsByGrade: [(grade: EvidenceGrade, count: Int)]
        var observationCount: Int
        var highestSeverity: FlagSeverity?
        /// Pain of the last runs that had a score, oldest first (at most 5).
        var recentPain: [Int]
        /// When each run arrived in the store, to count those since a physiotherapist's last look.
        var arrivals: [Date]
        var redFlagAlert: Bool

        /// The recent pain scores, "rising" or "falling" when the last three each rose or fell (the
        /// pain log's escalation rule, `PainRule`).
        var painTrend: String {
            guard !recentPain.isEmpty else { return "—" }
            let scores = recentPain.map(String.init).joined(separator: " → ")
            let last3 = Array(recentPain.suffix(3))
            guard last3.count == 3 else { return scores }
            if last3[0] < last3[1] && last3[1] < last3[2] { return scores + " (rising)" }
            if last3[0] > last3[1] && last3[1] > last3[2] { return scores + " (falling)" }
            return scores
        }

        var warningCount: Int { warningsByGrade.reduce(0) { $0 + $1.count } }

        /// The row's HTML up to the last cell ("since you last looked", which depends on who
        /// looks): made once with the row and cached with it, not per request.
        var cellsHTML = ""

        /// Makes `cellsHTML` from the other fields.
        mutating func renderCells() {
            let latest = latestSessionID.map { "<a href=\"/sessions/\($0)\">\(latestStart.map(UTCDate.minute) ?? "session \($0)")</a>" } ?? "—"
            var warnings = warningsByGrade.map { "\($0.count) \($0.grade.rawValue)" }
            if observationCount > 0 { warnings.append("\(observationCount) observation\(observationCount == 1 ? "" : "s")") }
            let alert = redFlagAlert ? "<strong class=\"alert\">See a doctor now (red flag)</strong> " : ""
            cellsHTML = "<tr><td><a href=\"/runners/\(runnerID)\">\(HTML.escape(name))</a> · <a href=\"/runners/\(runnerID)/report\">report</a></td>"
                + "<td>\(latest) (\(sessionCount) runs)</td><td>\(alert)\(warnings.isEmpty ? "none" : HTML.escape(warnings.joined(separator: ", ")))</td>"
                + "<td>\(HTML.escape(painTrend))</td>"
        }

        /// Orders rows for "most urgent first": a red flag, then the highest severity, then the
        /// strongest evidence, then the number of warnings.
        var urgency: [Int] {
            [redFlagAlert ? 1 : 0, highestSeverity.map { FlagSeverity.allCases.firstIndex(of: $0)! } ?? -1,
             warningsByGrade.first.map { EvidenceGrade.allCases.firstIndex(of: $0.grade)! } ?? -1, warningCount]
        }
    }

    /// The columns it sorts by (`?sort=`).
    enum Sort: String, CaseIterable {
        case name, latest, warnings, pain, new
    }

    func add(to router: Router<ServerRequestContext>) {
        router.get("/dashboard") { request, context in try await dashboard(request, context) }
    }

    func dashboard(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        guard let account = context.account else { return PageController.loginRedirect() }
        if account.role == .runner, let runner = account.runnerId {
            return Response(status: .seeOther, headers: [.location: "/runners/\(runner)"])
        }
        let sort = request.uri.queryParameters.get("sort").flatMap(Sort.init(rawValue:)) ?? .latest
        let (rows, lastLooks) = try await store.run { store -> ([RunnerRow], [Int64: Date]) in
            let ids = try store.visibleRunnerIDs(accountID: account.id!).sorted()
            let revisions = try store.runnerRevisions(ids)
            let rows = try ids.compactMap { id in try Self.cachedRow(runnerID: id, store: store, cache: cache, revision: revisions[id] ?? 0) }
            return (rows, try store.lastViews(accountID: account.id!))
        }
        func newRuns(_ row: RunnerRow) -> Int {
            guard let last = lastLooks[row.runnerID] else { return row.sessionCount }
            return row.arrivals.filter { $0 > last }.count
        }
        let sorted: [RunnerRow]
        switch sort {
        case .name: sorted = rows.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
        case .latest: sorted = rows.sorted { ($0.latestStart ?? .distantPast) > ($1.latestStart ?? .distantPast) }
        case .warnings: sorted = rows.sorted { $1.urgency.lexicographicallyPrecedes($0.urgency) }
        case .pain: sorted = rows.sorted { ($0.recentPain.last ?? -1) > ($1.recentPain.last ?? -1) }
        case .new: sorted = rows.sorted { newRuns($0) > newRuns($1) }
        }
        let header = [(Sort.name, "Runner"), (.latest, "Latest run"), (.warnings, "Open warnings of the latest run"), (.pain, "Pain (recent runs)"),
                      (.new, "Since you last looked")].map { column, title in
            column == sort ? "<th>\(title) ▾</th>" : "<th><a href=\"/dashboard?sort=\(column.rawValue)\">\(title)</a></th>"
        }.joined()
        let body = sorted.map { row -> String in
            let new = newRuns(row)
            let since = lastLooks[row.runnerID] == nil ? "not looked at yet" : (new == 0 ? "nothing new" : "\(new) new run\(new == 1 ? "" : "s")")
            return row.cellsHTML + "<td>\(since)</td></tr>"
        }
        let table = body.isEmpty ? "<p>No runner has granted you access yet. A runner grants it from their Access page.</p>"
            : "<table class=\"dashboard\"><tr>\(header)</tr>\(body.joined(separator: "\n"))</table>"
        return HTML.page(title: "Runners", account: account, csrf: context.loginSession?.csrfToken, body:
            "<h1>Runners</h1><p>Warnings are counted by the strength of the evidence that links them to back pain "
            + "(strong, moderate, weak); observations have none. Click a column to sort by it.</p>" + table)
    }

    /// The row of one runner, from the store (nil when the runner is gone).
    /// Runner `runnerID`'s row at that runner's `revision` (nil: no such runner), from `cache` or
    /// made now; the one way the dashboard and `ReportWarmer` make it.
    static func cachedRow(runnerID: Int64, store: any SessionStore, cache: RenderCache, revision: Int64) throws -> RunnerRow? {
        try cache.value("dashboard-runner-\(runnerID)", revision: revision, cost: { ($0?.arrivals.count ?? 0) * 16 + ($0?.cellsHTML.utf8.count ?? 0) + 512 }) {
            try row(runnerID: runnerID, store: store)
        }
    }

    static func row(runnerID: Int64, store: any SessionStore) throws -> RunnerRow? {
        guard let runner = try store.runner(id: runnerID) else { return nil }
        let history = try store.history(runnerID: runnerID)
        let latest = history.last(where: { $0.startedAt != nil }) ?? history.last
        let latestID = latest.flatMap { SessionID($0.sessionKey) }
        let flags = try latestID.map { try store.storedFlags(sessionID: $0) } ?? []
        let warnings = flags.filter { $0.kind == .warning }
        let byGrade = EvidenceGrade.allCases.reversed().compactMap { grade -> (grade: EvidenceGrade, count: Int)? in
            let count = warnings.filter { $0.evidenceGrade == grade }.count
            return count > 0 ? (grade, count) : nil
        }
        var row = RunnerRow(
            runnerID: runnerID, name: runner.name, sessionCount: history.count, latestSessionID: latestID, latestStart: latest?.startedAt,
            warningsByGrade: byGrade, observationCount: flags.filter { $0.kind == .observation }.count,
            highestSeverity: warnings.map(\.severity).max(), recentPain: Array(history.compactMap(\.painScore).suffix(5)),
            arrivals: try store.arrivals(runnerID: runnerID),
            redFlagAlert: try store.redFlagAlert(runnerID: runnerID) != nil)
        row.renderCells()
        return row
    }
}
