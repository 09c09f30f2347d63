import GaitDSP

/// No warm-up seen, as an **observation**: a run that starts at full intensity — no walk before it
/// and no easier first minutes. A warm-up, cool-down and stretching programme did not reduce
/// running injuries in a trial of 421 runners (van Mechelen et al. 1993), so this is shown, not
/// warned about; a warm-up done before the recording started is invisible to the clip.
enum WarmUpRule {
    /// Walking before the run that counts as a warm-up, seconds.
    static let warmUpWalkS = 180.0
    /// Easier running minutes at the start that count as a warm-up.
    static let easyStartMinutes = 2
    /// Runs shorter than this are not judged, minutes of running.
    static let minimumRunningMinutes = 10

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        let phases = input.phases
        guard input.isRun, phases.running.count >= minimumRunningMinutes else { return [] }
        let walked = phases.walkingBeforeRunS
        let easy = phases.easyStartBinCount
        guard walked < warmUpWalkS, easy < easyStartMinutes else { return [] }
        let first = phases.running.prefix(2)
        let main = phases.running.dropFirst(2).prefix(10)
        let firstCadence = RobustStatistics.median(first.compactMap(\.cadenceSpm)) ?? 0
        let mainCadence = RobustStatistics.median(main.compactMap(\.cadenceSpm)) ?? 0
        let firstImpact = RobustStatistics.median(first.compactMap(\.impactPeakG)) ?? 0
        let mainImpact = RobustStatistics.median(main.compactMap(\.impactPeakG)) ?? 0
        return [GaitFlag(
            id: "no_warm_up", topic: .noWarmUp, severity: .low, confidence: 0.6,
            title: "No warm-up seen: the run started at full intensity",
            explanation: String(format: "The first minutes of running were as intense as the rest (cadence %.0f against %.0f steps/min, impact %.2f against %.2f g), with %.0f min of walking before. Warming up has not been shown to prevent running injuries (van Mechelen et al. 1993); many runners simply feel better with a gradual start. If you warmed up before starting the recording, ignore this.", firstCadence, mainCadence, firstImpact, mainImpact, walked / 60),
            reference: FlagReference(kind: .earlyRun, description: "the minutes after the start of this run"),
            evidence: [
                FlagEvidence(measure: "walking_before_run_s", value: walked, unit: "s", threshold: warmUpWalkS, comparison: "below", crossed: true),
                FlagEvidence(measure: "easy_start_minutes", value: Double(easy), unit: "min", threshold: Double(easyStartMinutes), comparison: "below", crossed: true),
                FlagEvidence(measure: "cadence_spm.first_2_min", value: firstCadence, unit: "steps/min", reference: mainCadence, comparison: "info", crossed: false),
                FlagEvidence(measure: "impact_peak_g.first_2_min", value: firstImpact, unit: "g", reference: mainImpact, comparison: "info", crossed: false),
            ],
            advice: [
                "If you like a gradual start, jog very easily for the first 5–10 minutes.",
            ])]
    }
}
