import Foundation
import GaitDSP
import GaitInference

/// The runner report's numbers as CSV and JSON.
extension RunnerReport {
    /// The metrics with a median column in the CSV.
    static let csvMedians: [String] = [
        SessionFacts.cadenceKey, GaitMetric.impactPeakG.rawValue, GaitMetric.loadingRateGPerS.rawValue, GaitMetric.brakingPeakG.rawValue,
        GaitMetric.groundContactTimeS.rawValue, GaitMetric.pelvisTiltDeg.rawValue,
    ]
    /// The metrics with a symmetry index column in the CSV.
    static let csvSymmetries: [GaitMetric] = [.stepTimeS, .groundContactTimeS, .impactPeakG, .loadingRateGPerS, .brakingPeakG]

    /// The CSV header: one row per session.
    public static var csvHeader: [String] {
        ["session", "started_at", "x", "shoe", "running_time_s", "walking_time_s", "step_count"]
            + csvMedians + csvSymmetries.map { $0.rawValue + ".symmetry_index_pct" } + ["pain_score", "flags"]
    }

    /// The report as one CSV table, one row per session in start order (header `csvHeader`):
    /// the session medians and symmetry indices (%) exactly as stored, the highest pain score,
    /// and the flags as "id:severity" separated by ";". `x` is the position on the report's time
    /// axis (days since the first session, or the session's position when undated).
    public func csv() -> String {
        var table = ReportCSV(header: Self.csvHeader)
        let iso = ISO8601DateFormatter()
        for row in sessions {
            var cells = [row.sessionKey, row.startedAt.map { iso.string(from: $0) } ?? "", ReportCSV.number(row.x), row.shoeName ?? "",
                         ReportCSV.number(row.runningTimeS), ReportCSV.number(row.walkingTimeS), String(row.stepCount)]
            cells += Self.csvMedians.map { ReportCSV.number(row.medians[$0]) }
            cells += Self.csvSymmetries.map { ReportCSV.number(row.symmetryIndexPct[$0.rawValue]) }
            cells.append(row.painScore.map(String.init) ?? "")
            cells.append(row.flags.map { "\($0.id):\($0.severity.rawValue)" }.joined(separator: ";"))
            table.row(cells)
        }
        return table.text
    }

    /// The report as JSON (schema `backstride.runner-report/1`): snake_case keys, ISO 8601 dates, keys sorted.
    public func json(prettyPrinted: Bool = true) throws -> String {
        String(decoding: try ReportJSON.encoder(prettyPrinted: prettyPrinted).encode(self), as: UTF8.self)
    }

    /// Reads a report written by `json()`.
    public static func decode(json: Data) throws -> RunnerReport {
        try ReportJSON.decoder().decode(RunnerReport.self, from: json)
    }
}
