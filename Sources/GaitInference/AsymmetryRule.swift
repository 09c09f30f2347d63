import GaitDSP

/// Left/right asymmetry: a measure whose symmetry index (Robinson et al. 1987) is beyond normal
/// variation, with the side that is worse. Against the runner's own normal once trusted,
/// otherwise against population thresholds per measure: healthy running has a few % of timing
/// asymmetry and more in force measures (shared/DOMAIN.md); 10 % SI is the often-quoted line.
enum AsymmetryRule {
    /// A measure followed for asymmetry and its population threshold on |SI|, %.
    struct Measure {
        let metric: GaitMetric
        let thresholdPct: Double
        let words: String
    }

    /// Timing: step time 4 %, contact time 6 % (a contact-time balance of 51.5/48.5; Garmin puts
    /// beyond 52.2 % in its poorest zone); force: impact and braking 10 % (the quoted 10 % line),
    /// loading rate 15 % (noisier per step).
    static let measures = [
        Measure(metric: .stepTimeS, thresholdPct: 4, words: "step time"),
        Measure(metric: .groundContactTimeS, thresholdPct: 6, words: "ground contact time"),
        Measure(metric: .impactPeakG, thresholdPct: 10, words: "impact"),
        Measure(metric: .loadingRateGPerS, thresholdPct: 15, words: "loading rate"),
        Measure(metric: .brakingPeakG, thresholdPct: 10, words: "braking"),
    ]
    /// Share of steps with a confident side needed to compare sides.
    static let minimumConfidentSideShare: Float = 0.6

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard let share = input.analysis.summary.confidentSideShare, share >= minimumConfidentSideShare,
              input.analysis.summary.stepCount >= 100 else { return [] }
        let followed = input.facts.measuresImpact ? measures : measures.filter { !ImpactMeasurement.metrics.contains($0.metric) }
        return followed.compactMap { flag(for: $0, input: input, sideShare: Double(share)) }
    }

    static func flag(for measure: Measure, input: RuleInput, sideShare: Double) -> GaitFlag? {
        guard let statistics = input.statistics(measure.metric), let siFloat = statistics.symmetryIndexPct,
              let worse = statistics.worseSide, let left = statistics.leftMedian, let right = statistics.rightMedian
        else { return nil }
        let si = Double(siFloat)
        var limit = measure.thresholdPct
        var reference = RuleInput.population(String(format: "population threshold |SI| ≥ %.0f %% for %@ (Robinson et al. 1987 index)", measure.thresholdPct, measure.words))
        var referenceValue: Double? = nil
        var excess = abs(si)
        if input.baseline.isTrusted, let norm = input.baseline.symmetryIndexPct[measure.metric.rawValue],
           norm.count >= RunnerBaseline.minimumSessions {
            // The runner's usual asymmetry is their normal; flag a departure from it that is
            // larger than their session-to-session variation and still a real asymmetry.
            limit = max(measure.thresholdPct / 2, 3 * norm.spread)
            excess = abs(si - norm.median)
            referenceValue = norm.median
            reference = input.baselineReference
            guard abs(si) >= measure.thresholdPct / 2 else { return nil }
        }
        guard excess >= limit else { return nil }
        let severity: FlagSeverity = excess >= 2 * limit ? .high : .moderate
        let side = worse.rawValue
        let other = worse == .left ? "right" : "left"
        let unit = unit(of: measure.metric)
        let evidence = [
            FlagEvidence(measure: measure.metric.rawValue + ".symmetry_index_pct", value: si, unit: "%", reference: referenceValue,
                         threshold: limit, comparison: "beyond", crossed: true),
            FlagEvidence(measure: measure.metric.rawValue + ".left_median", value: Double(left), unit: unit, comparison: "info", crossed: false),
            FlagEvidence(measure: measure.metric.rawValue + ".right_median", value: Double(right), unit: unit, comparison: "info", crossed: false),
            FlagEvidence(measure: "confident_side_share", value: sideShare, unit: "fraction", comparison: "info", crossed: false),
        ]
        return GaitFlag(
            id: "asymmetry." + measure.metric.rawValue, kind: .asymmetry, severity: severity,
            confidence: input.dataConfidence * sideShare * min(1, 0.6 + 0.4 * (excess / limit - 1)),
            title: "\(measure.words.prefix(1).uppercased() + measure.words.dropFirst()) differs between sides: the \(side) side is higher",
            explanation: (referenceValue.map {
                String(format: "Your %@ was %.1f %% higher on the %@ side than on the %@ (symmetry index %+.1f %%); your usual is %+.1f %%, and a change of more than %.1f points is beyond your normal variation.", measure.words, abs(si), side, other, si, $0, limit)
            } ?? String(format: "Your %@ was %.1f %% higher on the %@ side than on the %@ (symmetry index %+.1f %%, beyond the %.1f %% that healthy runners usually stay within).", measure.words, abs(si), side, other, si, limit))
                + " One-sided tightness in the hip flexors or weakness of the glutes and core often shows this way; the clip cannot tell which.",
            reference: reference, evidence: evidence, side: side,
            advice: [
                "Stretch the tighter side more (hip flexors, calves), and check with a mirror or video which side it is.",
                "Add single-leg strength work for both sides: single-leg squats, bridges and step-ups.",
                "If the difference persists over several runs, have a physiotherapist review it.",
            ])
    }

    static func unit(of metric: GaitMetric) -> String {
        switch metric {
        case .stepTimeS, .groundContactTimeS: "s"
        case .impactPeakG, .brakingPeakG: "g"
        case .loadingRateGPerS: "g/s"
        case .brakingVelocityLossMPS: "m/s"
        case .verticalOscillationCm: "cm"
        case .pelvisTiltDeg, .pelvicRotationDeg, .pelvicObliquityDeg: "deg"
        }
    }
}

extension GaitMetric {
    /// The population threshold on |symmetry index|, %, beyond which the asymmetry flag is raised
    /// for this metric while the runner has no trusted baseline (the values of `AsymmetryRule`);
    /// nil for metrics the asymmetry flag does not follow.
    public var populationAsymmetryThresholdPct: Double? {
        AsymmetryRule.measures.first { $0.metric == self }?.thresholdPct
    }
}
