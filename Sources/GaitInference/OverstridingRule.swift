import GaitDSP

/// Overstriding: a low step rate together with its mechanical signature — hard braking, long
/// ground contact or a steep loading rate. Low cadence alone is not flagged (it depends on pace
/// and leg length, which the clip does not know); the signature is what loads the back.
///
/// Sources: Heiderscheit et al. 2011 (raising step rate 5–10 % reduces braking, vertical
/// excursion and hip/knee loading); ground contact typically 200–300 ms (Garmin Running
/// Dynamics); sacral braking peaks typically 0.5–1.0 g (project observation, GaitSynth defaults).
enum OverstridingRule {
    /// Below this cadence running is called low when no baseline exists, steps/min (project
    /// threshold: the bottom of the 150–190 running range plus the 5–10 % Heiderscheit raise).
    static let lowCadenceSpm = 160.0
    /// Cadence this far below the runner's own normal counts as low, fraction.
    static let baselineCadenceDrop = 0.05
    /// Braking peak above this is hard braking without a baseline, g.
    static let hardBrakingG = 1.0
    /// Ground contact above this is long, s (top of the typical 200–300 ms).
    static let longContactS = 0.30
    /// Rises over the runner's normal that count: braking and contact time 10 %, loading rate 15 %.
    static let baselineBrakingRise = 0.10, baselineContactRise = 0.10, baselineLoadingRise = 0.15

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard input.isRun, let cadence = input.facts.cadenceSpm,
              let braking = input.facts.median(.brakingPeakG) else { return [] }
        let contact = input.facts.median(.groundContactTimeS)
        let loading = input.facts.reliableMedian(.loadingRateGPerS)
        let base = input.baseline.isTrusted ? input.baseline : nil
        var evidence: [FlagEvidence] = []

        // Cadence: against the runner's normal when trusted, and always against the population line.
        var cadenceLimit = lowCadenceSpm
        var cadenceReference: Double? = nil
        if let norm = base?.cadence {
            cadenceLimit = max(lowCadenceSpm, min(norm.median * (1 - baselineCadenceDrop), norm.median - 3 * norm.spread))
            cadenceReference = norm.median
        }
        let lowCadence = cadence < cadenceLimit
        evidence.append(FlagEvidence(measure: "cadence_spm", value: cadence, unit: "steps/min", reference: cadenceReference,
                                     threshold: cadenceLimit, comparison: "below", crossed: lowCadence))

        func rise(_ metric: GaitMetric, value: Double?, population: Double?, relative: Double, unit: String) -> Bool {
            guard let value else { return false }
            var limit = population ?? .infinity
            var reference: Double? = nil
            if let norm = base?.norm(metric) {
                limit = min(limit, max(norm.median * (1 + relative), norm.median + 3 * norm.spread))
                reference = norm.median
            }
            guard limit.isFinite else { return false }
            let crossed = value > limit
            evidence.append(FlagEvidence(measure: metric.rawValue, value: value, unit: unit, reference: reference,
                                         threshold: limit, comparison: "above", crossed: crossed))
            return crossed
        }
        let signs = [
            rise(.brakingPeakG, value: braking, population: hardBrakingG, relative: baselineBrakingRise, unit: "g"),
            rise(.groundContactTimeS, value: contact, population: longContactS, relative: baselineContactRise, unit: "s"),
            rise(.loadingRateGPerS, value: loading, population: nil, relative: baselineLoadingRise, unit: "g/s"),
        ].filter { $0 }.count
        guard lowCadence, signs >= 1 else { return [] }

        let severity: FlagSeverity = signs >= 2 && cadence < cadenceLimit * 0.97 ? .high : .moderate
        let margin = min(1, (cadenceLimit - cadence) / (0.05 * cadenceLimit))
        let target = (cadence * 1.05).rounded(), targetHigh = (cadence * 1.10).rounded()
        return [GaitFlag(
            id: "overstriding", kind: .overstriding, severity: severity,
            confidence: input.dataConfidence * (0.6 + 0.2 * margin + 0.1 * Double(signs)),
            title: "Signs of overstriding: low cadence with \(signs >= 2 ? "hard braking and long contact" : "a heavy landing pattern")",
            explanation: String(format: "Your cadence was %.0f steps/min, below %.0f, and %d of the landing measures (braking, ground contact, loading rate) were above their limits. Long, slow steps land ahead of the hips and brake every step, which loads the lower back.", cadence, cadenceLimit, signs),
            reference: base != nil ? input.baselineReference
                : RuleInput.population("population thresholds: cadence 160 steps/min, braking 1.0 g, ground contact 300 ms (Heiderscheit et al. 2011; Garmin Running Dynamics)"),
            evidence: evidence,
            advice: [
                String(format: "Raise your cadence by 5–10 %% (to about %.0f–%.0f steps/min) at the same pace; a metronome or music at that tempo helps.", target, targetHigh),
                "Take shorter steps and land with your feet under your hips, not ahead of you.",
            ])]
    }
}
