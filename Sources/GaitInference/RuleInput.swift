import GaitDSP

/// Everything a flag rule may look at for one session, computed once.
struct RuleInput {
    let analysis: GaitAnalysis
    let context: InferenceContext
    /// This session's facts.
    let facts: SessionFacts
    /// The runner's sessions before this one, in start order.
    let earlier: [SessionFacts]
    /// The runner's normal from `earlier` (the runs at a similar speed when `matched`).
    let baseline: RunnerBaseline
    /// Whether `baseline` is matched for speed and slope (a watch file for this run and enough
    /// earlier ones at a similar speed).
    let matched: Bool
    /// This run minute by minute.
    let timeline: RunTimeline
    /// Warm-up and early-run phases of the running part.
    let phases: RunPhases
    /// With a watch file: the early run's median speed, m/s (the pace late-run minutes are matched to).
    let earlySpeedMPS: Double?
    /// With a watch file and a run that is not near-level: its near-level running minutes, which
    /// other sessions are compared with (nil: compare the whole run).
    let levelBins: [RunTimeline.Bin]?

    init(analysis: GaitAnalysis, context: InferenceContext) {
        self.analysis = analysis
        self.context = context
        var facts = SessionFacts(analysis: analysis, sessionKey: context.sessionKey, startedAt: context.startedAt,
                                 shoeKey: context.shoe?.key, distanceKm: context.distanceKm, painScore: context.painScore,
                                 painNextDay: context.painLastedIntoNextDay)
        let timeline = RunTimeline(analysis: analysis)
        if let speed = context.speed { facts.add(speed, timeline: timeline) }
        self.facts = facts
        self.earlier = context.earlierSessions
        // Matched for speed when this session and enough earlier ones have it: the runs within
        // `MatchedBaseline.speedTolerance` of this run's speed, near-level, make the baseline.
        let matchedRuns = MatchedBaseline.runs(earlier, like: facts)
        let matched = matchedRuns.count >= RunnerBaseline.minimumSessions
        self.matched = matched
        self.baseline = RunnerBaseline(history: matched ? matchedRuns : earlier)
        self.timeline = timeline
        let phases = RunPhases(timeline: timeline, usesImpact: facts.measuresImpact)
        self.phases = phases
        if let speed = context.speed {
            earlySpeedMPS = RobustStatistics.median(phases.early.compactMap {
                phases.running.indices.contains($0) ? speed.minute(at: phases.running[$0].startS + 1)?.speedMPS : nil
            })
            levelBins = (facts.absGradePct ?? 0) > MatchedBaseline.levelGradePct ? timeline.runningBins.filter { bin in
                guard let grade = speed.minute(at: bin.startS + 1)?.gradePct else { return false }
                return abs(grade) <= MatchedBaseline.levelGradePct
            } : nil
        } else {
            earlySpeedMPS = nil
            levelBins = nil
        }
    }

    /// Statistics of a metric over the primary activity.
    func statistics(_ metric: GaitMetric) -> MetricStatistics? {
        analysis.summary.metrics?.metrics[metric.rawValue]
    }

    /// Whether the session is a run with enough steps to judge running form.
    var isRun: Bool { analysis.summary.primaryActivity == .running && analysis.summary.stepCount >= 100 }

    /// Confidence from the amount of data: 0.5 with 100 steps, rising to 1 at 1,000.
    var dataConfidence: Double {
        let n = Double(analysis.summary.stepCount)
        return min(1, max(0.3, 0.5 + 0.5 * (n - 100) / 900))
    }

    /// The population reference with its description.
    static func population(_ description: String) -> FlagReference {
        FlagReference(kind: .population, description: description)
    }

    /// The runner-baseline reference.
    var baselineReference: FlagReference {
        let speedWords: String
        if matched, let v = facts.speedMPS {
            speedWords = String(format: ", at a similar speed (%.1f–%.1f m/s) and near-level: matched for speed and slope",
                                v * (1 - MatchedBaseline.speedTolerance), v * (1 + MatchedBaseline.speedTolerance))
        } else if facts.speedMPS != nil {
            speedWords = "; not matched for speed (fewer than \(RunnerBaseline.minimumSessions) earlier runs at a similar speed with a watch file)"
        } else {
            speedWords = "; not matched for speed (no watch file)"
        }
        return FlagReference(kind: .runnerBaseline,
                             description: "your own normal: median and spread of your last \(baseline.sessionCount) runs" + speedWords,
                             sessionCount: baseline.sessionCount)
    }

    /// Whether a minute of this run is at the early run's speed (±`MatchedBaseline.speedTolerance`)
    /// on near-level ground; every minute counts without a watch file.
    func isMatchedMinute(_ bin: RunTimeline.Bin) -> Bool {
        guard let speed = context.speed, let reference = earlySpeedMPS, reference > 0,
              let minute = speed.minute(at: bin.startS + 1), let v = minute.speedMPS else { return true }
        return abs(v / reference - 1) <= MatchedBaseline.speedTolerance && abs(minute.gradePct ?? 0) <= MatchedBaseline.levelGradePct
    }

    /// The session's median of a measure for comparing with other sessions: with a watch file and a
    /// run that is not near-level, the median of its near-level running minutes only (at least
    /// `minimumLevelMinutes` of them, else nil: the run is not comparable); otherwise the session
    /// median. Downhill running raises impact and braking, uphill lowers them (Mercer et al. 2005).
    func comparableMedian(_ metric: GaitMetric) -> Double? {
        guard let level = levelBins else {
            return ImpactMeasurement.metrics.contains(metric) ? facts.reliableMedian(metric) : facts.median(metric)
        }
        if ImpactMeasurement.metrics.contains(metric) && !facts.measuresImpact { return nil }
        guard level.count >= MatchedBaseline.minimumLevelMinutes else { return nil }
        let values: [Double] = level.compactMap { bin in
            switch metric {
            case .impactPeakG: bin.impactPeakG
            case .brakingPeakG: bin.brakingPeakG
            case .groundContactTimeS: bin.groundContactTimeS
            case .loadingRateGPerS: bin.loadingRateGPerS
            default: nil
            }
        }
        return RobustStatistics.median(values)
    }

    /// The session's cadence for comparing with other sessions (near-level minutes of a hilly run, as above).
    var comparableCadence: Double? {
        guard let level = levelBins else { return facts.cadenceSpm }
        guard level.count >= MatchedBaseline.minimumLevelMinutes else { return nil }
        return RobustStatistics.median(level.compactMap(\.cadenceSpm))
    }

    /// Confidence factor of a between-session comparison: 1 when matched for speed, else lower.
    var matchConfidence: Double { matched ? 1 : MatchedBaseline.unmatchedConfidence }
}

/// The phases of a run's running minutes: an easier start (warm-up) and the early-run range that
/// late-run changes are measured from.
struct RunPhases {
    /// Running minutes in time order.
    let running: [RunTimeline.Bin]
    /// Number of leading running minutes that were clearly easier than the minutes after them.
    let easyStartBinCount: Int
    /// Walking before the first running minute, seconds.
    let walkingBeforeRunS: Double
    /// Indices into `running` of the early-run range (after the warm-up).
    let early: Range<Int>

    init(timeline: RunTimeline, usesImpact: Bool) {
        let running = timeline.runningBins
        self.running = running
        let firstRunStart = running.first?.startS ?? .infinity
        self.walkingBeforeRunS = Double(timeline.bins.filter { $0.runningShare < 0.2 && $0.startS < firstRunStart }.count) * timeline.binS
        // A leading minute is "easier" while its cadence or impact is clearly below the run's main
        // level (1.5 % cadence, 4 % impact: half the late-run thresholds). The main level is the
        // median of the minutes from a quarter to 60 % of the run: after any warm-up, before fatigue.
        let main = running.count >= 4 ? Array(running[(running.count / 4)..<max(running.count / 4 + 1, running.count * 3 / 5)]) : []
        let cadenceMain = RobustStatistics.median(main.compactMap(\.cadenceSpm))
        let impactMain = RobustStatistics.median(main.compactMap(\.impactPeakG))
        var easy = 0
        while easy < running.count / 3 {
            let bin = running[easy]
            let slower = RunPhases.isBelow(bin.cadenceSpm, cadenceMain, factor: 0.985)
            let softer = usesImpact && RunPhases.isBelow(bin.impactPeakG, impactMain, factor: 0.96)
            if !(slower || softer) { break }
            easy += 1
        }
        self.easyStartBinCount = easy
        // The early range: from the minute after the warm-up (skipping one transition minute),
        // a quarter of the run but at least 5 and at most 12 minutes.
        let start = min(running.count, easy + 1)
        let length = min(12, max(5, running.count / 4))
        self.early = start..<min(running.count, start + length)
    }

    /// Whether `value` is below `reference × factor` (false when either is unknown).
    static func isBelow(_ value: Double?, _ reference: Double?, factor: Double) -> Bool {
        guard let value, let reference else { return false }
        return value < reference * factor
    }
}
