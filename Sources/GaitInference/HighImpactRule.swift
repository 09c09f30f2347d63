import GaitDSP

/// High impact: a run whose impact peaks are above the runner's usual by more than the measure's
/// error (between-session MDC ≈ 19 % for kinetic measures at the lumbar spine, Miqueleiz et al.
/// 2025, or 2.77 × the runner's own spread). Higher vertical loading goes with back pain only
/// weakly (Drozda et al. 2024, cross-sectional; van der Worp et al. 2016 for stress fractures): a
/// warning, at most moderate. There is no population line: sacral peaks of 2–4 g are the normal
/// range, not a risk threshold. Loading rate is shown beside it, not used (not a valid surrogate
/// from a sacral accelerometer, Kiernan et al. 2023). Without a watch the comparison is not
/// matched for speed or slope (downhill and faster running raise impact).
enum HighImpactRule {
    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard input.isRun, input.baseline.isTrusted, let impact = input.comparableMedian(.impactPeakG),
              let norm = input.baseline.norm(.impactPeakG) else { return [] }
        let mdc = MeasurementError.mdc(GaitMetric.impactPeakG.rawValue, reference: norm.median, norm: norm)
        let limit = norm.median + mdc
        guard impact > limit else { return [] }
        var evidence = [FlagEvidence(measure: "impact_peak_g", value: impact, unit: "g", reference: norm.median,
                                     threshold: limit, comparison: "above", crossed: true)]
        if let loading = input.facts.reliableMedian(.loadingRateGPerS), let lnorm = input.baseline.norm(.loadingRateGPerS) {
            evidence.append(FlagEvidence(measure: "loading_rate_g_per_s", value: loading, unit: "g/s", reference: lnorm.median,
                                         comparison: "info", crossed: false))
        }
        return [GaitFlag(
            id: "high_impact", topic: .highImpact, severity: .moderate,
            confidence: input.dataConfidence * input.matchConfidence,
            title: "Impact higher than your usual",
            explanation: String(format: "Your landings peaked at %.2f g against your usual %.2f g, %.0f %% more: beyond the %.0f %% this measure varies by between runs. Hard surfaces, downhill running and faster running raise impact; higher vertical loading has been seen in runners with back pain (Drozda et al. 2024, one cross-sectional study).%@", impact, norm.median, (impact / norm.median - 1) * 100, mdc / norm.median * 100,
                                 input.matched ? " Compared with your runs at a similar speed on near-level ground." : " Not matched for speed or slope."),
            reference: input.baselineReference,
            evidence: evidence,
            advice: [
                "If this was a hard or downhill route, nothing to change; if not, notice what differed (surface, pace, shoes).",
                "A slightly higher cadence with shorter steps softens each landing.",
            ])]
    }
}
