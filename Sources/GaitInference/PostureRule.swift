import GaitDSP

/// Posture, as an **observation** of the clip's lean changing within a run: the forward tilt of
/// the clip late in the run against its early minutes. Nothing absolute: the sagittal angle of a
/// sacral IMU failed validity against motion capture (Ruiz-Malagón et al. 2023), and standing tilt
/// and lordosis do not differ with back pain (Laird et al. 2014); fatigue adds a few degrees of
/// trunk flexion in healthy runners (Koblbauer et al. 2014). So it is shown, not warned about.
enum PostureRule {
    /// Growth of forward lean from the early run to its last fifth that is shown, deg (design
    /// choice: well above the minute-to-minute wander of the measured lean in steady synthetic
    /// running; the within-run noise is also required to be exceeded three times over).
    static let growthDeg = 3.0

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard input.isRun else { return [] }
        let running = input.phases.running
        let early = input.phases.early
        guard running.count >= 10, early.count >= 3 else { return [] }
        let earlyValues = running[early].compactMap(\.pelvisTiltDeg)
        let lateCount = max(3, running.count / 5)
        guard let e = RobustStatistics.median(earlyValues),
              let l = RobustStatistics.median(running.suffix(lateCount).compactMap(\.pelvisTiltDeg)) else { return [] }
        let noise = 3 * (RobustStatistics.robustSD(earlyValues) ?? 0)
        let limit = max(growthDeg, noise)
        let growth = l - e
        guard growth >= limit else { return [] }
        let onset = LateRunRule.onset(of: .pelvisTilt, in: input)
        let clock = onset.map { LateRunRule.clock(max(0, $0.startS - (running.first?.startS ?? 0))) }
        return [GaitFlag(
            id: "posture", topic: .posture, severity: .low, confidence: input.dataConfidence * 0.8,
            title: "The clip leaned further forward as the run went on",
            explanation: String(format: "The clip leaned %.1f° further forward in the last part of the run than early on%@. A hip clip's angle is not a validated posture measure, and lean has not been linked to back pain; it shows how your running changed, nothing more.", growth, clock.map { ", from about \($0) of running" } ?? ""),
            reference: FlagReference(kind: .earlyRun, description: "the clip's own lean in the early part of this run (minutes after the warm-up)"),
            evidence: [FlagEvidence(measure: "pelvis_tilt_deg.growth_in_run", value: growth, unit: "deg", reference: e, threshold: limit,
                                    comparison: "above", crossed: true)],
            trend: running.compactMap { b in b.pelvisTiltDeg.map { FlagTrendPoint(x: b.midS, value: $0) } },
            onsetS: onset?.startS,
            advice: [])]
    }
}
