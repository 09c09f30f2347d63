import Foundation
import GaitDSP

/// Overuse: training load rising faster than the body adapts, from the runner's sessions with a
/// start time. Load is running time (the clip cannot measure distance; when every session has a
/// distance, the same could be done in km).
///
/// Sources: acute:chronic workload ratio, last 7 days against the weekly average of the last 28
/// (Gabbett 2016), above about 1.5 a commonly cited danger zone — the evidence is debated, so it
/// is a caution; weekly increases above about 30 % were associated with more distance-related
/// injuries in novice runners (Nielsen et al. 2014).
enum OveruseRule {
    /// Acute:chronic ratio from which the flag is moderate, and high.
    static let cautionRatio = 1.5, highRatio = 2.0
    /// Week-on-week increase that counts (Nielsen et al. 2014), fraction.
    static let weeklyIncrease = 0.30
    /// Ratio that must go with a weekly increase for it to count (a small base week is no trend).
    static let weeklyIncreaseMinimumRatio = 1.3
    /// A previous week below this is too small to compare, seconds of running.
    static let minimumPreviousWeekS = 3600.0
    /// A run this much longer than the longest of the previous 4 weeks is a long-run jump.
    static let longRunJump = 0.25
    /// History needed before ratios are computed: the first session at least this long ago, days.
    static let minimumHistoryDays = 21.0

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard let now = input.context.startedAt, input.facts.runningTimeS > 0 else { return [] }
        let dated = input.earlier.filter { $0.startedAt != nil } + [input.facts]
        guard let firstStart = dated.compactMap(\.startedAt).min(),
              now.timeIntervalSince(firstStart) >= minimumHistoryDays * 86_400 else { return [] }
        let day = 86_400.0
        func load(from: Double, to: Double) -> Double {
            dated.filter { f in
                let age = now.timeIntervalSince(f.startedAt!)
                return age >= from * day && age < to * day
            }.map(\.runningTimeS).reduce(0, +)
        }
        let acute = load(from: 0, to: 7)
        let previousWeek = load(from: 7, to: 14)
        let chronicWeekly = load(from: 0, to: 28) / 4
        guard chronicWeekly > 0 else { return [] }
        let ratio = acute / chronicWeekly
        var evidence = [
            FlagEvidence(measure: "acute_chronic_ratio", value: ratio, unit: "ratio", reference: 1, threshold: cautionRatio,
                         comparison: "above", crossed: ratio >= cautionRatio),
            FlagEvidence(measure: "running_time_last_7_days_min", value: acute / 60, unit: "min", reference: chronicWeekly / 60,
                         comparison: "info", crossed: false),
        ]
        var severity: FlagSeverity? = ratio >= highRatio ? .high : (ratio >= cautionRatio ? .moderate : nil)
        if previousWeek >= minimumPreviousWeekS {
            let increase = acute / previousWeek - 1
            let crossed = increase > weeklyIncrease && ratio >= weeklyIncreaseMinimumRatio
            evidence.append(FlagEvidence(measure: "weekly_increase_pct", value: increase * 100, unit: "%", reference: previousWeek / 60,
                                         threshold: weeklyIncrease * 100, comparison: "above", crossed: crossed))
            if crossed { severity = max(severity ?? .low, .low) }
        }
        let previousRuns = dated.filter { f in
            let age = now.timeIntervalSince(f.startedAt!)
            return age > 0 && age < 28 * day && f.sessionKey != input.facts.sessionKey
        }
        if let longest = previousRuns.map(\.runningTimeS).max(), longest > 0 {
            let crossed = input.facts.runningTimeS > longest * (1 + longRunJump)
            evidence.append(FlagEvidence(measure: "running_time_min", value: input.facts.runningTimeS / 60, unit: "min",
                                         reference: longest / 60, threshold: longest * (1 + longRunJump) / 60,
                                         comparison: "above", crossed: crossed))
            if crossed { severity = max(severity ?? .low, .low) }
        }
        guard let severity else { return [] }
        let ratioText = String(format: "Your running time over the last 7 days (%.0f min) is %.1f× your weekly average of the last 4 weeks (%.0f min).", acute / 60, ratio, chronicWeekly / 60)
        return [GaitFlag(
            id: "overuse", kind: .overuse, severity: severity, confidence: min(1, 0.5 + Double(previousRuns.count) / 24),
            title: ratio >= cautionRatio ? "Training load rising fast" : "A jump in training",
            explanation: ratioText + " Load that rises faster than the body adapts is a common cause of running injuries, back pain included; the acute:chronic ratio is a caution, not a rule (Gabbett 2016).",
            reference: FlagReference(kind: .trainingHistory, description: "your running time over the previous 4 weeks (acute:chronic ratio, Gabbett 2016; weekly increase, Nielsen et al. 2014)",
                                     sessionCount: previousRuns.count),
            evidence: evidence,
            advice: [
                "Build up gradually: keep weekly increases to about 10–30 %, and the long run close to your usual.",
                "Plan rest days and an easier week every three to four weeks.",
            ])]
    }
}
