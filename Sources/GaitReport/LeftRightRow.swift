import GaitDSP
import GaitInference

/// One line of the left/right table: a metric's medians per side, its symmetry, the normal range
/// it is judged against and the side that is worse.
public struct LeftRightRow: Sendable, Codable, Equatable {
    /// The metric.
    public var metric: GaitMetric
    /// Words for a physiotherapist, e.g. "ground contact time".
    public var words: String
    /// Unit of the medians (the metric's own: s, g, g/s, deg).
    public var unit: String
    /// Steps with a value.
    public var count: Int
    /// Median over all steps, in `unit`.
    public var median: Float
    /// Median over left steps, in `unit`.
    public var leftMedian: Float?
    /// Median over right steps, in `unit`.
    public var rightMedian: Float?
    /// Symmetry index SI = (L − R) / ((L + R) / 2) × 100 %, Robinson et al. 1987; + = left larger.
    public var symmetryIndexPct: Float?
    /// 95 % interval of the symmetry index, [low, high] % (see `MetricStatistics.symmetryIndexCI95Pct`).
    public var symmetryIndexCI95Pct: [Float]?
    /// Symmetry angle, %, Zifchock et al. 2008 (bounded, side-free).
    public var symmetryAnglePct: Float?
    /// Population threshold on |SI|, %, the asymmetry flag uses before a personal baseline exists;
    /// nil for measures without one (pelvic motion).
    public var thresholdPct: Double?
    /// The side whose value is worse (larger) for this metric.
    public var worseSide: FootSide?
    /// Whether |SI| is at or beyond `thresholdPct`.
    public var beyondThreshold: Bool
    /// Whether this session raised the asymmetry flag for the metric (against the population
    /// threshold or the runner's own baseline).
    public var flagged: Bool
    /// Whether the metric is reliable at this sampling rate (impact and loading rate need ≥ 100 Hz).
    public var reliable: Bool

    /// The metrics of the table, in the order a physiotherapist reads them: timing, force, pelvis.
    public static let metrics: [GaitMetric] = [
        .stepTimeS, .groundContactTimeS, .impactPeakG, .loadingRateGPerS, .brakingPeakG, .pelvicRotationDeg, .pelvicObliquityDeg,
    ]

    /// The rows of an analysis: one per metric with a value, from the session summary's statistics.
    public static func rows(analysis: GaitAnalysis, flags: [GaitFlag]) -> [LeftRightRow] {
        guard let statistics = analysis.summary.metrics?.metrics else { return [] }
        let impactMeasurable = ImpactMeasurement.isMeasurable(sampleRateHz: analysis.sampleRateHz)
        return metrics.compactMap { metric in
            guard let s = statistics[metric.rawValue], s.count > 0 else { return nil }
            let threshold = metric.populationAsymmetryThresholdPct
            let beyond = threshold.flatMap { t in s.symmetryIndexPct.map { Double(abs($0)) >= t } } ?? false
            return LeftRightRow(
                metric: metric, words: words(metric), unit: unit(metric), count: s.count, median: s.median,
                leftMedian: s.leftMedian, rightMedian: s.rightMedian, symmetryIndexPct: s.symmetryIndexPct,
                symmetryIndexCI95Pct: s.symmetryIndexCI95Pct, symmetryAnglePct: s.symmetryAnglePct, thresholdPct: threshold, worseSide: s.worseSide,
                beyondThreshold: beyond, flagged: flags.contains { $0.id == "asymmetry." + metric.rawValue },
                reliable: impactMeasurable || !ImpactMeasurement.metrics.contains(metric))
        }
    }

    /// Words for a metric.
    public static func words(_ metric: GaitMetric) -> String {
        switch metric {
        case .stepTimeS: "step time"
        case .impactPeakG: "impact"
        case .loadingRateGPerS: "loading rate"
        case .brakingPeakG: "braking"
        case .brakingVelocityLossMPS: "braking speed loss"
        case .groundContactTimeS: "ground contact time"
        case .peakVerticalForceBW: "peak vertical force (estimate)"
        case .verticalOscillationCm: "vertical oscillation"
        case .pelvisTiltDeg: "pelvis tilt"
        case .pelvicRotationDeg: "pelvic rotation"
        case .pelvicObliquityDeg: "pelvic drop (obliquity)"
        }
    }

    /// The unit a metric is stored in.
    public static func unit(_ metric: GaitMetric) -> String {
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

    enum CodingKeys: String, CodingKey {
        case metric, words, unit, count, median
        case leftMedian = "left_median"
        case rightMedian = "right_median"
        case symmetryIndexPct = "symmetry_index_pct"
        case symmetryIndexCI95Pct = "symmetry_index_ci95_pct"
        case symmetryAnglePct = "symmetry_angle_pct"
        case thresholdPct = "threshold_pct"
        case worseSide = "worse_side"
        case beyondThreshold = "beyond_threshold"
        case flagged
        case reliable
    }
}
