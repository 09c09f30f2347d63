import Foundation

extension GaitAnalysis {
    /// The analysis as the JSON document of the `backstride.analysis/1` contract (snake_case keys,
    /// spelled out in each type's `CodingKeys`: a key strategy would convert every key of every step).
    public func jsonData(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        if !prettyPrinted, let data = try Self.compactJSON(of: self, steps: \.steps, encoder: encoder) { return data }
        return try encoder.encode(self)
    }

    /// Reads an analysis document written by `jsonData()`.
    public static func decode(json: Data) throws -> GaitAnalysis {
        try JSONDecoder().decode(GaitAnalysis.self, from: json)
    }

    /// The CSV header of `stepRows()`.
    public static let stepCSVHeader = "t_s,side,side_confidence,activity,step_time_s,cadence_spm,impact_peak_g,loading_rate_g_per_s,braking_peak_g,braking_velocity_loss_mps,ground_contact_time_s,vertical_oscillation_cm,pelvis_tilt_deg,pelvic_rotation_deg,pelvic_obliquity_deg"

    /// One CSV line per step (no header), empty fields where a value is absent; numbers with the
    /// decimals of `String(format: "%.Nf")` (`FixedDecimal`).
    public func stepRows() -> [String] {
        var line: [UInt8] = []
        line.reserveCapacity(160)
        func field(_ v: Float?, _ digits: Int) {
            line.append(UInt8(ascii: ","))
            if let v { FixedDecimal.append(Double(v), digits: digits, to: &line) }
        }
        func field(_ text: String?) {
            line.append(UInt8(ascii: ","))
            if let text { line.append(contentsOf: text.utf8) }
        }
        return steps.map { s in
            line.removeAll(keepingCapacity: true)
            FixedDecimal.append(s.initialContactS, digits: 4, to: &line)
            field(s.side?.rawValue); field(s.sideConfidence, 2); field(s.activity.rawValue)
            field(s.stepTimeS, 4); field(s.cadenceSpm, 1); field(s.impactPeakG, 3); field(s.loadingRateGPerS, 1); field(s.brakingPeakG, 3)
            field(s.brakingVelocityLossMPS, 3); field(s.groundContactTimeS, 3); field(s.verticalOscillationCm, 2); field(s.pelvisTiltDeg, 2)
            field(s.pelvicRotationDeg, 2); field(s.pelvicObliquityDeg, 2)
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// A readable summary for the terminal.
    public func textSummary() -> String {
        var out: [String] = []
        out.append("Backstride analysis of \(input.source) (\(input.format))")
        out.append(String(format: "  %d samples at %.1f Hz, %@, %d segment(s)%@", input.sampleCount, sampleRateHz,
                          Self.clockText(durationS), input.segmentCount, input.hasGyroscope ? ", with gyroscope" : ""))
        if let start = input.startUTCS {
            let formatter = ISO8601DateFormatter()
            out.append("  started \(formatter.string(from: Date(timeIntervalSince1970: start.rounded(.down)))) (as the file states)")
        }
        for w in input.warnings { out.append("  warning: \(w)") }
        out.append("")
        out.append("Activity")
        for b in bouts {
            var line = String(format: "  %@ – %@  %-8@", Self.clockText(b.startS), Self.clockText(b.endS), b.kind.rawValue)
            if b.kind.isGait {
                line += String(format: " %5d steps", b.stepCount)
                if let c = b.cadenceSpm { line += String(format: "  %5.1f steps/min", c) }
                if b.pausedS > 0 { line += String(format: "  (paused %.0f s)", b.pausedS) }
            }
            out.append(line)
        }
        guard let primary = summary.primaryActivity, let m = summary.metrics else {
            out.append("")
            out.append("No walking or running was found.")
            return out.joined(separator: "\n")
        }
        out.append("")
        out.append("\(primary.rawValue.capitalized): \(summary.stepCount) steps" +
                   (m.cadenceSpm.map { String(format: ", cadence %.1f steps/min", $0) } ?? ""))
        if let d1 = m.stepRegularity, let d2 = m.strideRegularity {
            out.append(String(format: "  regularity: step %.2f, stride %.2f, symmetry d1/d2 %.2f", d1, d2, m.autocorrelationSymmetry ?? 0))
        }
        if let share = summary.confidentSideShare {
            out.append(String(format: "  sides assigned with confidence for %.0f%% of steps", share * 100))
        }
        for note in summary.uncertainties ?? [] { out.append("  uncertain: \(note)") }
        out.append("")
        out.append("  metric                          median     spread     left    right      SI%  worse   drift%")
        let rows: [(GaitMetric, String, Float, Int)] = [
            (.stepTimeS, "step time (ms)", 1000, 0), (.groundContactTimeS, "ground contact (ms)", 1000, 0),
            (.impactPeakG, "impact peak (g)", 1, 2), (.peakVerticalForceBW, "peak force, est. (BW)", 1, 2),
            (.loadingRateGPerS, "loading rate (g/s)", 1, 0),
            (.brakingPeakG, "braking peak (g)", 1, 2), (.brakingVelocityLossMPS, "braking Δv (m/s)", 1, 3),
            (.verticalOscillationCm, "vertical oscillation (cm)", 1, 1), (.pelvisTiltDeg, "pelvis tilt (deg)", 1, 1),
            (.pelvicRotationDeg, "pelvic rotation (deg)", 1, 1), (.pelvicObliquityDeg, "pelvic obliquity (deg)", 1, 1),
        ]
        for (metric, label, scale, digits) in rows {
            guard let s = m.metrics[metric.rawValue] else { continue }
            func v(_ x: Float?) -> String { x.map { String(format: "%9.\(digits)f", $0 * scale) } ?? "        –" }
            func p(_ x: Float?) -> String { x.map { String(format: "%+8.1f", $0) } ?? "       –" }
            out.append("  " + label.padding(toLength: 28, withPad: " ", startingAt: 0) + v(s.median) + "  " + v(s.iqr) +
                       v(s.leftMedian) + v(s.rightMedian) + p(s.symmetryIndexPct) + "  " +
                       (s.worseSide?.rawValue ?? "–").padding(toLength: 6, withPad: " ", startingAt: 0) +
                       (metric.isRatioScale ? p(s.driftPct) : s.drift.map { String(format: "%+7.1f°", $0) } ?? "       –"))
        }
        if let reference = summary.postureReference {
            out.append("")
            out.append("  pelvis tilt is measured against " + (reference == "standing" ? "the standing posture before the first steps" : "the first gait windows (only its change is meaningful)"))
        }
        return out.joined(separator: "\n")
    }

    /// `h:mm:ss` for a time or duration in seconds (`-0:00:05` before the origin); `–` for a
    /// number that is not finite or beyond a million hours, which no session reaches (the readers
    /// refuse sessions longer than 7 days), so a damaged value never prints as a negative clock.
    public static func clockText(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 3.6e9 else { return "–" }
        let s = Int(abs(seconds).rounded(.down))
        return (seconds < 0 ? "-" : "") + String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }
}
