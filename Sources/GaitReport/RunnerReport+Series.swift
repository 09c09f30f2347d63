import Foundation
import GaitDSP
import GaitInference

/// The rows and series of the runner report.
extension RunnerReport {
    /// A flag as the session list shows it.
    public struct FlagSummary: Sendable, Codable, Equatable {
        /// Stable flag id, e.g. "asymmetry.impact_peak_g".
        public var id: String
        /// How much it matters.
        public var severity: FlagSeverity
        /// Headline.
        public var title: String
        /// Whether it advised seeing a physiotherapist or doctor.
        public var seeProfessional: Bool
        /// The first measurement that crossed its threshold (the flag's headline number).
        public var mainEvidence: FlagEvidence?

        /// The summary of a flag.
        public init(_ flag: GaitFlag) {
            self.init(id: flag.id, severity: flag.severity, title: flag.title, seeProfessional: flag.seeProfessional,
                      mainEvidence: flag.evidence.first { $0.crossed })
        }

        /// Creates a summary from its parts.
        public init(id: String, severity: FlagSeverity, title: String, seeProfessional: Bool, mainEvidence: FlagEvidence? = nil) {
            self.id = id
            self.severity = severity
            self.title = title
            self.seeProfessional = seeProfessional
            self.mainEvidence = mainEvidence
        }

        enum CodingKeys: String, CodingKey {
            case id, severity, title
            case seeProfessional = "see_professional"
            case mainEvidence = "main_evidence"
        }
    }

    /// One session of the runner.
    public struct SessionRow: Sendable, Codable, Equatable {
        /// The session's key (its id in the store).
        public var sessionKey: String
        /// Start (UTC), when known.
        public var startedAt: Date?
        /// Position on the report's time axis (days since the first session, or the session's position).
        public var x: Double
        /// Shoe worn: its key in the store and its name.
        public var shoeKey: String?, shoeName: String?
        /// Time running and walking, seconds.
        public var runningTimeS: Double, walkingTimeS: Double
        /// Running or walking.
        public var primaryActivity: ActivityKind?
        /// Steps of the primary activity.
        public var stepCount: Int
        /// Session medians (keys: `GaitMetric` raw values and "cadence_spm").
        public var medians: [String: Double]
        /// Symmetry index per metric, % (Robinson et al. 1987; + = left larger).
        public var symmetryIndexPct: [String: Double]
        /// Its 95 % interval per metric, [low, high] %.
        public var symmetryIndexCI95Pct: [String: [Double]]
        /// Whether impact and loading rate were measurable (≥ 100 Hz).
        public var measuresImpact: Bool
        /// Highest pain score logged.
        public var painScore: Int?
        /// The pain and notes log.
        public var painLog: [PainNote]
        /// The session's flags.
        public var flags: [FlagSummary]

        /// The row of a session.
        public init(facts: SessionFacts, x: Double, shoeName: String?, flags: [GaitFlag], painLog: [PainNote]) {
            sessionKey = facts.sessionKey
            startedAt = facts.startedAt
            self.x = x
            shoeKey = facts.shoeKey
            self.shoeName = shoeName
            runningTimeS = facts.runningTimeS
            walkingTimeS = facts.walkingTimeS
            primaryActivity = facts.primaryActivity
            stepCount = facts.stepCount
            medians = facts.medians
            symmetryIndexPct = facts.symmetryIndexPct
            symmetryIndexCI95Pct = facts.symmetryIndexCI95Pct ?? [:]
            measuresImpact = facts.measuresImpact
            painScore = facts.painScore
            self.painLog = painLog
            // Flags as stored; a history from facts alone still names the flags raised.
            let summaries = flags.map(FlagSummary.init)
            let missing = facts.flagIDs.filter { id in !flags.contains { $0.id == id } }
            self.flags = summaries + missing.map { FlagSummary(id: $0, severity: .low, title: $0, seeProfessional: false) }
        }

        /// Whether the session raised the flag with this id.
        public func raised(_ flagID: String) -> Bool { flags.contains { $0.id == flagID } }

        enum CodingKeys: String, CodingKey {
            case sessionKey = "session_key"
            case startedAt = "started_at"
            case x
            case shoeKey = "shoe_key"
            case shoeName = "shoe"
            case runningTimeS = "running_time_s"
            case walkingTimeS = "walking_time_s"
            case primaryActivity = "primary_activity"
            case stepCount = "step_count"
            case medians
            case symmetryIndexPct = "symmetry_index_pct"
            case symmetryIndexCI95Pct = "symmetry_index_ci95_pct"
            case measuresImpact = "measures_impact"
            case painScore = "pain_score"
            case painLog = "pain_log"
            case flags
        }
    }

    /// One value of a session on the time axis.
    public struct SeriesPoint: Sendable, Codable, Equatable {
        /// Position on the time axis.
        public var x: Double
        /// The value, in the series' unit.
        public var value: Double
        /// The session's key.
        public var sessionKey: String
        /// Whether the session raised the series' flag.
        public var flagged: Bool
        /// The value's 95 % interval, when it has one (symmetry indices).
        public var low: Double? = nil
        public var high: Double? = nil

        enum CodingKeys: String, CodingKey {
            case x, value
            case sessionKey = "session_key"
            case flagged
            case low = "ci95_low", high = "ci95_high"
        }
    }

    /// A measure across sessions.
    public struct MeasureSeries: Sendable, Codable, Equatable {
        /// Machine name of the measure, e.g. "impact_peak_g.symmetry_index_pct".
        public var measure: String
        /// The flag the series belongs to, e.g. "asymmetry.impact_peak_g".
        public var flagID: String
        /// Words for people.
        public var words: String
        /// Unit of the values.
        public var unit: String
        /// A plain threshold on the value when the flag used one (± for symmetry indices); nil when
        /// the flag compares with the runner's baseline instead.
        public var threshold: Double?
        /// Whether the threshold applies either way (symmetry indices).
        public var thresholdBothWays: Bool
        /// Sessions that raised the flag.
        public var flaggedSessionCount: Int
        /// One point per running session with a value.
        public var points: [SeriesPoint]
        /// Whether the points are the flag's own measurement in the sessions that raised it (a flag
        /// about the course of one run), rather than a session measure of every session.
        public var fromFlagEvidence: Bool = false

        enum CodingKeys: String, CodingKey {
            case measure
            case flagID = "flag_id"
            case words, unit, threshold
            case thresholdBothWays = "threshold_both_ways"
            case flaggedSessionCount = "flagged_session_count"
            case points
            case fromFlagEvidence = "from_flag_evidence"
        }
    }

    /// One shoe: impact per run in it against its first runs.
    public struct ShoeSeries: Sendable, Codable, Equatable {
        /// The shoe's key in the store.
        public var key: String
        /// Its name.
        public var name: String
        /// Runs recorded in it.
        public var runCount: Int
        /// Declared plus recorded distance, km.
        public var distanceKm: Double
        /// Median impact of its first comparable runs and of its latest ones, g (after enough runs).
        public var firstRunsImpactG: Double?, recentImpactG: Double?
        /// Rise of the recent impact over the first runs, %.
        public var impactRisePct: Double?
        /// Impact median per run in this shoe (x: the run's number in the shoe, 1, 2, …).
        public var points: [SeriesPoint]

        /// The series of a shoe trend, with every run in it from the session rows.
        public init(trend: RunnerTrends.ShoeTrend, rows: [SessionRow]) {
            key = trend.shoe.key
            name = trend.shoe.name
            runCount = trend.runCount
            distanceKm = trend.distanceKm
            firstRunsImpactG = trend.firstRunsImpactG
            recentImpactG = trend.recentImpactG
            impactRisePct = trend.impactRisePct
            let runs = rows.filter { $0.shoeKey == trend.shoe.key && $0.primaryActivity == .running && $0.measuresImpact }
            points = runs.enumerated().compactMap { i, row in
                row.medians[GaitMetric.impactPeakG.rawValue].map {
                    SeriesPoint(x: Double(i + 1), value: $0, sessionKey: row.sessionKey, flagged: row.flags.contains { $0.id.hasPrefix("shoe_wear.") })
                }
            }
        }

        enum CodingKeys: String, CodingKey {
            case key, name
            case runCount = "run_count"
            case distanceKm = "distance_km"
            case firstRunsImpactG = "first_runs_impact_g"
            case recentImpactG = "recent_impact_g"
            case impactRisePct = "impact_rise_pct"
            case points
        }
    }

    /// The measures the asymmetry flag follows, as symmetry index per running session.
    static func asymmetrySeries(rows: [SessionRow]) -> [MeasureSeries] {
        [GaitMetric.stepTimeS, .groundContactTimeS, .impactPeakG, .loadingRateGPerS, .brakingPeakG].compactMap { metric in
            let threshold = metric.populationAsymmetryThresholdPct
            let flagID = "asymmetry." + metric.rawValue
            let points = rows.compactMap { row -> SeriesPoint? in
                guard row.primaryActivity == .running, row.measuresImpact || !ImpactMeasurement.metrics.contains(metric),
                      let si = row.symmetryIndexPct[metric.rawValue] else { return nil }
                let ci = row.symmetryIndexCI95Pct[metric.rawValue]
                return SeriesPoint(x: row.x, value: si, sessionKey: row.sessionKey, flagged: row.raised(flagID),
                                   low: ci?.first, high: ci?.last)
            }
            guard !points.isEmpty || threshold != nil else { return nil }
            return MeasureSeries(measure: metric.rawValue + ".symmetry_index_pct", flagID: flagID, words: LeftRightRow.words(metric) + " symmetry index",
                                 unit: "%", threshold: threshold, thresholdBothWays: true,
                                 flaggedSessionCount: rows.filter { $0.raised(flagID) }.count, points: points)
        }
    }

    /// Every flag raised in some session, with the session measure it is about across all sessions
    /// (or, for flags about something within a run, the flag's own first crossed measurement in
    /// the sessions that raised it).
    static func flaggedSeries(rows: [SessionRow]) -> [MeasureSeries] {
        var ids: [String] = []
        for row in rows { for flag in row.flags where !ids.contains(flag.id) { ids.append(flag.id) } }
        return ids.map { id in
            let flaggedCount = rows.filter { $0.raised(id) }.count
            if let reader = sessionMeasure(forFlag: id) {
                let points = rows.compactMap { row -> SeriesPoint? in
                    guard row.primaryActivity == .running || reader.key == "running_time_min", let v = reader.read(row) else { return nil }
                    return SeriesPoint(x: row.x, value: v, sessionKey: row.sessionKey, flagged: row.raised(id))
                }
                let threshold = id.hasPrefix("asymmetry.") ? GaitMetric(rawValue: String(id.dropFirst("asymmetry.".count)))?.populationAsymmetryThresholdPct : nil
                return MeasureSeries(measure: reader.key, flagID: id, words: reader.words, unit: reader.unit, threshold: threshold,
                                     thresholdBothWays: id.hasPrefix("asymmetry."), flaggedSessionCount: flaggedCount, points: points)
            }
            // About the course of one run (late-run change, warm-up): the flag's headline number where it was raised.
            var points: [SeriesPoint] = [], measure = id, unit = ""
            for row in rows {
                guard let evidence = row.flags.first(where: { $0.id == id })?.mainEvidence else { continue }
                if points.isEmpty { measure = evidence.measure; unit = evidence.unit }
                guard evidence.measure == measure else { continue }
                points.append(SeriesPoint(x: row.x, value: evidence.value, sessionKey: row.sessionKey, flagged: true))
            }
            return MeasureSeries(measure: measure, flagID: id, words: SessionReport.measureWords(measure), unit: unit,
                                 threshold: nil, thresholdBothWays: false, flaggedSessionCount: flaggedCount, points: points,
                                 fromFlagEvidence: true)
        }
    }

    /// The session measure a flag is about, read from a session row; nil for flags about the
    /// course of one run (late-run degradation, warm-up).
    static func sessionMeasure(forFlag id: String) -> (key: String, words: String, unit: String, read: (SessionRow) -> Double?)? {
        func median(_ metric: GaitMetric) -> (String, String, String, (SessionRow) -> Double?) {
            (metric.rawValue, LeftRightRow.words(metric), LeftRightRow.unit(metric), { row in
                ImpactMeasurement.metrics.contains(metric) && !row.measuresImpact ? nil : row.medians[metric.rawValue]
            })
        }
        func symmetry(_ metric: GaitMetric) -> (String, String, String, (SessionRow) -> Double?) {
            (metric.rawValue + ".symmetry_index_pct", LeftRightRow.words(metric) + " symmetry index", "%", { row in
                ImpactMeasurement.metrics.contains(metric) && !row.measuresImpact ? nil : row.symmetryIndexPct[metric.rawValue]
            })
        }
        func measure(_ key: String) -> (String, String, String, (SessionRow) -> Double?)? {
            if key == SessionFacts.cadenceKey { return (key, "cadence", "steps/min", { $0.medians[SessionFacts.cadenceKey] }) }
            if key == "running_time_min" { return (key, "running time", "min", { $0.runningTimeS > 0 ? $0.runningTimeS / 60 : nil }) }
            if let metric = GaitMetric(rawValue: key) { return median(metric) }
            if key.hasSuffix(".symmetry_index_pct"), let metric = GaitMetric(rawValue: String(key.dropLast(".symmetry_index_pct".count))) {
                return symmetry(metric)
            }
            return nil
        }
        let found: (String, String, String, (SessionRow) -> Double?)?
        switch id {
        case "overstriding": found = measure(SessionFacts.cadenceKey)
        case "posture": found = median(.pelvisTiltDeg)
        case "high_impact": found = median(.impactPeakG)
        case "overuse": found = measure("running_time_min")
        default:
            if id.hasPrefix("asymmetry.") { found = measure(String(id.dropFirst("asymmetry.".count)) + ".symmetry_index_pct") }
            else if id.hasPrefix("shoe_wear.") { found = median(.impactPeakG) }
            else if id.hasPrefix("pain_link.") { found = measure(String(id.dropFirst("pain_link.".count))) }
            else { found = nil }
        }
        return found.map { (key: $0.0, words: $0.1, unit: $0.2, read: $0.3) }
    }
}
