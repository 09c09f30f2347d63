/// The activity a stretch of the recording shows.
public enum ActivityKind: String, Sendable, Codable, CaseIterable {
    /// Upright and still (or nearly): no periodic gait.
    case standing
    /// Walking: periodic steps without a flight phase, typically 90–130 steps/min.
    case walking
    /// Running: periodic steps with a flight phase, typically 150–190 steps/min.
    case running
    /// Movement that is neither still nor regular gait (turning, stairs, fidgeting, handling the clip).
    case other

    /// Whether steps are detected in this activity.
    public var isGait: Bool { self == .walking || self == .running }
}

/// The foot that lands at an initial contact.
public enum FootSide: String, Sendable, Codable {
    case left, right
}

/// One step: from the initial contact of one foot to the initial contact of the other.
///
/// A step is named by the foot that lands at its start (shared/DOMAIN.md).
public struct GaitStep: Sendable, Codable, Equatable {
    /// Initial contact time, seconds on the input's own time axis from its first sample.
    public var initialContactS: Double
    /// Foot that lands at this contact.
    public var side: FootSide?
    /// Confidence in `side`, 0 (a guess) to 1 (certain).
    public var sideConfidence: Float
    /// Activity of the window this step was found in.
    public var activity: ActivityKind
    /// Step time: from the previous initial contact (the other foot's) to this one, seconds; a
    /// step is named by the foot that lands, so a left step's time ends at the left contact (the
    /// usual convention). Nil for the first step after a pause or gap.
    public var stepTimeS: Float?
    /// Peak vertical specific force after contact, g (sacral peaks are typically 2–4 g in running).
    public var impactPeakG: Float
    /// Mean rate of rise of vertical acceleration from 20% to 80% of the way from contact to the
    /// impact peak, g/s; tracks the ground reaction force loading rate.
    public var loadingRateGPerS: Float?
    /// Peak deceleration (negative AP acceleration) after contact, g, reported as a positive number.
    public var brakingPeakG: Float
    /// Forward-velocity loss while braking (integral of the deceleration after contact), m/s.
    public var brakingVelocityLossMPS: Float
    /// Ground contact time estimate (contact to toe-off), seconds; running only.
    public var groundContactTimeS: Float?
    /// Final contact (toe-off) of this step, seconds on the same axis as `initialContactS`; running
    /// only. Always `initialContactS + Double(groundContactTimeS)`.
    public var finalContactS: Double?
    /// How clearly the signal showed this step's contact and toe-off, 0 (unclear) to 1 (clear):
    /// how well its two estimates (flight bounds, spring-mass impulse) agree, 0.5 where only one
    /// exists; nil where no contact time was measured.
    public var contactTimeQuality: Float?
    /// Estimated peak vertical ground reaction force of this contact, body weights, from the sacral
    /// acceleration (impulse–momentum, Alcantara et al. 2021, PeerJ 9:e11199). An estimate, not a
    /// force measurement; running only.
    public var peakVerticalForceBW: Float?
    /// Peak-to-peak vertical displacement of the pelvis over the step, cm (double integration with
    /// per-step drift removal).
    public var verticalOscillationCm: Float?
    /// Forward tilt of the pelvis (clip) against the posture reference, degrees (+ = forward).
    public var pelvisTiltDeg: Float
    /// Pelvic rotation (yaw) range over the stride that starts at this contact, degrees (peak to
    /// peak of the integrated yaw rate, drift removed); nil without a gyroscope.
    public var pelvicRotationDeg: Float?
    /// Pelvic obliquity (drop, roll about AP) range over the stride that starts at this contact,
    /// degrees (peak to peak); nil without a gyroscope.
    public var pelvicObliquityDeg: Float?


    /// Creates a step; metrics without a value are nil.
    public init(
        initialContactS: Double, side: FootSide? = nil, sideConfidence: Float = 0, activity: ActivityKind,
        stepTimeS: Float? = nil, impactPeakG: Float, loadingRateGPerS: Float? = nil, brakingPeakG: Float,
        brakingVelocityLossMPS: Float, groundContactTimeS: Float? = nil, finalContactS: Double? = nil,
        contactTimeQuality: Float? = nil, peakVerticalForceBW: Float? = nil, verticalOscillationCm: Float? = nil,
        pelvisTiltDeg: Float, pelvicRotationDeg: Float? = nil, pelvicObliquityDeg: Float? = nil
    ) {
        self.initialContactS = initialContactS
        self.side = side
        self.sideConfidence = sideConfidence
        self.activity = activity
        self.stepTimeS = stepTimeS
        self.impactPeakG = impactPeakG
        self.loadingRateGPerS = loadingRateGPerS
        self.brakingPeakG = brakingPeakG
        self.brakingVelocityLossMPS = brakingVelocityLossMPS
        self.groundContactTimeS = groundContactTimeS
        self.finalContactS = finalContactS
        self.contactTimeQuality = contactTimeQuality
        self.peakVerticalForceBW = peakVerticalForceBW
        self.verticalOscillationCm = verticalOscillationCm
        self.pelvisTiltDeg = pelvisTiltDeg
        self.pelvicRotationDeg = pelvicRotationDeg
        self.pelvicObliquityDeg = pelvicObliquityDeg
    }

    /// Cadence implied by this step alone, steps/min (60 / step time).
    public var cadenceSpm: Float? { stepTimeS.map { 60 / $0 } }

    /// JSON keys of the `backstride.analysis/1` contract.
    enum CodingKeys: String, CodingKey {
        case initialContactS = "t_s"
        case side = "side"
        case sideConfidence = "side_confidence"
        case activity = "activity"
        case stepTimeS = "step_time_s"
        case impactPeakG = "impact_peak_g"
        case loadingRateGPerS = "loading_rate_g_per_s"
        case brakingPeakG = "braking_peak_g"
        case brakingVelocityLossMPS = "braking_velocity_loss_mps"
        case groundContactTimeS = "ground_contact_time_s"
        case finalContactS = "final_contact_s"
        case contactTimeQuality = "contact_time_quality"
        case peakVerticalForceBW = "peak_vertical_force_bw"
        case verticalOscillationCm = "vertical_oscillation_cm"
        case pelvisTiltDeg = "pelvis_tilt_deg"
        case pelvicRotationDeg = "pelvic_rotation_deg"
        case pelvicObliquityDeg = "pelvic_obliquity_deg"
    }
}

/// A stretch of one activity.
public struct GaitBout: Sendable, Codable, Equatable {
    /// Start, seconds from the first sample.
    public var startS: Double
    /// End, seconds from the first sample.
    public var endS: Double
    /// What the runner was doing.
    public var kind: ActivityKind
    /// Time inside the bout spent paused (standing at traffic lights and the like), seconds.
    public var pausedS: Double
    /// Number of steps detected in the bout.
    public var stepCount: Int
    /// Median cadence, steps/min; nil outside gait.
    public var cadenceSpm: Float?
    /// Metrics of the bout's steps; nil outside gait.
    public var metrics: GaitMetricsSummary?

    /// JSON keys of the `backstride.analysis/1` contract.
    enum CodingKeys: String, CodingKey {
        case startS = "start_s"
        case endS = "end_s"
        case kind = "kind"
        case pausedS = "paused_s"
        case stepCount = "step_count"
        case cadenceSpm = "cadence_spm"
        case metrics = "metrics"
    }
}

/// Median and spread of one metric, with its left/right comparison.
public struct MetricStatistics: Sendable, Codable, Equatable {
    /// Number of steps with a value.
    public var count: Int
    /// Median over all steps.
    public var median: Float
    /// Interquartile range (spread), same unit as the metric.
    public var iqr: Float
    /// Median over left steps; nil when no step was labelled left.
    public var leftMedian: Float?
    /// Median over right steps.
    public var rightMedian: Float?
    /// Symmetry index SI = (L − R) / ((L + R) / 2) × 100 %, Robinson et al. 1987. Positive: left larger.
    public var symmetryIndexPct: Float?
    /// 95 % interval of the symmetry index, [low, high] %: each side's step-to-step spread carried
    /// through its median (standard error of a median ≈ 1.2533 σ/√n, σ ≈ IQR/1.349 of that side's
    /// steps; delta method).
    /// A change of SI between sessions inside these intervals is not a change.
    public var symmetryIndexCI95Pct: [Float]?
    /// Symmetry angle SA = (45° − arctan(L/R)) / 90° × 100 %, Zifchock et al. 2008; bounded, side-free.
    public var symmetryAnglePct: Float?
    /// The side with the value that is worse for this metric (see `GaitMetric.higherIsWorse`); nil
    /// when the sides do not differ beyond step-to-step variation, or when which side is which is
    /// not known with confidence (fewer than 60 % of the steps with side confidence ≥ 0.6): the
    /// symmetry index then still measures how much the sides differ, not which one is higher.
    public var worseSide: FootSide?
    /// Change of the median from the first fifth to the last fifth of the steps, in the metric's unit.
    public var drift: Float?
    /// The same change as % of the early median; nil for metrics without a true zero (angles).
    public var driftPct: Float?

    /// JSON keys of the `backstride.analysis/1` contract.
    enum CodingKeys: String, CodingKey {
        case count = "count"
        case median = "median"
        case iqr = "iqr"
        case leftMedian = "left_median"
        case rightMedian = "right_median"
        case symmetryIndexPct = "symmetry_index_pct"
        case symmetryIndexCI95Pct = "symmetry_index_ci95_pct"
        case symmetryAnglePct = "symmetry_angle_pct"
        case worseSide = "worse_side"
        case drift = "drift"
        case driftPct = "drift_pct"
    }
}

/// The per-step metrics the summaries are computed for.
public enum GaitMetric: String, Sendable, Codable, CaseIterable {
    case stepTimeS = "step_time_s"
    case impactPeakG = "impact_peak_g"
    case loadingRateGPerS = "loading_rate_g_per_s"
    case brakingPeakG = "braking_peak_g"
    case brakingVelocityLossMPS = "braking_velocity_loss_mps"
    case groundContactTimeS = "ground_contact_time_s"
    case peakVerticalForceBW = "peak_vertical_force_bw"
    case verticalOscillationCm = "vertical_oscillation_cm"
    case pelvisTiltDeg = "pelvis_tilt_deg"
    case pelvicRotationDeg = "pelvic_rotation_deg"
    case pelvicObliquityDeg = "pelvic_obliquity_deg"

    /// Whether a larger value is the worse one when the sides are compared. For step time the
    /// longer step is reported (it usually belongs to the side that pushes off less).
    public var higherIsWorse: Bool { true }

    /// Whether ratios of the metric mean something (a true zero). Angles measured against a
    /// reference are not: their symmetry is their left − right difference, not an index.
    public var isRatioScale: Bool { self != .pelvisTiltDeg }

    /// Reads this metric from a step.
    public func value(of step: GaitStep) -> Float? {
        switch self {
        case .stepTimeS: step.stepTimeS
        case .impactPeakG: step.impactPeakG
        case .loadingRateGPerS: step.loadingRateGPerS
        case .brakingPeakG: step.brakingPeakG
        case .brakingVelocityLossMPS: step.brakingVelocityLossMPS
        case .groundContactTimeS: step.groundContactTimeS
        case .peakVerticalForceBW: step.peakVerticalForceBW
        case .verticalOscillationCm: step.verticalOscillationCm
        case .pelvisTiltDeg: step.pelvisTiltDeg
        case .pelvicRotationDeg: step.pelvicRotationDeg
        case .pelvicObliquityDeg: step.pelvicObliquityDeg
        }
    }
}

/// Statistics of every metric over a set of steps.
public struct GaitMetricsSummary: Sendable, Codable, Equatable {
    /// Median cadence, steps/min.
    public var cadenceSpm: Float?
    /// Statistics per metric, keyed by `GaitMetric.rawValue`.
    public var metrics: [String: MetricStatistics]
    /// Step regularity: autocorrelation of vertical acceleration at the step lag, d1 (Moe-Nilssen & Helbostad 2004).
    public var stepRegularity: Float?
    /// Stride regularity: autocorrelation at the stride lag, d2.
    public var strideRegularity: Float?
    /// Side-free symmetry d1/d2 (1 = symmetric).
    public var autocorrelationSymmetry: Float?

    /// JSON keys of the `backstride.analysis/1` contract.
    enum CodingKeys: String, CodingKey {
        case cadenceSpm = "cadence_spm"
        case metrics = "metrics"
        case stepRegularity = "step_regularity"
        case strideRegularity = "stride_regularity"
        case autocorrelationSymmetry = "autocorrelation_symmetry"
    }
}

/// The whole analysis of one recording: the document `gait analyze --format json` prints.
public struct GaitAnalysis: Sendable, Codable, Equatable {
    /// Schema identifier, "backstride.analysis/1".
    public var schema: String = GaitAnalysis.schemaIdentifier
    /// What was analysed (file, format, device) as the reader reported it.
    public var input: InputDescription
    /// Nominal sampling rate of the input, Hz.
    public var sampleRateHz: Double
    /// Internal processing rate after resampling, Hz.
    public var processingRateHz: Double
    /// Duration from first to last sample, seconds.
    public var durationS: Double
    /// Activity bouts in time order.
    public var bouts: [GaitBout]
    /// Every detected step in time order.
    public var steps: [GaitStep]
    /// Session-level summary.
    public var summary: SessionSummary

    /// The schema identifier written in every analysis document.
    public static let schemaIdentifier = "backstride.analysis/1"

    /// JSON keys of the `backstride.analysis/1` contract.
    enum CodingKeys: String, CodingKey {
        case schema = "schema"
        case input = "input"
        case sampleRateHz = "sample_rate_hz"
        case processingRateHz = "processing_rate_hz"
        case durationS = "duration_s"
        case bouts = "bouts"
        case steps = "steps"
        case summary = "summary"
    }
}

/// Describes the analysed input.
public struct InputDescription: Sendable, Codable, Equatable {
    /// File path or stream name.
    public var source: String
    /// Recognised format (dialect) of the input.
    public var format: String
    /// Device name from the metadata, if any.
    public var device: String?
    /// Device serial from the metadata, if any.
    public var serial: String?
    /// Whether a gyroscope was present.
    public var hasGyroscope: Bool
    /// Number of samples read.
    public var sampleCount: Int
    /// Number of contiguous segments (gaps in time split the recording).
    public var segmentCount: Int
    /// Warnings raised while reading or analysing.
    public var warnings: [String]
    /// Start of the recording (UTC) minus what the clip's clock recorded, seconds, when the start
    /// was corrected against the host's clock at sync; absent otherwise.
    public var clockCorrectionS: Double?
    /// Start of the recording as the file states it (UTC, seconds since 1970); absent when the
    /// file does not say (a start is never guessed).
    public var startUTCS: Double?

    /// Creates a description.
    public init(source: String, format: String, device: String? = nil, serial: String? = nil,
                hasGyroscope: Bool = false, sampleCount: Int = 0, segmentCount: Int = 0, warnings: [String] = []) {
        self.source = source
        self.format = format
        self.device = device
        self.serial = serial
        self.hasGyroscope = hasGyroscope
        self.sampleCount = sampleCount
        self.segmentCount = segmentCount
        self.warnings = warnings
    }

    /// JSON keys of the `backstride.analysis/1` contract.
    enum CodingKeys: String, CodingKey {
        case source = "source"
        case format = "format"
        case device = "device"
        case serial = "serial"
        case hasGyroscope = "has_gyroscope"
        case sampleCount = "sample_count"
        case segmentCount = "segment_count"
        case warnings = "warnings"
        case clockCorrectionS = "clock_correction_s"
        case startUTCS = "start_utc_s"
    }
}

/// Session-level results.
public struct SessionSummary: Sendable, Codable, Equatable {
    /// The gait the summary describes: running if the session has running steps, else walking.
    public var primaryActivity: ActivityKind?
    /// Time spent in each activity, seconds, keyed by `ActivityKind.rawValue`.
    public var activityTimeS: [String: Double]
    /// Number of steps of the primary activity.
    public var stepCount: Int
    /// Metrics over the primary activity's steps.
    public var metrics: GaitMetricsSummary?
    /// What the posture angle is measured against: "standing" (a standing period before the first
    /// gait) or "early_gait" (the median of the first gait windows, so only changes are meaningful).
    public var postureReference: String?
    /// Share of steps whose side could be assigned with confidence ≥ 0.6.
    public var confidentSideShare: Float?
    /// Cadence in consecutive time slices of the primary activity, for trend plots.
    public var cadenceTrend: [TrendPoint]
    /// How the clip sat: gravity's direction in the sensor's frame over the primary activity (unit
    /// vector, component-wise median of the windows, normalised). Between sessions, a change of it
    /// means the clip was worn differently (Kiernan et al. 2024: placement changes the measures).
    public var mountUpAxis: [Float]? = nil
    /// What this recording cannot tell with confidence (sides, contact times, too few steps), in
    /// plain words; absent when nothing is uncertain. Reports show these beside the numbers.
    public var uncertainties: [String]? = nil

    /// JSON keys of the `backstride.analysis/1` contract.
    enum CodingKeys: String, CodingKey {
        case primaryActivity = "primary_activity"
        case activityTimeS = "activity_time_s"
        case stepCount = "step_count"
        case metrics = "metrics"
        case postureReference = "posture_reference"
        case confidentSideShare = "confident_side_share"
        case cadenceTrend = "cadence_trend"
        case mountUpAxis = "mount_up_axis"
        case uncertainties = "uncertainties"
    }
}

/// One point of a metric over time.
public struct TrendPoint: Sendable, Codable, Equatable {
    /// Slice midpoint, seconds from the first sample.
    public var tS: Double
    /// Value in the slice.
    public var value: Float

    /// JSON keys of the `backstride.analysis/1` contract.
    enum CodingKeys: String, CodingKey {
        case tS = "t_s"
        case value = "value"
    }
}
