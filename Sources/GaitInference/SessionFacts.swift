import Foundation
import GaitDSP

/// The numbers of one session that baselines, trends and cross-session flags work with: when it
/// was, with which shoe, how much gait, and the session medians and symmetry indices of its
/// primary activity. Small and `Codable`, so a store can keep it beside the full analysis.
public struct SessionFacts: Sendable, Codable, Equatable {
    /// The session's id in its store, or a file name.
    public var sessionKey: String
    /// Start of the session; nil when the recording does not say (it then counts in no weekly load).
    public var startedAt: Date?
    /// Shoe worn, by the store's shoe key; nil when not recorded.
    public var shoeKey: String?
    /// Running or walking: the activity the medians describe; nil without gait.
    public var primaryActivity: ActivityKind?
    /// Time spent running, seconds.
    public var runningTimeS: Double
    /// Time spent walking, seconds.
    public var walkingTimeS: Double
    /// Distance, km, when known from outside (a watch, the runner's log); the clip cannot measure it.
    public var distanceKm: Double?
    /// Steps of the primary activity.
    public var stepCount: Int
    /// Session medians of the primary activity's metrics, keyed by `GaitMetric.rawValue`, plus "cadence_spm".
    public var medians: [String: Double]
    /// Symmetry index per metric, %, keyed by `GaitMetric.rawValue` (Robinson et al. 1987; + = left larger).
    public var symmetryIndexPct: [String: Double]
    /// What the pelvis tilt is measured against: "standing" or "early_gait" (see `SessionSummary`).
    public var postureReference: String?
    /// Highest pain score (0–10) logged for the session; nil when none was logged.
    public var painScore: Int?
    /// Whether the runner logged that the session's pain lasted into the next day.
    public var painNextDay: Bool
    /// Ids of the flags raised for the session (to tell a persistent pattern from a one-off).
    public var flagIDs: [String]
    /// Nominal sampling rate of the recording, Hz; nil when unknown (taken as fast enough).
    public var sampleRateHz: Double?
    /// Median running speed from the runner's watch, m/s; nil without a watch file.
    public var speedMPS: Double?
    /// Step length, m: speed / (cadence / 60); nil without a watch file.
    public var stepLengthM: Double?
    /// Median |grade| over the running minutes, %; nil without a watch file.
    public var absGradePct: Double?
    /// Vertical ratio, %: vertical oscillation / step length × 100 (Garmin's running dynamics); nil
    /// without a watch file.
    public var verticalRatioPct: Double?
    /// How the clip sat (gravity's direction in the sensor frame, `SessionSummary.mountUpAxis`).
    public var mountUpAxis: [Double]?
    /// 95 % interval of each symmetry index, [low, high] %, keyed like `symmetryIndexPct`.
    public var symmetryIndexCI95Pct: [String: [Double]]?

    /// Creates facts directly (tests, other stores).
    public init(sessionKey: String, startedAt: Date? = nil, shoeKey: String? = nil, primaryActivity: ActivityKind? = .running,
                runningTimeS: Double = 0, walkingTimeS: Double = 0, distanceKm: Double? = nil, stepCount: Int = 0,
                medians: [String: Double] = [:], symmetryIndexPct: [String: Double] = [:], postureReference: String? = nil,
                painScore: Int? = nil, painNextDay: Bool = false, flagIDs: [String] = [], sampleRateHz: Double? = nil) {
        self.sessionKey = sessionKey
        self.startedAt = startedAt
        self.shoeKey = shoeKey
        self.primaryActivity = primaryActivity
        self.runningTimeS = runningTimeS
        self.walkingTimeS = walkingTimeS
        self.distanceKm = distanceKm
        self.stepCount = stepCount
        self.medians = medians
        self.symmetryIndexPct = symmetryIndexPct
        self.postureReference = postureReference
        self.painScore = painScore
        self.painNextDay = painNextDay
        self.flagIDs = flagIDs
        self.sampleRateHz = sampleRateHz
    }

    /// Extracts the facts of an analysis.
    public init(analysis: GaitAnalysis, sessionKey: String, startedAt: Date? = nil, shoeKey: String? = nil,
                distanceKm: Double? = nil, painScore: Int? = nil, painNextDay: Bool = false, flagIDs: [String] = []) {
        let summary = analysis.summary
        var medians: [String: Double] = [:]
        var symmetry: [String: Double] = [:]
        if let m = summary.metrics {
            if let c = m.cadenceSpm { medians[SessionFacts.cadenceKey] = Double(c) }
            for (name, statistics) in m.metrics {
                medians[name] = Double(statistics.median)
                if let si = statistics.symmetryIndexPct { symmetry[name] = Double(si) }
            }
        }
        self.init(sessionKey: sessionKey, startedAt: startedAt, shoeKey: shoeKey, primaryActivity: summary.primaryActivity,
                  runningTimeS: summary.activityTimeS[ActivityKind.running.rawValue] ?? 0,
                  walkingTimeS: summary.activityTimeS[ActivityKind.walking.rawValue] ?? 0,
                  distanceKm: distanceKm, stepCount: summary.stepCount, medians: medians, symmetryIndexPct: symmetry,
                  postureReference: summary.postureReference, painScore: painScore, painNextDay: painNextDay, flagIDs: flagIDs,
                  sampleRateHz: analysis.sampleRateHz)
        mountUpAxis = summary.mountUpAxis.map { $0.map(Double.init) }
        var intervals: [String: [Double]] = [:]
        for (name, statistics) in summary.metrics?.metrics ?? [:] {
            if let ci = statistics.symmetryIndexCI95Pct, ci.count == 2 { intervals[name] = ci.map(Double.init) }
        }
        symmetryIndexCI95Pct = intervals.isEmpty ? nil : intervals
    }

    /// Key of the cadence median in `medians`.
    public static let cadenceKey = "cadence_spm"

    /// The session median of a metric.
    public func median(_ metric: GaitMetric) -> Double? { medians[metric.rawValue] }

    /// The session's median cadence, steps/min.
    public var cadenceSpm: Double? { medians[SessionFacts.cadenceKey] }

    /// Whether the recording was sampled fast enough to measure impact and loading rate.
    public var measuresImpact: Bool { ImpactMeasurement.isMeasurable(sampleRateHz: sampleRateHz) }

    /// The session median of a metric, nil for impact measures of a recording too slow to measure them.
    public func reliableMedian(_ metric: GaitMetric) -> Double? {
        ImpactMeasurement.metrics.contains(metric) && !measuresImpact ? nil : medians[metric.rawValue]
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sessionKey = try c.decode(String.self, forKey: .sessionKey)
        startedAt = try c.decodeIfPresent(Date.self, forKey: .startedAt)
        shoeKey = try c.decodeIfPresent(String.self, forKey: .shoeKey)
        primaryActivity = try c.decodeIfPresent(ActivityKind.self, forKey: .primaryActivity)
        runningTimeS = try c.decode(Double.self, forKey: .runningTimeS)
        walkingTimeS = try c.decode(Double.self, forKey: .walkingTimeS)
        distanceKm = try c.decodeIfPresent(Double.self, forKey: .distanceKm)
        stepCount = try c.decode(Int.self, forKey: .stepCount)
        medians = try c.decode([String: Double].self, forKey: .medians)
        symmetryIndexPct = try c.decode([String: Double].self, forKey: .symmetryIndexPct)
        postureReference = try c.decodeIfPresent(String.self, forKey: .postureReference)
        painScore = try c.decodeIfPresent(Int.self, forKey: .painScore)
        // Facts stored before the pain form asked about the next day (2026-12) have no answer.
        painNextDay = try c.decodeIfPresent(Bool.self, forKey: .painNextDay) ?? false
        flagIDs = try c.decode([String].self, forKey: .flagIDs)
        sampleRateHz = try c.decodeIfPresent(Double.self, forKey: .sampleRateHz)
        speedMPS = try c.decodeIfPresent(Double.self, forKey: .speedMPS)
        stepLengthM = try c.decodeIfPresent(Double.self, forKey: .stepLengthM)
        absGradePct = try c.decodeIfPresent(Double.self, forKey: .absGradePct)
        verticalRatioPct = try c.decodeIfPresent(Double.self, forKey: .verticalRatioPct)
        mountUpAxis = try c.decodeIfPresent([Double].self, forKey: .mountUpAxis)
        symmetryIndexCI95Pct = try c.decodeIfPresent([String: [Double]].self, forKey: .symmetryIndexCI95Pct)
    }

    /// The angle between how the clip sat in this session and in `other`, degrees; nil when either is unknown.
    public func mountAngleDeg(to other: [Double]) -> Double? {
        guard let a = mountUpAxis, a.count == 3, other.count == 3 else { return nil }
        let dot = max(-1, min(1, a[0] * other[0] + a[1] * other[1] + a[2] * other[2]))
        return acos(dot) * 180 / .pi
    }

    /// Adds what the runner's watch says of the session: median running speed, step length and
    /// |grade| over the running minutes of `timeline`.
    public mutating func add(_ speed: SessionSpeed, timeline: RunTimeline) {
        let minutes = timeline.runningBins.compactMap { speed.minute(at: $0.startS + 1) }
        speedMPS = RobustStatistics.median(minutes.compactMap(\.speedMPS))
        absGradePct = RobustStatistics.median(minutes.compactMap { $0.gradePct.map(abs) })
        if let v = speedMPS, let c = cadenceSpm, c > 0 { stepLengthM = v / (c / 60) }
        if let length = stepLengthM, length > 0, let oscillation = median(.verticalOscillationCm) {
            verticalRatioPct = oscillation / 100 / length * 100
        }
        if distanceKm == nil { distanceKm = speed.distanceKm }
    }

    /// Whether this session is a run with enough running to compare (at least 5 minutes).
    public var isComparableRun: Bool { primaryActivity == .running && runningTimeS >= 300 }

    enum CodingKeys: String, CodingKey {
        case sessionKey = "session_key"
        case startedAt = "started_at"
        case shoeKey = "shoe_key"
        case primaryActivity = "primary_activity"
        case runningTimeS = "running_time_s"
        case walkingTimeS = "walking_time_s"
        case distanceKm = "distance_km"
        case stepCount = "step_count"
        case medians = "medians"
        case symmetryIndexPct = "symmetry_index_pct"
        case postureReference = "posture_reference"
        case painScore = "pain_score"
        case painNextDay = "pain_next_day"
        case flagIDs = "flag_ids"
        case sampleRateHz = "sample_rate_hz"
        case speedMPS = "speed_mps"
        case stepLengthM = "step_length_m"
        case absGradePct = "abs_grade_pct"
        case verticalRatioPct = "vertical_ratio_pct"
        case mountUpAxis = "mount_up_axis"
        case symmetryIndexCI95Pct = "symmetry_index_ci95_pct"
    }
}
