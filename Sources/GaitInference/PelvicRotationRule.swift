import GaitDSP

/// Pelvic rotation per stride (gyroscope), as information: the one pelvis measure reported to
/// differ in runners with back pain (Seay et al. 2011, Spine), on weak evidence. Shown when it
/// departs from the runner's own normal by more than its measurement error; never a warning.
enum PelvicRotationRule {
    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard input.isRun, input.baseline.isTrusted, let rotation = input.facts.median(.pelvicRotationDeg),
              let norm = input.baseline.norm(.pelvicRotationDeg), norm.count >= RunnerBaseline.minimumSessions else { return [] }
        let mdc = MeasurementError.mdc(GaitMetric.pelvicRotationDeg.rawValue, reference: norm.median, norm: norm)
        let change = rotation - norm.median
        guard abs(change) > mdc else { return [] }
        return [GaitFlag(
            id: "pelvic_rotation", topic: .pelvicRotation, severity: .low, confidence: input.dataConfidence,
            title: String(format: "Pelvic rotation %@ than your usual", change > 0 ? "larger" : "smaller"),
            explanation: String(format: "Your pelvis rotated %.1f° per stride against your usual %.1f° (a change beyond the %.1f° this measure varies by). More pelvic rotation has been reported in runners with back pain (Seay et al. 2011); one study, so this is information, not a warning.", rotation, norm.median, mdc),
            reference: input.baselineReference,
            evidence: [FlagEvidence(measure: GaitMetric.pelvicRotationDeg.rawValue, value: rotation, unit: "deg", reference: norm.median,
                                    threshold: norm.median + (change > 0 ? mdc : -mdc), comparison: change > 0 ? "above" : "below", crossed: true)],
            advice: [])]
    }
}
