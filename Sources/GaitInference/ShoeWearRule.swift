import Foundation
import GaitDSP

/// Shoe wear, as an **observation**: per shoe, the impact of recent runs at comparable cadence (a
/// stand-in for matched speed until a watch file gives speed) rising against the shoe's first runs
/// by more than the measure's error (between-session MDC ≈ 19 %, `MeasurementError`). After 200
/// miles stance time rose but peak force and loading rate did not (Kong et al. 2009), and shoe age
/// has not been linked to back pain: it is shown, not warned about. The distance in the shoe is
/// information ("replace at 500–800 km" is convention, not evidence).
public enum ShoeWearRule {
    /// The shoe's first comparable runs that make its reference.
    public static let firstRunCount = 5
    /// Recent comparable runs whose median is compared (this one included), so one odd run does not flag.
    public static let recentRunCount = 3
    /// Runs count as comparable when their cadence is within this fraction of the first runs' (impact rises with slower, longer steps).
    public static let comparableCadence = 0.04
    /// Impact rise over the first runs that counts, fraction: the kinetic MDC (Miqueleiz et al. 2025).
    public static var impactRise: Double { MeasurementError.floor(GaitMetric.impactPeakG.rawValue).relative }
    /// Distance after which replacement is commonly advised, km (low end of 500–800 km), and the top end.
    public static let replaceFromKm = 500.0, replaceByKm = 800.0

    /// The impact rise of a shoe's runs against its first runs.
    struct Wear {
        let firstImpactG: Double, recentImpactG: Double
        let firstLoadingRate: Double?, recentLoadingRate: Double?
        let firstCadence: Double
        let comparableRuns: [SessionFacts]
        var impactRise: Double { recentImpactG / firstImpactG - 1 }
        var loadingRise: Double? {
            guard let f = firstLoadingRate, let r = recentLoadingRate, f > 0 else { return nil }
            return r / f - 1
        }
    }

    /// The wear of the shoe over `runs` (its runs in start order, the current one last), or nil
    /// when the shoe has too few comparable runs or the current run is not comparable.
    static func wear(runs: [SessionFacts]) -> Wear? {
        let usable = runs.filter { $0.isComparableRun && $0.cadenceSpm != nil && $0.reliableMedian(.impactPeakG) != nil }
        guard usable.count > firstRunCount, let current = usable.last, current.sessionKey == runs.last?.sessionKey else { return nil }
        let first = Array(usable.prefix(firstRunCount))
        guard let cadence = RobustStatistics.median(first.compactMap(\.cadenceSpm)),
              let firstImpact = RobustStatistics.median(first.compactMap { $0.median(.impactPeakG) }) else { return nil }
        // At a similar speed when the watch gives it (both runs), else at a comparable cadence.
        let firstSpeed = RobustStatistics.median(first.compactMap(\.speedMPS))
        func comparable(_ f: SessionFacts) -> Bool {
            if let v = f.speedMPS, let reference = firstSpeed, reference > 0 {
                return abs(v / reference - 1) <= MatchedBaseline.speedTolerance && (f.absGradePct ?? 0) <= MatchedBaseline.levelGradePct
            }
            return abs(f.cadenceSpm! / cadence - 1) <= comparableCadence
        }
        guard comparable(current) else { return nil }
        let later = usable.dropFirst(firstRunCount).filter(comparable)
        let recent = Array(later.suffix(recentRunCount))
        guard let recentImpact = RobustStatistics.median(recent.compactMap { $0.median(.impactPeakG) }) else { return nil }
        return Wear(firstImpactG: firstImpact, recentImpactG: recentImpact,
                    firstLoadingRate: RobustStatistics.median(first.compactMap { $0.median(.loadingRateGPerS) }),
                    recentLoadingRate: RobustStatistics.median(recent.compactMap { $0.median(.loadingRateGPerS) }),
                    firstCadence: cadence, comparableRuns: first + later)
    }

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard let shoe = input.context.shoe, input.isRun else { return [] }
        let runs = input.earlier.filter { $0.shoeKey == shoe.key } + [input.facts]
        let distance = shoe.declaredDistanceKm + runs.compactMap(\.distanceKm).reduce(0, +)
        guard let wear = wear(runs: runs), wear.impactRise >= impactRise else { return [] }
        var evidence = [
            FlagEvidence(measure: "impact_peak_g.recent_median", value: wear.recentImpactG, unit: "g",
                         reference: wear.firstImpactG, threshold: wear.firstImpactG * (1 + impactRise), comparison: "above", crossed: true),
            FlagEvidence(measure: "impact_peak_g.rise_pct", value: wear.impactRise * 100, unit: "%",
                         threshold: impactRise * 100, comparison: "above", crossed: true),
            FlagEvidence(measure: "cadence_spm.first_runs", value: wear.firstCadence, unit: "steps/min", comparison: "info", crossed: false),
            FlagEvidence(measure: "shoe_distance_km", value: distance, unit: "km", comparison: "info", crossed: false),
        ]
        if let l = wear.loadingRise {
            evidence.append(FlagEvidence(measure: "loading_rate_g_per_s.rise_pct", value: l * 100, unit: "%", comparison: "info", crossed: false))
        }
        let trend = wear.comparableRuns.enumerated().compactMap { i, f in
            f.median(.impactPeakG).map { FlagTrendPoint(x: Double(i + 1), value: $0) }
        }
        return [GaitFlag(
            id: "shoe_wear." + shoe.key, topic: .shoeWear, severity: .low,
            confidence: min(1, 0.6 + 0.2 * Double(wear.comparableRuns.count) / 10),
            title: "\(shoe.name): impact rising as the shoe ages",
            explanation: String(format: "At a comparable cadence, your impact in %@ is %.0f %% higher than in its first %d runs (%.2f g against %.2f g), beyond the %.0f %% this measure varies by; the shoe has %.0f km recorded. Shoe age has not been linked to back pain; this is an observation.", shoe.name, wear.impactRise * 100, firstRunCount, wear.recentImpactG, wear.firstImpactG, impactRise * 100, distance),
            reference: FlagReference(kind: .shoeFirstRuns, description: "the first \(firstRunCount) runs in this shoe at comparable cadence",
                                     sessionCount: firstRunCount),
            evidence: evidence, trend: trend,
            advice: [
                "If the shoe feels flat, try a new pair and see whether the impact comes back down.",
            ])]
    }
}
