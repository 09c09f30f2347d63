import GaitDSP

/// Left/right asymmetry, as an **observation**: no raised injury risk was found with asymmetry in
/// 836 runners (Malisoux et al. 2024), so it is shown with its numbers, never as a risk.
///
/// - Against the runner's own normal once trusted: a symmetry index (Robinson et al. 1987) that
///   departs from their usual by more than its measurement error (2.77 × their between-session
///   spread, this session's 95 % interval half-width, and at least `minimumChangePoints`).
/// - Without a baseline, only timing, and only beyond the poorest zone of Garmin's contact-time
///   balance (> 52.2 % on one side, SI ≈ 8.8 %): contact time, and step time on the same line.
///   Healthy runners' force asymmetry (impact 10 %, loading rate 17 % SI, Girard et al. 2019) is as
///   large as any population line would be, so impact, loading rate and braking are compared with
///   the runner's own normal only.
/// - A sudden change that comes with a change of how the clip sits (a different resting
///   orientation) is the clip, not the runner: see `clipMoved`.
enum AsymmetryRule {
    /// A measure followed for asymmetry and, for timing, its population line on |SI|, %.
    struct Measure {
        let metric: GaitMetric
        let populationPct: Double?
        let words: String
    }

    /// Garmin's red zone of contact-time balance: beyond 52.2 % on one side, SI = 2 × 2.2 / 50 ≈ 8.8 %.
    static let garminRedZoneSIPct = 8.8
    static let measures = [
        Measure(metric: .stepTimeS, populationPct: garminRedZoneSIPct, words: "step time"),
        Measure(metric: .groundContactTimeS, populationPct: garminRedZoneSIPct, words: "ground contact time"),
        Measure(metric: .impactPeakG, populationPct: nil, words: "impact"),
        Measure(metric: .loadingRateGPerS, populationPct: nil, words: "loading rate"),
        Measure(metric: .brakingPeakG, populationPct: nil, words: "braking"),
    ]
    /// Share of steps with a confident side needed to compare sides.
    static let minimumConfidentSideShare: Float = 0.6
    /// The smallest change of SI against the runner's usual that counts, points (design choice:
    /// half the Garmin line, so a timing change within the healthy range never counts).
    static let minimumChangePoints = 4.4

    /// How far the clip's resting orientation must turn from the runner's usual to count as moved,
    /// degrees (design choice: well beyond the few degrees a clip wobbles between runs).
    static let clipMovedDeg = 15.0

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard let share = input.analysis.summary.confidentSideShare, input.analysis.summary.stepCount >= 100 else { return [] }
        let followed = input.facts.measuresImpact ? measures : measures.filter { !ImpactMeasurement.metrics.contains($0.metric) }
        let flags = followed.compactMap { flag(for: $0, input: input, sideShare: Double(share)) }
        // A change against the runner's own normal that comes with the clip sitting differently is
        // the clip, not the runner (Kiernan et al. 2024).
        let departures = flags.filter { $0.reference.kind == .runnerBaseline }
        guard !departures.isEmpty, let moved = clipTurnDeg(input), moved >= clipMovedDeg else { return flags }
        let kept = flags.filter { $0.reference.kind != .runnerBaseline }
        return kept + [GaitFlag(
            id: "clip_moved", topic: .clipMoved, severity: .low, confidence: input.dataConfidence,
            title: "The clip sat differently from your usual",
            explanation: String(format: "The clip's resting orientation was turned %.0f° from how it usually sits, and your left/right %@ changed at the same time. Moving the clip changes these measures (Kiernan et al. 2024), so the change is taken as the clip's, not yours.", moved,
                                departures.map { $0.id.replacingOccurrences(of: "asymmetry.", with: "").replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")),
            reference: input.baselineReference,
            evidence: [FlagEvidence(measure: "clip_orientation_change_deg", value: moved, unit: "deg", threshold: clipMovedDeg,
                                    comparison: "above", crossed: true)],
            advice: ["Wear the clip in the same place and the same way up each time, centred over your spine."])]
    }

    /// The angle between how the clip sat in this run and its median seating in the baseline's runs.
    static func clipTurnDeg(_ input: RuleInput) -> Double? {
        let usual = input.earlier.filter(\.isComparableRun).suffix(RunnerBaseline.maximumSessions).compactMap(\.mountUpAxis)
        guard usual.count >= RunnerBaseline.minimumSessions,
              let x = RobustStatistics.median(usual.map { $0[0] }), let y = RobustStatistics.median(usual.map { $0[1] }),
              let z = RobustStatistics.median(usual.map { $0[2] }) else { return nil }
        let length = (x * x + y * y + z * z).squareRoot()
        guard length > 0.5 else { return nil }
        return input.facts.mountAngleDeg(to: [x / length, y / length, z / length])
    }

    static func flag(for measure: Measure, input: RuleInput, sideShare: Double) -> GaitFlag? {
        guard let statistics = input.statistics(measure.metric), let siFloat = statistics.symmetryIndexPct,
              let left = statistics.leftMedian, let right = statistics.rightMedian
        else { return nil }
        let si = Double(siFloat)
        // Sides known: the DSP names the worse side when the difference is real. Sides not known
        // (no gyroscope to take the pelvis's roll out of a running step's side, or weak evidence):
        // the sides still alternate, so how much they differ is measured, but not which is which;
        // the difference must then be clear of its own 95 % interval.
        let sidesKnown = sideShare >= Double(minimumConfidentSideShare)
        let worse = statistics.worseSide
        if sidesKnown, worse == nil { return nil }
        if !sidesKnown {
            guard let interval = statistics.symmetryIndexCI95Pct, interval.count == 2,
                  interval[0] > 0 || interval[1] < 0 else { return nil }
        }
        let limit: Double, excess: Double
        var referenceValue: Double? = nil
        let reference: FlagReference
        if input.baseline.isTrusted, let norm = input.baseline.symmetryIndexPct[measure.metric.rawValue],
           norm.count >= RunnerBaseline.minimumSessions {
            // Beyond the runner's between-session variation and this session's own interval.
            let halfWidth = statistics.symmetryIndexCI95Pct.flatMap { $0.count == 2 ? Double($0[1] - $0[0]) / 2 : nil } ?? 0
            limit = max(minimumChangePoints, MeasurementError.mdcPerSD * norm.spread, halfWidth)
            excess = abs(si - norm.median)
            referenceValue = norm.median
            reference = input.baselineReference
        } else if let population = measure.populationPct {
            limit = population
            excess = abs(si)
            reference = RuleInput.population(String(format: "Garmin's poorest contact-time balance zone (beyond 52.2 %% on one side, |SI| ≥ %.1f %%)", population))
        } else {
            return nil
        }
        guard excess >= limit else { return nil }
        let unit = unit(of: measure.metric)
        let evidence = [
            FlagEvidence(measure: measure.metric.rawValue + ".symmetry_index_pct", value: si, unit: "%", reference: referenceValue,
                         threshold: limit, comparison: "beyond", crossed: true),
            FlagEvidence(measure: measure.metric.rawValue + ".left_median", value: Double(left), unit: unit, comparison: "info", crossed: false),
            FlagEvidence(measure: measure.metric.rawValue + ".right_median", value: Double(right), unit: unit, comparison: "info", crossed: false),
            FlagEvidence(measure: "confident_side_share", value: sideShare, unit: "fraction", comparison: "info", crossed: false),
        ]
        let capitalised = measure.words.prefix(1).uppercased() + measure.words.dropFirst()
        let title: String, comparison: String
        if let worse {
            let side = worse.rawValue, other = worse == .left ? "right" : "left"
            title = "\(capitalised) differs between sides: the \(side) side is higher"
            comparison = String(format: "Your %@ was %.1f %% higher on the %@ side than on the %@", measure.words, abs(si), side, other)
        } else {
            title = "\(capitalised) differs between sides"
            comparison = String(format: "Your %@ was %.1f %% higher on one side than on the other; which side could not be told with confidence from this recording", measure.words, abs(si))
        }
        return GaitFlag(
            id: "asymmetry." + measure.metric.rawValue, topic: .asymmetry, severity: .low,
            confidence: input.dataConfidence * (sidesKnown ? sideShare : 0.6) * min(1, 0.6 + 0.4 * (excess / limit - 1)),
            title: title,
            explanation: (referenceValue.map {
                String(format: "%@ (symmetry index %+.1f %%); your usual is %+.1f %%, a change of more than the %.1f points this measure varies by between your runs.", comparison, si, $0, limit)
            } ?? String(format: "%@ (symmetry index %+.1f %%, beyond Garmin's poorest balance zone of %.1f %%).", comparison, si, limit))
                + " Asymmetry has not been linked to injury in runners (Malisoux et al. 2024), and a clip worn off-centre makes the sides look different; this is an observation, not a risk.",
            reference: reference, evidence: evidence, side: worse?.rawValue,
            advice: [
                "Wear the clip centred over your spine; a clip off to one side makes the sides differ.",
            ])
    }

    static func unit(of metric: GaitMetric) -> String {
        switch metric {
        case .stepTimeS, .groundContactTimeS: "s"
        case .impactPeakG, .brakingPeakG: "g"
        case .peakVerticalForceBW: "BW"
        case .loadingRateGPerS: "g/s"
        case .brakingVelocityLossMPS: "m/s"
        case .verticalOscillationCm: "cm"
        case .pelvisTiltDeg, .pelvicRotationDeg, .pelvicObliquityDeg: "deg"
        }
    }
}

extension GaitMetric {
    /// The population line on |symmetry index|, %, beyond which asymmetry is shown for this metric
    /// while the runner has no trusted baseline (Garmin's red zone, timing only); nil for metrics
    /// compared with the runner's own normal only.
    public var populationAsymmetryThresholdPct: Double? {
        AsymmetryRule.measures.first { $0.metric == self }?.populationPct
    }
}
