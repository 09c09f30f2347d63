import GaitDSP

/// Pain link: which session measurement moves with the runner's pain log across sessions, as a
/// hypothesis for the physiotherapist — Spearman rank correlation with a permutation p-value,
/// the strongest measure shown with how many were tested (several tests inflate chance findings).
enum PainLinkRule {
    /// A session measure tested against pain.
    struct Measure {
        let key: String
        let words: String
        let unit: String
        let read: @Sendable (SessionFacts) -> Double?
    }

    static let measures: [Measure] = [
        Measure(key: "cadence_spm", words: "cadence", unit: "steps/min") { $0.cadenceSpm },
        Measure(key: "impact_peak_g", words: "impact", unit: "g") { $0.reliableMedian(.impactPeakG) },
        Measure(key: "loading_rate_g_per_s", words: "loading rate", unit: "g/s") { $0.reliableMedian(.loadingRateGPerS) },
        Measure(key: "braking_peak_g", words: "braking", unit: "g") { $0.median(.brakingPeakG) },
        Measure(key: "ground_contact_time_s", words: "ground contact time", unit: "s") { $0.median(.groundContactTimeS) },
        Measure(key: "pelvis_tilt_deg", words: "pelvis tilt", unit: "deg") { $0.median(.pelvisTiltDeg) },
        Measure(key: "step_time_s.abs_symmetry_index_pct", words: "step-time asymmetry", unit: "%") { $0.symmetryIndexPct[GaitMetric.stepTimeS.rawValue].map(abs) },
        Measure(key: "impact_peak_g.abs_symmetry_index_pct", words: "impact asymmetry", unit: "%") { $0.measuresImpact ? $0.symmetryIndexPct[GaitMetric.impactPeakG.rawValue].map(abs) : nil },
        Measure(key: "running_time_s", words: "running time", unit: "min") { $0.runningTimeS > 0 ? $0.runningTimeS / 60 : nil },
    ]
    /// Sessions with a pain score needed, with at least this many painful (score ≥ 3) and less painful (< 3) among them.
    static let minimumSessions = 8, minimumEachGroup = 2
    /// |ρ| and p-value a link needs; |ρ| for moderate severity.
    static let minimumRho = 0.5, maximumP = 0.01, strongRho = 0.7

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        let sessions = (input.earlier + [input.facts]).filter { $0.painScore != nil }
        guard sessions.count >= minimumSessions,
              sessions.filter({ $0.painScore! >= 3 }).count >= minimumEachGroup,
              sessions.filter({ $0.painScore! < 3 }).count >= minimumEachGroup else { return [] }
        var best: (measure: Measure, rho: Double, p: Double, pairs: [(Double, Double)])?
        for measure in measures {
            let pairs = sessions.compactMap { f in measure.read(f).map { ($0, Double(f.painScore!)) } }
            guard pairs.count >= minimumSessions,
                  let rho = RobustStatistics.spearman(pairs.map(\.0), pairs.map(\.1)), abs(rho) >= minimumRho,
                  let p = RobustStatistics.spearmanPermutationP(pairs.map(\.0), pairs.map(\.1)), p <= maximumP else { continue }
            if best == nil || abs(rho) > abs(best!.rho) { best = (measure, rho, p, pairs) }
        }
        guard let best else { return [] }
        let painful = best.pairs.filter { $0.1 >= 3 }.map(\.0), painFree = best.pairs.filter { $0.1 < 3 }.map(\.0)
        let painfulMedian = RobustStatistics.median(painful) ?? 0, painFreeMedian = RobustStatistics.median(painFree) ?? 0
        let direction = best.rho > 0 ? "higher" : "lower"
        return [GaitFlag(
            id: "pain_link." + best.measure.key, kind: .painLink,
            severity: abs(best.rho) >= strongRho && best.pairs.count >= 10 ? .moderate : .low,
            confidence: min(1, abs(best.rho) * (1 - best.p)),
            title: "Painful runs go with \(direction) \(best.measure.words)",
            explanation: String(format: "Across %d sessions with a pain score, %@ %@ went with more pain (Spearman ρ = %+.2f, permutation p = %.3f; %d measures tested). Median %.2f %@ in painful runs (pain ≥ 3) against %.2f in the others. This is a pattern to discuss with a physiotherapist, not a cause.", best.pairs.count, direction, best.measure.words, best.rho, best.p, measures.count, painfulMedian, best.measure.unit, painFreeMedian),
            reference: FlagReference(kind: .painLog, description: "your pain log across \(best.pairs.count) sessions", sessionCount: best.pairs.count),
            evidence: [
                FlagEvidence(measure: best.measure.key + ".spearman_rho", value: best.rho, unit: "rho", threshold: minimumRho, comparison: "beyond", crossed: true),
                FlagEvidence(measure: best.measure.key + ".permutation_p", value: best.p, unit: "p", threshold: maximumP, comparison: "below", crossed: true),
                FlagEvidence(measure: best.measure.key + ".painful_median", value: painfulMedian, unit: best.measure.unit, reference: painFreeMedian, comparison: "info", crossed: false),
                FlagEvidence(measure: "measures_tested", value: Double(measures.count), unit: "count", comparison: "info", crossed: false),
            ],
            trend: best.pairs.map { FlagTrendPoint(x: $0.0, value: $0.1) },
            advice: [
                "Show this to your physiotherapist: it suggests where to look, it does not prove a cause.",
                "Keep logging pain after each run; the pattern gets clearer (or disappears) with more sessions.",
            ],
            seeProfessional: true)]
    }
}
