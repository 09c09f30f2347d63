import GaitDSP

/// Posture: forward tilt of the pelvis that grows as the run goes on (a long run making a
/// forward lean or anterior tilt worse), or that sits well beyond the runner's own standing-
/// calibrated normal. Growth matters more than the absolute angle (shared/DOMAIN.md), and angles
/// measured against the first gait window only carry their change, so the absolute checks run
/// only when the session has a standing calibration.
enum PostureRule {
    /// Growth of forward tilt from the early run to its last fifth that counts, deg (project
    /// threshold, not from the literature: well above the minute-to-minute wander of the measured
    /// tilt in steady synthetic running, below the growth a runner can see in a mirror).
    static let growthDeg = 3.0
    /// Growth that counts as high, deg.
    static let highGrowthDeg = 6.0
    /// Tilt beyond the runner's standing-calibrated normal that counts, deg.
    static let baselineExcessDeg = 3.0
    /// Tilt against standing that is large without a baseline, deg (project threshold).
    static let largeTiltDeg = 20.0

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard input.isRun else { return [] }
        var evidence: [FlagEvidence] = []
        var severity: FlagSeverity?
        var reference = RuleInput.population("the early part of this run, and a standing calibration when there is one")
        var trend: [FlagTrendPoint] = []
        var onset: Double?

        // Growth within the run.
        let running = input.phases.running
        let early = input.phases.early
        if running.count >= 10, early.count >= 3 {
            let earlyTilt = RobustStatistics.median(running[early].compactMap(\.pelvisTiltDeg))
            let lateCount = max(3, running.count / 5)
            let lateTilt = RobustStatistics.median(running.suffix(lateCount).compactMap(\.pelvisTiltDeg))
            if let e = earlyTilt, let l = lateTilt {
                let growth = l - e
                let crossed = growth >= growthDeg
                evidence.append(FlagEvidence(measure: "pelvis_tilt_deg.growth_in_run", value: growth, unit: "deg",
                                             reference: e, threshold: growthDeg, comparison: "above", crossed: crossed))
                if crossed {
                    severity = growth >= highGrowthDeg ? .high : .moderate
                    reference = FlagReference(kind: .earlyRun, description: "your own tilt in the early part of this run (minutes after the warm-up)")
                    trend = running.compactMap { b in b.pelvisTiltDeg.map { FlagTrendPoint(x: b.midS, value: $0) } }
                    onset = LateRunRule.onset(of: .pelvisTilt, in: input)?.startS
                }
            }
        }

        // Absolute tilt against a standing calibration.
        if input.analysis.summary.postureReference == "standing", let tilt = input.facts.median(.pelvisTiltDeg) {
            if let norm = input.baseline.standingTiltDeg, norm.count >= RunnerBaseline.minimumSessions {
                let limit = norm.median + max(baselineExcessDeg, 3 * norm.spread)
                let crossed = tilt > limit
                evidence.append(FlagEvidence(measure: "pelvis_tilt_deg", value: tilt, unit: "deg", reference: norm.median,
                                             threshold: limit, comparison: "above", crossed: crossed))
                if crossed {
                    severity = max(severity ?? .moderate, .moderate)
                    if trend.isEmpty { reference = input.baselineReference }
                }
            } else {
                let crossed = tilt > largeTiltDeg
                evidence.append(FlagEvidence(measure: "pelvis_tilt_deg", value: tilt, unit: "deg", reference: nil,
                                             threshold: largeTiltDeg, comparison: "above", crossed: crossed))
                if crossed { severity = max(severity ?? .low, .low) }
            }
        }
        guard let severity else { return [] }
        let growth = evidence.first { $0.measure == "pelvis_tilt_deg.growth_in_run" && $0.crossed }
        let explanation = growth.map {
            String(format: "Your pelvis tilted %.1f° further forward at the end of the run than early on. A forward lean or anterior pelvic tilt that grows with fatigue loads the lower back, usually when the core and hip flexors tire.", $0.value)
        } ?? "Your pelvis tilted further forward than your usual, measured against standing. A forward tilt arches the lower back and loads it."
        return [GaitFlag(
            id: "posture", kind: .posture, severity: severity, confidence: input.dataConfidence * (growth != nil ? 0.9 : 0.7),
            title: growth != nil ? "Forward tilt grows during the run" : "More forward tilt than usual",
            explanation: explanation, reference: reference, evidence: evidence, trend: trend, onsetS: onset,
            advice: [
                "Add core and hip-flexor work (planks, dead bugs, hip-flexor stretches) two or three times a week.",
                "Use a posture cue while running: run tall, hips under the shoulders.",
                "Keep runs shorter, up to where the tilt started to grow, until it holds.",
            ])]
    }
}
