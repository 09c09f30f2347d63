import Foundation

/// The session report's numbers as CSV and JSON.
extension SessionReport {
    /// The CSV header: one table holding the summary, the left/right table, every time bin and the
    /// flags' evidence, told apart by the `table` column.
    public static let csvHeader = [
        "table", "measure", "unit", "start_s", "mid_s", "step_count", "left", "right", "value", "reference", "threshold",
        "symmetry_index_pct", "symmetry_angle_pct", "si_threshold_pct", "worse_side", "flagged",
    ]

    /// The report as one CSV table (header `csvHeader`). Rows by `table`:
    /// - `summary`: `measure` is duration_s, running_time_s, walking_time_s, step_count, cadence_spm
    ///   or confident_side_share, with its `value`;
    /// - `left_right`: one per metric, in the metric's unit: `left`, `right` (medians), `value` (median
    ///   of all steps), `symmetry_index_pct`, `symmetry_angle_pct`, `si_threshold_pct`, `worse_side`,
    ///   `flagged` (true/false), `step_count`;
    /// - `bin`: per time bin (`start_s`, `mid_s`, `step_count`) and measure: cadence_spm,
    ///   impact_peak_g (with `left`, `right` and the bin's `symmetry_index_pct`), loading_rate_g_per_s,
    ///   ground_contact_time_s, braking_peak_g, pelvis_tilt_deg, step_time_s (its `symmetry_index_pct` only);
    /// - `evidence`: `measure` is "<flag id>/<evidence measure>", with `value`, `reference`, `threshold`, `unit`
    ///   and `flagged` = whether the measurement crossed its threshold.
    public func csv() -> String {
        var table = ReportCSV(header: Self.csvHeader)
        func summary(_ measure: String, _ unit: String, _ value: String) { table.row(["summary", measure, unit, "", "", "", "", "", value]) }
        summary("duration_s", "s", ReportCSV.number(durationS))
        summary("running_time_s", "s", ReportCSV.number(runningTimeS))
        summary("walking_time_s", "s", ReportCSV.number(walkingTimeS))
        summary("step_count", "steps", String(stepCount))
        summary("cadence_spm", "steps/min", ReportCSV.number(cadenceSpm))
        summary("confident_side_share", "fraction", ReportCSV.number(confidentSideShare))
        for row in leftRight {
            table.row(["left_right", row.metric.rawValue, row.unit, "", "", String(row.count), ReportCSV.number(row.leftMedian),
                       ReportCSV.number(row.rightMedian), ReportCSV.number(row.median), "", "", ReportCSV.number(row.symmetryIndexPct),
                       ReportCSV.number(row.symmetryAnglePct), ReportCSV.number(row.thresholdPct), row.worseSide?.rawValue ?? "",
                       String(row.flagged)])
        }
        for bin in bins {
            let start = ReportCSV.number(bin.startS), mid = ReportCSV.number(bin.midS), count = String(bin.stepCount)
            func series(_ measure: String, _ unit: String, value: Double?, left: Double? = nil, right: Double? = nil, si: Double? = nil) {
                table.row(["bin", measure, unit, start, mid, count, ReportCSV.number(left), ReportCSV.number(right), ReportCSV.number(value),
                           "", "", ReportCSV.number(si)])
            }
            series("cadence_spm", "steps/min", value: bin.cadenceSpm)
            series("impact_peak_g", "g", value: bin.impactPeakG, left: bin.leftImpactPeakG, right: bin.rightImpactPeakG, si: bin.impactSymmetryIndexPct)
            series("loading_rate_g_per_s", "g/s", value: bin.loadingRateGPerS)
            series("ground_contact_time_s", "s", value: bin.groundContactTimeS)
            series("braking_peak_g", "g", value: bin.brakingPeakG)
            series("pelvis_tilt_deg", "deg", value: bin.pelvisTiltDeg)
            series("step_time_s", "s", value: nil, si: bin.stepTimeSymmetryIndexPct)
        }
        for flag in flags {
            for e in flag.evidence {
                table.row(["evidence", flag.id + "/" + e.measure, e.unit, "", "", "", "", "", ReportCSV.number(e.value),
                           ReportCSV.number(e.reference), ReportCSV.number(e.threshold), "", "", "", flag.side ?? "", String(e.crossed)])
            }
        }
        return table.text
    }

    /// The report as JSON (schema `backstride.session-report/1`): every stored number of the
    /// report with snake_case keys, dates in ISO 8601, keys sorted.
    public func json(prettyPrinted: Bool = true) throws -> String {
        String(decoding: try ReportJSON.encoder(prettyPrinted: prettyPrinted).encode(self), as: UTF8.self)
    }

    /// Reads a report written by `json()`.
    public static func decode(json: Data) throws -> SessionReport {
        try ReportJSON.decoder().decode(SessionReport.self, from: json)
    }
}
