import GaitDSP

/// Late-run change, as an **observation**: form that leaves its early-run range as the run goes on
/// — cadence falling, contact time, impact, lean or asymmetry rising — located in time. Only a
/// change beyond the run's own noise counts (3 × the early minutes' spread, and at least the
/// measure's minimum change). Waist-sensor changes were seen only from 20–22 km of a marathon
/// (Clermont et al. 2019), speed explains much of them (Zandbergen et al. 2023), and no study
/// links them to injury (Dimmick et al. 2023): shown with its numbers, not as a risk.
enum LateRunRule {
    /// The measures followed.
    static let measures: [TimelineMeasure] = [.cadence, .impact, .groundContactTime, .pelvisTilt, .stepTimeAsymmetry, .impactAsymmetry]
    /// Fewest running minutes to judge a run's late part.
    static let minimumRunningMinutes = 15

    /// Where a measure leaves its early-run range for good.
    struct Onset {
        let measure: TimelineMeasure
        /// When the change starts, seconds from the first sample (hinge fit).
        let startS: Double
        /// First minute from which the measure stays beyond the early range, seconds.
        let beyondFromS: Double
        /// Early-run value and the value over the last fifth of the run.
        let early: Double, late: Double
        /// The change that counts as real.
        let minimumChange: Double
        /// Worsening at the end, in units of `minimumChange`.
        var ratio: Double { (late - early) * measure.worseDirection / minimumChange }
    }

    /// The onset of a lasting worsening of `measure`, or nil when it stays in its early range.
    static func onset(of measure: TimelineMeasure, in input: RuleInput) -> Onset? {
        let running = input.phases.running
        let earlyRange = input.phases.early
        guard running.count >= minimumRunningMinutes, earlyRange.count >= 3 else { return nil }
        // With the watch: only minutes at the early run's speed (±7.5 %) on near-level ground
        // count, so a faster finish or a hill is not taken for a change of form.
        let values = running.map { bin in input.isMatchedMinute(bin) ? bin.value(measure) : nil }
        let earlyValues = earlyRange.compactMap { values[$0] }
        guard earlyValues.count >= 3, let early = RobustStatistics.median(earlyValues) else { return nil }
        let spread = RobustStatistics.robustSD(earlyValues) ?? 0
        let minimumChange = measure.minimumChange(early: early)
        let limit = max(minimumChange, 3 * spread)
        let direction = measure.worseDirection
        // Smoothed deviation (running median of three minutes) so a single odd minute neither
        // starts nor breaks a lasting change.
        let deviation: [Double?] = values.indices.map { i in
            let window = values[max(0, i - 1)...min(values.count - 1, i + 1)].compactMap { $0 }
            return RobustStatistics.median(window).map { ($0 - early) * direction }
        }
        let lateCount = max(3, running.count / 5)
        guard let late = RobustStatistics.median(values.suffix(lateCount).compactMap { $0 }),
              (late - early) * direction >= limit else { return nil }
        // First minute after the early range from which every later minute stays beyond the limit.
        var beyondFrom: Int?
        for i in stride(from: running.count - 1, through: earlyRange.upperBound, by: -1) {
            guard let d = deviation[i] else { continue }
            if d >= limit { beyondFrom = i } else { break }
        }
        guard let from = beyondFrom, running.count - from >= 3 else { return nil }
        return Onset(measure: measure, startS: hingeStart(values: values, times: running.map(\.midS), early: early,
                                                          searchFrom: earlyRange.upperBound, upTo: from) ?? running[from].startS,
                     beyondFromS: running[from].startS, early: early, late: late, minimumChange: minimumChange)
    }

    /// The start of a change by a hinge fit: flat at the early value, then linear; the start time
    /// (a minute's midpoint between the early range and where the change became lasting) that
    /// leaves the least squared error.
    static func hingeStart(values: [Double?], times: [Double], early: Double, searchFrom: Int, upTo: Int) -> Double? {
        guard searchFrom <= upTo else { return nil }
        var best: (error: Double, start: Double)?
        for k in searchFrom...upTo {
            let t0 = times[k] - 30
            var sxy = 0.0, sxx = 0.0
            for i in values.indices {
                guard let v = values[i], times[i] > t0 else { continue }
                let x = times[i] - t0
                sxy += x * (v - early)
                sxx += x * x
            }
            let slope = sxx > 0 ? sxy / sxx : 0
            var error = 0.0
            for i in values.indices {
                guard let v = values[i] else { continue }
                let model = times[i] > t0 ? early + slope * (times[i] - t0) : early
                error += (v - model) * (v - model)
            }
            if best == nil || error < best!.error { best = (error, t0) }
        }
        return best?.start
    }

    static func evaluate(_ input: RuleInput) -> [GaitFlag] {
        guard input.isRun else { return [] }
        let followed = input.facts.measuresImpact ? measures : measures.filter { $0 != .impact && $0 != .impactAsymmetry }
        let onsets = followed.compactMap { onset(of: $0, in: input) }
        guard let first = onsets.min(by: { $0.startS < $1.startS }) else { return [] }
        let runStart = input.phases.running.first?.startS ?? 0
        let intoRun = max(0, first.startS - runStart)
        let clock = Self.clock(intoRun)
        let names = onsets.sorted { $0.startS < $1.startS }.map(\.measure.words)
        var evidence: [FlagEvidence] = []
        for o in onsets {
            evidence.append(FlagEvidence(measure: o.measure.rawValue, value: o.late, unit: o.measure.unit, reference: o.early,
                                         threshold: o.early + o.measure.worseDirection * o.minimumChange,
                                         comparison: o.measure.worseDirection > 0 ? "above" : "below", crossed: true))
            evidence.append(FlagEvidence(measure: o.measure.rawValue + ".onset_s", value: o.startS, unit: "s",
                                         comparison: "info", crossed: true))
        }
        let trendMeasure = first.measure
        let trend = input.phases.running.compactMap { b in b.value(trendMeasure).map { FlagTrendPoint(x: b.midS, value: $0) } }
        let changes = onsets.sorted { $0.startS < $1.startS }.map { o -> String in
            let percent = o.early != 0 ? String(format: " (%+.0f %%)", (o.late / o.early - 1) * 100) : ""
            return String(format: "%@ %.3g → %.3g %@%@", o.measure.words, o.early, o.late, o.measure.unit, percent)
        }
        return [GaitFlag(
            id: "late_run_degradation", topic: .lateRunDegradation, severity: .low,
            confidence: input.dataConfidence * min(1, 0.6 + 0.15 * Double(onsets.count) + 0.1 * (first.ratio - 1)),
            title: "Your form changed late in the run, from about \(clock) of running",
            explanation: "From about \(clock) into the run your \(names.joined(separator: ", ")) left the range of your early run and stayed out of it to the end: \(changes.joined(separator: "; ")). Form changes like this come with tiring and with changes of pace; they have not been linked to injury, so this is an observation.",
            reference: FlagReference(kind: .earlyRun, description: "your own minutes early in this run, after the warm-up"),
            evidence: evidence, trend: trend, onsetS: first.startS,
            advice: [
                "If your back hurt late in the run, log it: your pain log, not this measure, is what tells you to have it looked at.",
            ])]
    }

    /// "34:00" from seconds.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}
