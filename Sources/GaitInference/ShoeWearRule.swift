import Foundation
import GaitDSP

/// Shoe wear: per shoe, the impact (and loading rate) of recent runs at comparable cadence rising
/// against the shoe's first runs, and the distance in it. Midsole shock absorption falls with
/// use; common guidance is to replace shoes after roughly 500–800 km (shared/DOMAIN.md).
public enum ShoeWearRule {
    /// The shoe's first comparable runs that make its reference.
    public static let firstRunCount = 5
    /// Recent comparable runs whose median is compared (this one included), so one odd run does not flag.
    public static let recentRunCount = 3
    /// Runs count as comparable when their cadence is within this fraction of the first runs' (impact rises with slower, longer steps).
    public static let comparableCadence = 0.04
    /// Impact rise over the first runs that counts, fraction; twice this is high.
    public static let impactRise = 0.10
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
        func comparable(_ f: SessionFacts) -> Bool { abs(f.cadenceSpm! / cadence - 1) <= comparableCadence }
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
        var evidence: [FlagEvidence] = []
        var severity: FlagSeverity?
        var trend: [FlagTrendPoint] = []
        let wear = wear(runs: runs)
        if let wear {
            let crossed = wear.impactRise >= impactRise
            evidence.append(FlagEvidence(measure: "impact_peak_g.recent_median", value: wear.recentImpactG, unit: "g",
                                         reference: wear.firstImpactG, threshold: wear.firstImpactG * (1 + impactRise),
                                         comparison: "above", crossed: crossed))
            evidence.append(FlagEvidence(measure: "impact_peak_g.rise_pct", value: wear.impactRise * 100, unit: "%",
                                         threshold: impactRise * 100, comparison: "above", crossed: crossed))
            if let l = wear.loadingRise {
                evidence.append(FlagEvidence(measure: "loading_rate_g_per_s.rise_pct", value: l * 100, unit: "%",
                                             threshold: impactRise * 100, comparison: "above", crossed: l >= impactRise))
            }
            evidence.append(FlagEvidence(measure: "cadence_spm.first_runs", value: wear.firstCadence, unit: "steps/min",
                                         comparison: "info", crossed: false))
            if crossed { severity = wear.impactRise >= 2 * impactRise || distance >= replaceFromKm ? .high : .moderate }
            trend = wear.comparableRuns.enumerated().compactMap { i, f in
                f.median(.impactPeakG).map { FlagTrendPoint(x: Double(i + 1), value: $0) }
            }
        }
        let overDistance = distance >= replaceByKm
        evidence.append(FlagEvidence(measure: "shoe_distance_km", value: distance, unit: "km", threshold: replaceByKm,
                                     comparison: "above", crossed: overDistance))
        if overDistance { severity = max(severity ?? .low, .low) }
        guard let severity else { return [] }
        let rising = evidence.contains { $0.measure == "impact_peak_g.rise_pct" && $0.crossed }
        let explanation = rising
            ? String(format: "At a comparable cadence, your impact in %@ is %.0f %% higher than in its first %d runs (%.2f g against %.2f g), and the shoe has %.0f km recorded. Midsoles absorb less shock as they wear.", shoe.name, (wear?.impactRise ?? 0) * 100, firstRunCount, wear?.recentImpactG ?? 0, wear?.firstImpactG ?? 0, distance)
            : String(format: "%@ has %.0f km recorded, beyond the 500–800 km after which replacement is commonly advised.", shoe.name, distance)
        return [GaitFlag(
            id: "shoe_wear." + shoe.key, kind: .shoeWear, severity: severity,
            confidence: rising ? min(1, 0.6 + 0.2 * Double(wear?.comparableRuns.count ?? 0) / 10) : 0.5,
            title: rising ? "\(shoe.name): impact rising as the shoe wears" : "\(shoe.name): high distance",
            explanation: explanation,
            reference: FlagReference(kind: rising ? .shoeFirstRuns : .population,
                                     description: rising ? "the first \(firstRunCount) runs in this shoe at comparable cadence"
                                         : "replacement is commonly advised after 500–800 km (shared/DOMAIN.md)",
                                     sessionCount: rising ? firstRunCount : nil),
            evidence: evidence, trend: trend,
            advice: [
                "Replace the shoes, or rotate in a new pair and compare how the impact changes.",
                "Choose a cushioned shoe if your back is sensitive to impact.",
            ])]
    }
}
