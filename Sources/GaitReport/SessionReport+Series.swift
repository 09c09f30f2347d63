import GaitDSP
import GaitInference

/// The run over time: time bins of medians, and the thinned individual steps the plots draw.
extension SessionReport {
    /// One time bin of the run: the medians of its gait steps (as `RunTimeline` computes them, the
    /// series the late-run flag reads), plus the impact median of each side.
    public struct Bin: Sendable, Codable, Equatable {
        /// Bin start, seconds from the first sample.
        public var startS: Double
        /// Bin midpoint, seconds from the first sample.
        public var midS: Double
        /// Gait steps in the bin.
        public var stepCount: Int
        /// Fraction of them that were running.
        public var runningShare: Double
        /// Median cadence, steps/min.
        public var cadenceSpm: Double?
        /// Median impact peak, g.
        public var impactPeakG: Double?
        /// Median impact peak of left steps, g (confident sides, at least 5 steps).
        public var leftImpactPeakG: Double?
        /// Median impact peak of right steps, g.
        public var rightImpactPeakG: Double?
        /// Median loading rate, g/s.
        public var loadingRateGPerS: Double?
        /// Median ground contact time, s.
        public var groundContactTimeS: Double?
        /// Median braking peak, g.
        public var brakingPeakG: Double?
        /// Median pelvis tilt, deg.
        public var pelvisTiltDeg: Double?
        /// Step-time symmetry index of the bin, %.
        public var stepTimeSymmetryIndexPct: Double?
        /// Impact symmetry index of the bin, %.
        public var impactSymmetryIndexPct: Double?

        enum CodingKeys: String, CodingKey {
            case startS = "start_s"
            case midS = "mid_s"
            case stepCount = "step_count"
            case runningShare = "running_share"
            case cadenceSpm = "cadence_spm"
            case impactPeakG = "impact_peak_g"
            case leftImpactPeakG = "left_impact_peak_g"
            case rightImpactPeakG = "right_impact_peak_g"
            case loadingRateGPerS = "loading_rate_g_per_s"
            case groundContactTimeS = "ground_contact_time_s"
            case brakingPeakG = "braking_peak_g"
            case pelvisTiltDeg = "pelvis_tilt_deg"
            case stepTimeSymmetryIndexPct = "step_time_symmetry_index_pct"
            case impactSymmetryIndexPct = "impact_symmetry_index_pct"
        }
    }

    /// One step drawn individually.
    public struct PlottedStep: Sendable, Codable, Equatable {
        /// Initial contact, seconds from the first sample.
        public var tS: Double
        /// The foot that landed.
        public var side: FootSide
        /// Impact peak, g.
        public var impactPeakG: Float
        /// Pelvis tilt, deg.
        public var pelvisTiltDeg: Float

        enum CodingKeys: String, CodingKey {
            case tS = "t_s"
            case side
            case impactPeakG = "impact_peak_g"
            case pelvisTiltDeg = "pelvis_tilt_deg"
        }
    }

    /// Side confidence a step needs to count for its side (as in the inference layer).
    static let minimumSideConfidence: Float = 0.6

    /// The bins of `analysis`: `RunTimeline`'s medians with each side's impact median added.
    static func bins(analysis: GaitAnalysis, binS: Double) -> [Bin] {
        let timeline = RunTimeline(analysis: analysis, binS: binS)
        var leftImpact: [Int: [Float]] = [:], rightImpact: [Int: [Float]] = [:]
        for step in analysis.steps where step.activity.isGait && step.sideConfidence >= minimumSideConfidence {
            let index = Int((step.initialContactS / binS).rounded(.down))
            switch step.side {
            case .left: leftImpact[index, default: []].append(step.impactPeakG)
            case .right: rightImpact[index, default: []].append(step.impactPeakG)
            case nil: break
            }
        }
        func median(_ values: [Float]?) -> Double? {
            guard let values, values.count >= 5 else { return nil }
            return RobustStatistics.median(values.map(Double.init))
        }
        return timeline.bins.map { b in
            let index = Int((b.startS / binS).rounded())
            return Bin(startS: b.startS, midS: b.midS, stepCount: b.stepCount, runningShare: b.runningShare, cadenceSpm: b.cadenceSpm,
                       impactPeakG: b.impactPeakG, leftImpactPeakG: median(leftImpact[index]), rightImpactPeakG: median(rightImpact[index]),
                       loadingRateGPerS: b.loadingRateGPerS, groundContactTimeS: b.groundContactTimeS, brakingPeakG: b.brakingPeakG,
                       pelvisTiltDeg: b.pelvisTiltDeg, stepTimeSymmetryIndexPct: b.stepTimeSymmetryIndexPct,
                       impactSymmetryIndexPct: b.impactSymmetryIndexPct)
        }
    }

    /// Every n-th step of the primary activity with a confident side, so that at most `maximum` remain.
    static func plottedSteps(analysis: GaitAnalysis, maximum: Int) -> [PlottedStep] {
        let primary = analysis.summary.primaryActivity
        var candidates: [PlottedStep] = []
        candidates.reserveCapacity(analysis.steps.count)
        for step in analysis.steps where step.activity == primary && step.sideConfidence >= minimumSideConfidence {
            guard let side = step.side else { continue }
            candidates.append(PlottedStep(tS: step.initialContactS, side: side, impactPeakG: step.impactPeakG, pelvisTiltDeg: step.pelvisTiltDeg))
        }
        guard candidates.count > maximum else { return candidates }
        // An odd stride keeps both sides: consecutive steps alternate feet.
        var stride = (candidates.count + maximum - 1) / maximum
        if stride % 2 == 0 { stride += 1 }
        return Swift.stride(from: 0, to: candidates.count, by: stride).map { candidates[$0] }
    }
}
