import GaitDSP

/// Pain link: which session measurement moves with the runner's pain log across sessions, as a
/// hypothesis for the physiotherapist, held to what one runner's log can show:
/// - partial Spearman correlation, controlling for the session's place in time and its running
///   time (a measure and pain that both drift over weeks, or both grow with run length, are not
///   linked by that);
/// - permutation p-values corrected for the number of measures tested (Benjamini–Hochberg, false
///   discovery rate 5 %);
/// - it must recur: the same direction, with |ρ| ≥ `recurRho` (plain Spearman), in the earlier and
///   the later half of the sessions;
/// - ρ is shown with its 95 % interval (Fisher z, Fieller et al. 1957).
/// The thresholds are design choices, tested in the scenario suite (a steadily lengthening series
/// with rising pain must not raise a link).
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
        Measure(key: "braking_peak_g", words: "braking", unit: "g") { $0.median(.brakingPeakG) },
        Measure(key: "ground_contact_time_s", words: "ground contact time", unit: "s") { $0.median(.groundContactTimeS) },
        Measure(key: "pelvic_rotation_deg", words: "pelvic rotation", unit: "deg") { $0.median(.pelvicRotationDeg) },
        Measure(key: "step_time_s.abs_symmetry_index_pct", words: "step-time asymmetry", unit: "%") { $0.symmetryIndexPct[GaitMetric.stepTimeS.rawValue].map(abs) },
    ]
    /// Sessions with a pain score needed, with at least this many painful (score ≥ 3) and less painful (< 3) among them.
    static let minimumSessions = 10, minimumEachGroup = 2
    /// |partial ρ| a link needs, the false discovery rate, the |ρ| each half needs, and |ρ| for moderate.
    static let minimumRho = 0.5, falseDiscoveryRate = 0.05, recurRho = 0.2, strongRho = 0.7

    struct Candidate {
        let measure: Measure
        let rho: Double
        let p: Double
        let sessions: [SessionFacts]
        let values: [Double]
    }

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        let sessions = (input.earlier + [input.facts]).filter { $0.painScore != nil }
        guard sessions.count >= minimumSessions,
              sessions.filter({ $0.painScore! >= 3 }).count >= minimumEachGroup,
              sessions.filter({ $0.painScore! < 3 }).count >= minimumEachGroup else { return [] }
        var candidates: [Candidate] = []
        for measure in measures {
            let paired = sessions.filter { measure.read($0) != nil }
            guard paired.count >= minimumSessions else { continue }
            let values = paired.map { measure.read($0)! }
            let pain = paired.map { Double($0.painScore!) }
            let controls = covariates(paired)
            guard let rho = RobustStatistics.partialSpearman(values, pain, controlling: controls),
                  let p = RobustStatistics.partialSpearmanPermutationP(values, pain, controlling: controls) else { continue }
            candidates.append(Candidate(measure: measure, rho: rho, p: p, sessions: paired, values: values))
        }
        let discoveries = RobustStatistics.benjaminiHochberg(candidates.map(\.p), q: falseDiscoveryRate)
        let links = candidates.indices.filter { discoveries[$0] && abs(candidates[$0].rho) >= minimumRho && recurs(candidates[$0]) }
        guard let bestIndex = links.max(by: { abs(candidates[$0].rho) < abs(candidates[$1].rho) }) else { return [] }
        let best = candidates[bestIndex]
        let pain = best.sessions.map { Double($0.painScore!) }
        let painful = zip(best.values, pain).filter { $0.1 >= 3 }.map(\.0), painFree = zip(best.values, pain).filter { $0.1 < 3 }.map(\.0)
        let painfulMedian = RobustStatistics.median(painful) ?? 0, painFreeMedian = RobustStatistics.median(painFree) ?? 0
        let interval = RobustStatistics.spearmanInterval(rho: best.rho, n: best.sessions.count, controls: covariates(best.sessions).count)
        let direction = best.rho > 0 ? "higher" : "lower"
        return [GaitFlag(
            id: "pain_link." + best.measure.key, topic: .painLink,
            severity: abs(best.rho) >= strongRho && best.sessions.count >= 12 ? .moderate : .low,
            confidence: min(1, abs(best.rho) * (1 - best.p)),
            title: "Painful runs go with \(direction) \(best.measure.words)",
            explanation: String(format: "Across %d sessions with a pain score, %@ %@ went with more pain (partial Spearman ρ = %+.2f, 95 %% interval %+.2f to %+.2f, allowing for the date and length of each run; permutation p = %.3f, significant after correcting for the %d measures tested), in the earlier and in the later sessions alike. Median %.3g %@ in painful runs (pain ≥ 3) against %.3g in the others. This is a pattern in your own log to discuss with a physiotherapist, not a cause.", best.sessions.count, direction, best.measure.words, best.rho, interval?.low ?? -1, interval?.high ?? 1, best.p, candidates.count, painfulMedian, best.measure.unit, painFreeMedian),
            reference: FlagReference(kind: .painLog, description: "your pain log across \(best.sessions.count) sessions", sessionCount: best.sessions.count),
            evidence: [
                FlagEvidence(measure: best.measure.key + ".partial_spearman_rho", value: best.rho, unit: "rho", threshold: minimumRho, comparison: "beyond", crossed: true),
                FlagEvidence(measure: best.measure.key + ".rho_ci95_low", value: interval?.low ?? -1, unit: "rho", comparison: "info", crossed: false),
                FlagEvidence(measure: best.measure.key + ".rho_ci95_high", value: interval?.high ?? 1, unit: "rho", comparison: "info", crossed: false),
                FlagEvidence(measure: best.measure.key + ".permutation_p", value: best.p, unit: "p", comparison: "info", crossed: false),
                FlagEvidence(measure: best.measure.key + ".painful_median", value: painfulMedian, unit: best.measure.unit, reference: painFreeMedian, comparison: "info", crossed: false),
                FlagEvidence(measure: "measures_tested", value: Double(candidates.count), unit: "count", comparison: "info", crossed: false),
            ],
            trend: zip(best.values, pain).map { FlagTrendPoint(x: $0.0, value: $0.1) },
            advice: [
                "Show this to your physiotherapist: it suggests where to look, it does not prove a cause.",
                "Keep logging pain after each run; the pattern gets clearer (or disappears) with more sessions.",
            ])]
    }

    /// The session's place in time (its order) and its running time (left out when every session
    /// is as long, which a regression cannot use).
    static func covariates(_ sessions: [SessionFacts]) -> [[Double]] {
        let lengths = sessions.map(\.runningTimeS)
        return [sessions.indices.map(Double.init)] + (Set(lengths).count > 1 ? [lengths] : [])
    }

    /// Whether the link holds, in the same direction, in the earlier and the later half.
    static func recurs(_ c: Candidate) -> Bool {
        let half = c.sessions.count / 2
        for range in [0..<half, half..<c.sessions.count] {
            let part = Array(c.sessions[range])
            let values = Array(c.values[range]), pain = part.map { Double($0.painScore!) }
            // Plain Spearman within a half: eight sessions cannot carry two covariates as well.
            guard let rho = RobustStatistics.spearman(values, pain), rho * c.rho > 0, abs(rho) >= recurRho else { return false }
        }
        return true
    }
}
