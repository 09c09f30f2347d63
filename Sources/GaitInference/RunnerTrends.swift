import Foundation
import GaitDSP

/// A runner's trends across sessions: each back-relevant measure session by session with its
/// Theil–Sen slope, weekly running time, and each shoe's impact against its first runs.
public struct RunnerTrends: Sendable, Codable, Equatable {
    /// One measure across sessions.
    public struct MetricTrend: Sendable, Codable, Equatable {
        /// Machine name, e.g. "cadence_spm" or "impact_peak_g.symmetry_index_pct".
        public var measure: String
        /// Words for people.
        public var words: String
        /// Unit.
        public var unit: String
        /// One point per session with a value: days since the first dated session (or the
        /// session's position when undated) and the value.
        public var points: [FlagTrendPoint]
        /// The sessions' keys, in the order of `points`.
        public var sessionKeys: [String]
        /// Robust slope, unit per 30 days (per 10 sessions when undated); nil with fewer than 3 points.
        public var slopePer30Days: Double?
        /// Median over the sessions.
        public var median: Double?
        /// Robust spread (1.4826 × MAD).
        public var spread: Double?

        enum CodingKeys: String, CodingKey {
            case measure, words, unit, points
            case sessionKeys = "session_keys"
            case slopePer30Days = "slope_per_30_days"
            case median, spread
        }
    }

    /// One shoe's wear.
    public struct ShoeTrend: Sendable, Codable, Equatable {
        /// The shoe.
        public var shoe: ShoeInfo
        /// Runs recorded in it.
        public var runCount: Int
        /// Declared distance plus the known distances of its runs, km.
        public var distanceKm: Double
        /// Median impact of its first comparable runs and of its latest ones, g; nil until it has enough runs.
        public var firstRunsImpactG: Double?, recentImpactG: Double?
        /// Rise of the recent impact over the first runs, %.
        public var impactRisePct: Double?
        /// Impact per comparable run in order (x: run number).
        public var points: [FlagTrendPoint]

        enum CodingKeys: String, CodingKey {
            case shoe
            case runCount = "run_count"
            case distanceKm = "distance_km"
            case firstRunsImpactG = "first_runs_impact_g"
            case recentImpactG = "recent_impact_g"
            case impactRisePct = "impact_rise_pct"
            case points
        }
    }

    /// Running time per week (Monday 00:00 UTC), minutes.
    public struct Week: Sendable, Codable, Equatable {
        public var start: Date
        public var runningMinutes: Double
        public var sessionCount: Int
        /// Highest pain score logged in the week.
        public var maximumPain: Int?

        enum CodingKeys: String, CodingKey {
            case start
            case runningMinutes = "running_minutes"
            case sessionCount = "session_count"
            case maximumPain = "maximum_pain"
        }
    }

    /// Sessions in the history.
    public var sessionCount: Int
    /// First and last dated sessions.
    public var firstDate: Date?, lastDate: Date?
    /// Per measure.
    public var metrics: [MetricTrend]
    /// Per week.
    public var weeks: [Week]
    /// Per shoe.
    public var shoes: [ShoeTrend]
    /// Pain score per session with one (x as in `metrics`).
    public var pain: [FlagTrendPoint]

    enum CodingKeys: String, CodingKey {
        case sessionCount = "session_count"
        case firstDate = "first_date"
        case lastDate = "last_date"
        case metrics, weeks, shoes, pain
    }

    /// The measures followed across sessions.
    static let measures: [(key: String, words: String, unit: String, read: @Sendable (SessionFacts) -> Double?)] = [
        ("cadence_spm", "cadence", "steps/min", { $0.cadenceSpm }),
        ("impact_peak_g", "impact", "g", { $0.reliableMedian(.impactPeakG) }),
        ("loading_rate_g_per_s", "loading rate", "g/s", { $0.reliableMedian(.loadingRateGPerS) }),
        ("braking_peak_g", "braking", "g", { $0.median(.brakingPeakG) }),
        ("ground_contact_time_s", "ground contact time", "s", { $0.median(.groundContactTimeS) }),
        ("pelvis_tilt_deg", "pelvis tilt", "deg", { $0.median(.pelvisTiltDeg) }),
        ("step_time_s.symmetry_index_pct", "step-time symmetry index", "%", { $0.symmetryIndexPct[GaitMetric.stepTimeS.rawValue] }),
        ("ground_contact_time_s.symmetry_index_pct", "contact-time symmetry index", "%", { $0.symmetryIndexPct[GaitMetric.groundContactTimeS.rawValue] }),
        ("impact_peak_g.symmetry_index_pct", "impact symmetry index", "%", { $0.measuresImpact ? $0.symmetryIndexPct[GaitMetric.impactPeakG.rawValue] : nil }),
        ("running_time_min", "running time", "min", { $0.runningTimeS > 0 ? $0.runningTimeS / 60 : nil }),
    ]

    /// The trends of `history` (any order; running sessions are used for gait measures).
    public init(history: [SessionFacts], shoes: [ShoeInfo] = []) {
        let sessions = history.sortedByStart()
        let dates = sessions.compactMap(\.startedAt)
        let first = dates.min()
        sessionCount = sessions.count
        firstDate = first
        lastDate = dates.max()
        let dated = first != nil && dates.count == sessions.count
        func x(_ index: Int, _ f: SessionFacts) -> Double {
            if dated, let start = f.startedAt, let first { return start.timeIntervalSince(first) / 86_400 }
            return Double(index)
        }
        metrics = Self.measures.map { m in
            var points: [FlagTrendPoint] = [], keys: [String] = []
            for (i, f) in sessions.enumerated() where f.primaryActivity == .running || m.key == "running_time_min" {
                if let v = m.read(f) {
                    points.append(FlagTrendPoint(x: x(i, f), value: v))
                    keys.append(f.sessionKey)
                }
            }
            let values = points.map(\.value)
            let slope = points.count >= 3 ? RobustStatistics.theilSenSlope(x: points.map(\.x), y: values).map { $0 * (dated ? 30 : 10) } : nil
            return MetricTrend(measure: m.key, words: m.words, unit: m.unit, points: points, sessionKeys: keys,
                               slopePer30Days: slope, median: RobustStatistics.median(values), spread: RobustStatistics.robustSD(values))
        }
        pain = sessions.enumerated().compactMap { i, f in f.painScore.map { FlagTrendPoint(x: x(i, f), value: Double($0)) } }
        // Weeks from Monday 00:00 UTC.
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var weeks: [Date: Week] = [:]
        for f in sessions {
            guard let start = f.startedAt, let week = calendar.dateInterval(of: .weekOfYear, for: start)?.start else { continue }
            var w = weeks[week] ?? Week(start: week, runningMinutes: 0, sessionCount: 0, maximumPain: nil)
            w.runningMinutes += f.runningTimeS / 60
            w.sessionCount += 1
            if let p = f.painScore { w.maximumPain = max(w.maximumPain ?? 0, p) }
            weeks[week] = w
        }
        self.weeks = weeks.values.sorted { $0.start < $1.start }
        self.shoes = shoes.map { shoe in
            let runs = sessions.filter { $0.shoeKey == shoe.key }
            let distance = shoe.declaredDistanceKm + runs.compactMap(\.distanceKm).reduce(0, +)
            let wear = runs.isEmpty ? nil : ShoeWearRule.wear(runs: runs)
            return ShoeTrend(shoe: shoe, runCount: runs.count, distanceKm: distance, firstRunsImpactG: wear?.firstImpactG,
                             recentImpactG: wear?.recentImpactG, impactRisePct: wear.map { $0.impactRise * 100 },
                             points: (wear?.comparableRuns ?? []).enumerated().compactMap { i, f in
                                 f.median(.impactPeakG).map { FlagTrendPoint(x: Double(i + 1), value: $0) }
                             })
        }
    }
}
