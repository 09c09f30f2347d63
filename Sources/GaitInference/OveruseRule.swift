import Foundation
import GaitDSP

/// Overuse: training load rising faster than the body adapts, from the runner's dated sessions.
/// Load is running time (the clip cannot measure distance; the studies used distance, so running
/// time is a proxy and the flag says so). Evidence is weak and about running injuries in general,
/// not back pain (shared/DOMAIN.md): at most moderate.
///
/// - The main rule is the **single-run spike**: a run more than 10 % longer than the longest of
///   the last 30 days (Frandsen et al. 2025, Br J Sports Med: HRR 1.64). It needs 30 days of
///   history and at least `minimumRunsIn30Days` runs in them, so a short history never flags.
/// - A **weekly increase** above 30 % (Nielsen et al. 2014, JOSPT: HR 1.59, 0.96–2.66) is low.
///   It compares the last 7 days with the median of the 7-day windows that end at each session of
///   the three weeks before (design choice: windows on fixed days give a runner who runs every
///   third day 2 and 3 runs in alternate weeks, which a week-on-week comparison calls a 50 % jump;
///   windows that end at a session always hold three) and needs 21 days of history.
/// - The **acute:chronic ratio** is information only, with at least 28 days of history and the
///   acute week excluded from the chronic weeks (uncoupled; Lolli et al. 2019, Impellizzeri et al.
///   2020): the ratio is not a validated risk line in runners (Nakaoka et al. 2021).
enum OveruseRule {
    /// A run this much longer than the longest of the last 30 days is a spike (Frandsen et al. 2025).
    static let spike = 0.10
    /// Runs needed in the 30 days before for the spike rule (design choice: a longest run needs a few runs to be "usual").
    static let minimumRunsIn30Days = 4
    /// Week increase that counts (Nielsen et al. 2014), fraction.
    static let weeklyIncrease = 0.30
    /// A reference week below this is too small to compare, seconds of running (design choice).
    static let minimumReferenceWeekS = 3600.0

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard let now = input.context.startedAt, input.facts.runningTimeS > 0 else { return [] }
        let day = 86_400.0
        let dated = input.earlier.filter { $0.startedAt != nil && $0.runningTimeS > 0 }
        guard let firstStart = dated.compactMap(\.startedAt).min() else { return [] }
        let historyDays = now.timeIntervalSince(firstStart) / day
        func age(_ f: SessionFacts) -> Double { now.timeIntervalSince(f.startedAt!) / day }
        func load(from: Double, to: Double) -> Double {
            (dated + [input.facts]).filter { f in
                let a = f.sessionKey == input.facts.sessionKey ? 0 : age(f)
                return a >= from && a < to
            }.map(\.runningTimeS).reduce(0, +)
        }
        var evidence: [FlagEvidence] = []
        var severity: FlagSeverity?
        var spikeText: String?, weeklyText: String?

        // The single-run spike.
        let last30 = dated.filter { age($0) > 0 && age($0) <= 30 }
        if historyDays >= 30, last30.count >= minimumRunsIn30Days, let longest = last30.map(\.runningTimeS).max() {
            let limit = longest * (1 + spike)
            let crossed = input.facts.runningTimeS > limit
            evidence.append(FlagEvidence(measure: "running_time_min", value: input.facts.runningTimeS / 60, unit: "min",
                                         reference: longest / 60, threshold: limit / 60, comparison: "above", crossed: crossed))
            if crossed {
                severity = .moderate
                spikeText = String(format: "This run (%.0f min) was %.0f %% longer than your longest of the last 30 days (%.0f min).",
                                   input.facts.runningTimeS / 60, (input.facts.runningTimeS / longest - 1) * 100, longest / 60)
            }
        }

        // The weekly increase: the last 7 days against the runner's usual 7 days, each window
        // ending at a session (so a run every third day always holds three runs).
        let acute = load(from: 0, to: 7)
        let usualWeeks = dated.map(age).filter { $0 >= 7 && $0 <= 21 }.map { load(from: $0, to: $0 + 7) }
        if historyDays >= 21, usualWeeks.count >= 2, let reference = RobustStatistics.median(usualWeeks), reference >= minimumReferenceWeekS {
            let increase = acute / reference - 1
            let crossed = increase > weeklyIncrease
            evidence.append(FlagEvidence(measure: "weekly_increase_pct", value: increase * 100, unit: "%", reference: reference / 60,
                                         threshold: weeklyIncrease * 100, comparison: "above", crossed: crossed))
            if crossed {
                severity = max(severity ?? .low, .low)
                weeklyText = String(format: "Your running time over the last 7 days (%.0f min) is %.0f %% above your usual 7 days of the three weeks before (%.0f min).",
                                    acute / 60, increase * 100, reference / 60)
            }
        }

        // The acute:chronic ratio, uncoupled, as information.
        if historyDays >= 28 {
            let chronicWeekly = load(from: 7, to: 35) / 4
            if chronicWeekly > 0 {
                evidence.append(FlagEvidence(measure: "acute_chronic_ratio_uncoupled", value: acute / chronicWeekly, unit: "ratio",
                                             reference: 1, comparison: "info", crossed: false))
            }
        }
        guard let severity else { return [] }
        return [GaitFlag(
            id: "overuse", topic: .overuse, severity: severity, confidence: min(1, 0.5 + Double(last30.count) / 24),
            title: spikeText != nil ? "A run much longer than your recent longest" : "Training time rising fast",
            explanation: [spikeText, weeklyText].compactMap { $0 }.joined(separator: " ")
                + " Such jumps go with more running injuries in general (Frandsen et al. 2025; Nielsen et al. 2014); back pain was not studied, and running time stands in for the distance the studies used.",
            reference: FlagReference(kind: .trainingHistory, description: "your running time over the previous 30 days (single-run spike, Frandsen et al. 2025; weekly increase, Nielsen et al. 2014)",
                                     sessionCount: last30.count),
            evidence: evidence,
            advice: [
                "Let your longest run grow by less than 10 % at a time.",
                "Keep weekly increases modest and plan an easier week every three to four weeks.",
            ])]
    }
}
