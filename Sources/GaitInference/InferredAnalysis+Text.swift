import GaitDSP

extension InferredAnalysis {
    /// The readable summary: the analysis, then the flags with their evidence and advice.
    public func textSummary() -> String {
        var lines = [analysis.textSummary(), ""]
        let reference = inference.baselineTrusted
            ? "compared with your baseline of \(inference.baselineSessionCount) runs"
            : (inference.historySessionCount > 0
                ? "population thresholds (a personal baseline needs \(RunnerBaseline.minimumSessions) runs; \(inference.baselineSessionCount) so far)"
                : "population thresholds and this run alone (no history given)")
        if flags.isEmpty {
            lines.append("Flags: none (\(reference))")
        } else {
            lines.append("Flags (\(flags.count), \(reference))")
            for flag in flags { lines.append(contentsOf: flag.textLines().map { "  " + $0 }) }
        }
        for note in inference.notes { lines.append("  note: " + note) }
        lines.append("")
        lines.append("Not measured by the clip: hydration, sleep, medication, hamstring and hip-flexor length as such; ask about them.")
        return lines.joined(separator: "\n")
    }
}

extension GaitFlag {
    /// The flag as indented text lines: headline, explanation, crossed evidence, advice.
    public func textLines() -> [String] {
        var lines = ["[\(kind.rawValue), \(severity.rawValue)] \(title)  (\(id), confidence \(Int((confidence * 100).rounded())) %)"]
        lines.append("    " + explanation)
        lines.append("    compared with: " + reference.description)
        lines.append("    evidence for back pain: \(evidenceGrade.rawValue)" + (citations.isEmpty ? "" : " (" + citations.joined(separator: "; ") + ")"))
        for e in evidence where e.comparison != "info" {
            var text = "    \(e.crossed ? "•" : "·") \(e.measure) = \(Self.number(e.value)) \(e.unit)"
            if let r = e.reference { text += ", reference \(Self.number(r))" }
            if let t = e.threshold { text += ", limit \(e.comparison) \(Self.number(t))" }
            lines.append(text)
        }
        for a in advice { lines.append("    → " + a) }
        return lines
    }

    static func number(_ v: Double) -> String {
        abs(v) >= 100 ? String(format: "%.0f", v) : (abs(v) >= 10 ? String(format: "%.1f", v) : String(format: "%.3g", v))
    }
}
