import GaitDSP

/// High impact: a run whose impact peaks are well above the runner's usual (a hard surface such
/// as concrete, downhill running) or, without a baseline, above the sacral range seen in running
/// (2–4 g, shared/DOMAIN.md). The loading rate, which tracks the high-frequency content of the
/// landing, is shown beside it.
enum HighImpactRule {
    /// Impact this far above the runner's usual counts, fraction; twice this is high.
    static let baselineRise = 0.15
    /// Impact median above this counts without a baseline, g (top of the typical 2–4 g).
    static let populationImpactG = 4.0
    /// Loading rate this far above the usual supports the finding, fraction.
    static let loadingRise = 0.15

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard input.isRun, let impact = input.facts.reliableMedian(.impactPeakG) else { return [] }
        let loading = input.facts.reliableMedian(.loadingRateGPerS)
        var evidence: [FlagEvidence] = []
        var severity: FlagSeverity?
        var reference = RuleInput.population("sacral impact peaks are typically 2–4 g in running (shared/DOMAIN.md)")
        if input.baseline.isTrusted, let norm = input.baseline.norm(.impactPeakG) {
            let limit = max(norm.median * (1 + baselineRise), norm.median + 3 * norm.spread)
            let crossed = impact > limit
            evidence.append(FlagEvidence(measure: "impact_peak_g", value: impact, unit: "g", reference: norm.median,
                                         threshold: limit, comparison: "above", crossed: crossed))
            if crossed {
                severity = impact > norm.median * (1 + 2 * baselineRise) ? .high : .moderate
                reference = input.baselineReference
            }
            if let loading, let lnorm = input.baseline.norm(.loadingRateGPerS) {
                let llimit = lnorm.median * (1 + loadingRise)
                evidence.append(FlagEvidence(measure: "loading_rate_g_per_s", value: loading, unit: "g/s", reference: lnorm.median,
                                             threshold: llimit, comparison: "above", crossed: loading > llimit))
            }
        } else {
            let crossed = impact > populationImpactG
            evidence.append(FlagEvidence(measure: "impact_peak_g", value: impact, unit: "g", threshold: populationImpactG,
                                         comparison: "above", crossed: crossed))
            if crossed { severity = .moderate }
        }
        guard let severity else { return [] }
        let supported = evidence.contains { $0.measure == "loading_rate_g_per_s" && $0.crossed }
        return [GaitFlag(
            id: "high_impact", kind: .highImpact, severity: severity,
            confidence: input.dataConfidence * (supported ? 0.9 : 0.7),
            title: "Impact higher than usual",
            explanation: String(format: "Your landings peaked at %.2f g, above the limit of %.2f g%@. Hard surfaces (concrete, asphalt), downhill running and worn shoes raise impact, which travels up to the lower back.", impact, evidence[0].threshold ?? 0, supported ? ", and the loading rate rose with it" : ""),
            reference: reference, evidence: evidence,
            advice: [
                "Run part of your week on softer surfaces: a rubber track, grass or trails.",
                "Check your shoes' distance; a cushioned pair lowers impact.",
                "A slightly higher cadence with shorter steps softens each landing.",
            ])]
    }
}
