import GaitDSP

/// Overstriding: a step rate below the runner's own normal together with its braking signature
/// (harder braking than their normal). Lower cadence goes with back pain only weakly (runners with
/// LBP 166 vs 171 steps/min, cross-sectional; Drozda et al. 2024), and raising step rate 5–10 %
/// at the same speed cuts braking and hip/knee loading (Heiderscheit et al. 2011): a warning, at
/// most moderate.
///
/// There is no sourced population line for cadence or braking (cadence depends on speed and leg
/// length; Garmin's cadence zones rank runners, they are not risk lines), so the rule needs the
/// runner's trusted baseline, and both changes must exceed their measurement error (cadence
/// MDC ≈ 6 %, braking ≈ 19 %, `MeasurementError`). Without a watch the comparison is not matched
/// for speed (a slower run also has a lower cadence): the flag says so and its confidence is lower.
/// Loading rate is not a valid loading surrogate from a sacral accelerometer (Kiernan et al.
/// 2023), so it is not a sign.
enum OverstridingRule {

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard input.isRun, input.baseline.isTrusted, let cadence = input.comparableCadence,
              let braking = input.comparableMedian(.brakingPeakG),
              let cadenceNorm = input.baseline.cadence, let brakingNorm = input.baseline.norm(.brakingPeakG) else { return [] }
        let cadenceMDC = MeasurementError.mdc(SessionFacts.cadenceKey, reference: cadenceNorm.median, norm: cadenceNorm)
        let brakingMDC = MeasurementError.mdc(GaitMetric.brakingPeakG.rawValue, reference: brakingNorm.median, norm: brakingNorm)
        let cadenceLimit = cadenceNorm.median - cadenceMDC, brakingLimit = brakingNorm.median + brakingMDC
        guard cadence < cadenceLimit, braking > brakingLimit else { return [] }
        let margin = min(1, (cadenceLimit - cadence) / cadenceMDC)
        let target = (cadence * 1.05).rounded(), targetHigh = (cadence * 1.10).rounded()
        return [GaitFlag(
            id: "overstriding", topic: .overstriding, severity: .moderate,
            confidence: input.dataConfidence * (0.7 + 0.3 * margin) * input.matchConfidence,
            title: "Lower cadence with harder braking than your usual",
            explanation: String(format: "Your cadence was %.0f steps/min against your usual %.0f, and your braking %.2f g against %.2f g: both beyond what they vary by between your runs. Long, slow steps that land ahead of the hips brake every step; a slightly lower cadence has been seen in runners with back pain (Drozda et al. 2024, one cross-sectional study).%@", cadence, cadenceNorm.median, braking, brakingNorm.median,
                                 input.matched ? " Compared with your runs at a similar speed." : " Not matched for speed: a slower run also has a lower cadence."),
            reference: input.baselineReference,
            evidence: [
                FlagEvidence(measure: "cadence_spm", value: cadence, unit: "steps/min", reference: cadenceNorm.median,
                             threshold: cadenceLimit, comparison: "below", crossed: true),
                FlagEvidence(measure: GaitMetric.brakingPeakG.rawValue, value: braking, unit: "g", reference: brakingNorm.median,
                             threshold: brakingLimit, comparison: "above", crossed: true),
            ],
            advice: [
                String(format: "Try a 5–10 %% higher cadence (about %.0f–%.0f steps/min) at the same pace; a metronome or music at that tempo helps.", target, targetHigh),
                "Take shorter steps and land with your feet under your hips, not ahead of you.",
            ])]
    }
}
