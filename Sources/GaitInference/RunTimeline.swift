import GaitDSP

/// A run minute by minute: the medians of the primary activity's steps in consecutive time bins,
/// for locating when in a run the form changes (late-run degradation, posture growth, warm-up).
///
/// Bins with too few steps (pauses, the edges of bouts) are left out, so a traffic-light stop
/// leaves a hole in the timeline rather than an outlier.
public struct RunTimeline: Sendable, Equatable {
    /// One time bin of the run.
    public struct Bin: Sendable, Equatable {
        /// Bin start, seconds from the first sample.
        public var startS: Double
        /// Bin midpoint, seconds from the first sample.
        public var midS: Double
        /// Steps in the bin.
        public var stepCount: Int
        /// Median cadence, steps/min (60 / median step time).
        public var cadenceSpm: Double?
        /// Median vertical impact peak, g.
        public var impactPeakG: Double?
        /// Median loading rate, g/s.
        public var loadingRateGPerS: Double?
        /// Median ground contact time, s.
        public var groundContactTimeS: Double?
        /// Median braking peak, g.
        public var brakingPeakG: Double?
        /// Median pelvis tilt, deg.
        public var pelvisTiltDeg: Double?
        /// Step-time symmetry index from the bin's left and right medians, %.
        public var stepTimeSymmetryIndexPct: Double?
        /// Impact symmetry index from the bin's left and right medians, %.
        public var impactSymmetryIndexPct: Double?
        /// Fraction of the bin's steps that were running.
        public var runningShare: Double

        /// Reads one of the timeline measures.
        public func value(_ measure: TimelineMeasure) -> Double? {
            switch measure {
            case .cadence: cadenceSpm
            case .impact: impactPeakG
            case .loadingRate: loadingRateGPerS
            case .groundContactTime: groundContactTimeS
            case .braking: brakingPeakG
            case .pelvisTilt: pelvisTiltDeg
            case .stepTimeAsymmetry: stepTimeSymmetryIndexPct.map(abs)
            case .impactAsymmetry: impactSymmetryIndexPct.map(abs)
            }
        }
    }

    /// Bin length, seconds.
    public var binS: Double
    /// Bins with enough steps, in time order.
    public var bins: [Bin]

    /// Fewest steps a bin needs (a minute of running has ~170, of walking ~110).
    public static let minimumStepsPerBin = 20

    /// Bins the gait steps (walking and running) of `analysis` into `binS`-second slices.
    public init(analysis: GaitAnalysis, binS: Double = 60) {
        self.binS = binS
        var bins: [Bin] = []
        let steps = analysis.steps.filter { $0.activity.isGait }
        var i = 0
        while i < steps.count {
            let binIndex = (steps[i].initialContactS / binS).rounded(.down)
            var j = i
            while j < steps.count, (steps[j].initialContactS / binS).rounded(.down) == binIndex { j += 1 }
            let slice = steps[i..<j]
            if slice.count >= RunTimeline.minimumStepsPerBin {
                bins.append(RunTimeline.bin(slice, startS: binIndex * binS, binS: binS))
            }
            i = j
        }
        self.bins = bins
    }

    static func bin(_ steps: ArraySlice<GaitStep>, startS: Double, binS: Double) -> Bin {
        func med(_ values: [Float]) -> Double? { RobustStatistics.median(values.map(Double.init)) }
        func si(_ metric: GaitMetric) -> Double? {
            let left = steps.filter { $0.side == .left && $0.sideConfidence >= 0.6 }.compactMap { metric.value(of: $0) }
            let right = steps.filter { $0.side == .right && $0.sideConfidence >= 0.6 }.compactMap { metric.value(of: $0) }
            guard left.count >= 5, right.count >= 5, let l = med(left), let r = med(right), l + r > 0 else { return nil }
            return (l - r) / ((l + r) / 2) * 100
        }
        let stepTime = med(steps.compactMap(\.stepTimeS))
        return Bin(
            startS: startS, midS: startS + binS / 2, stepCount: steps.count,
            cadenceSpm: stepTime.flatMap { $0 > 0 ? 60 / $0 : nil },
            impactPeakG: med(steps.map(\.impactPeakG)),
            loadingRateGPerS: med(steps.compactMap(\.loadingRateGPerS)),
            groundContactTimeS: med(steps.compactMap(\.groundContactTimeS)),
            brakingPeakG: med(steps.map(\.brakingPeakG)),
            pelvisTiltDeg: med(steps.map(\.pelvisTiltDeg)),
            stepTimeSymmetryIndexPct: si(.stepTimeS), impactSymmetryIndexPct: si(.impactPeakG),
            runningShare: Double(steps.filter { $0.activity == .running }.count) / Double(steps.count))
    }

    /// The bins that are mostly running.
    public var runningBins: [Bin] { bins.filter { $0.runningShare >= 0.8 } }
}

/// The measures followed through a run, with the direction that is worse and the smallest change
/// that counts as a real change.
public enum TimelineMeasure: String, Sendable, CaseIterable, Codable {
    case cadence = "cadence_spm"
    case impact = "impact_peak_g"
    case loadingRate = "loading_rate_g_per_s"
    case groundContactTime = "ground_contact_time_s"
    case braking = "braking_peak_g"
    case pelvisTilt = "pelvis_tilt_deg"
    case stepTimeAsymmetry = "step_time_s.abs_symmetry_index_pct"
    case impactAsymmetry = "impact_peak_g.abs_symmetry_index_pct"

    /// +1 when a rise is worse, −1 when a fall is worse (cadence falls with fatigue).
    public var worseDirection: Double { self == .cadence ? -1 : 1 }

    /// Unit for evidence.
    public var unit: String {
        switch self {
        case .cadence: "steps/min"
        case .impact, .braking: "g"
        case .loadingRate: "g/s"
        case .groundContactTime: "s"
        case .pelvisTilt: "deg"
        case .stepTimeAsymmetry, .impactAsymmetry: "%"
        }
    }

    /// Words for a runner.
    public var words: String {
        switch self {
        case .cadence: "cadence"
        case .impact: "impact"
        case .loadingRate: "loading rate"
        case .groundContactTime: "ground contact time"
        case .braking: "braking"
        case .pelvisTilt: "forward pelvis tilt"
        case .stepTimeAsymmetry: "step-time asymmetry"
        case .impactAsymmetry: "impact asymmetry"
        }
    }

    /// The smallest worsening that counts as real, given the early-run value: relative for
    /// ratio measures, absolute for angles and symmetry indices. Fatigue literature reports
    /// cadence falls of a few % and contact/impact rises of 5–10 % late in long runs
    /// (shared/DOMAIN.md "Fatigue"); these are set just above the step-to-step noise of a minute.
    public func minimumChange(early: Double) -> Double {
        switch self {
        case .cadence: 0.03 * abs(early)
        case .impact: 0.08 * abs(early)
        case .loadingRate: 0.15 * abs(early)
        case .groundContactTime: 0.05 * abs(early)
        case .braking: 0.12 * abs(early)
        case .pelvisTilt: 3
        case .stepTimeAsymmetry: 4
        case .impactAsymmetry: 8
        }
    }
}
