import GaitInference
import GaitSynth

/// The scenario suite: healthy runs that must raise no flag, and for every flag kind runs with
/// the condition that must raise it. Every run has its own random runner (cadence, speed, impact,
/// clip orientation, sampling rate, noise), so the suite checks the physics, not a few files.
public enum ScenarioCatalogue {
    /// `count` healthy runs of 12–35 minutes with a warm-up, and no history.
    public static func healthy(count: Int, seed: UInt64 = 1) -> [Scenario] {
        (0..<count).map { i in
            let s = seed &* 1_000_003 &+ UInt64(i)
            let runner = SyntheticRunner.healthy(seed: s)
            var rng = SynthRandom(seed: s, stream: 0x4845_414C)
            let runS = 720 + 1380 * rng.nextUnit()
            return Scenario(name: "healthy #\(i)", expected: nil,
                            config: runner.config(segments: runner.healthyPlan(runS: runS, seed: s), seed: s))
        }
    }

    /// `count` healthy runs of runners with a history: four weeks of three 30–40 min runs a week in
    /// the same shoe (each a short usual run for the gait, see `HistorySession.runningTimeS`), so
    /// every baseline, the training-load ratio and the shoe's first runs are in play. Half the
    /// runners stand still for a minute before each run (a standing posture calibration).
    public static func healthyWithHistory(count: Int, seed: UInt64 = 1) -> [Scenario] {
        (0..<count).map { i in
            let s = seed &* 2_000_003 &+ UInt64(i) &+ 77
            let runner = SyntheticRunner.healthy(seed: s)
            var rng = SynthRandom(seed: s, stream: 0x4849_5354)
            let standing = i % 2 == 1
            let shoe = ShoeInfo(key: "shoe-\(i)", name: "Shoe \(i)")
            var history: [HistorySession] = []
            // Three runs a week; this session is the third of the last week.
            for week in 0..<4 {
                for run in 0..<(week == 3 ? 2 : 3) {
                    let k = UInt64(week * 3 + run)
                    let usual: [SynthSegment] = (standing ? [.standing(durationS: 60)] : []) + [runner.running(durationS: 360)]
                    history.append(HistorySession(config: runner.config(segments: usual, seed: s &+ 1000 &+ k),
                                                  daysBefore: Double(28 - 7 * week - 2 * run) - 1, shoeKey: shoe.key,
                                                  runningTimeS: 1800 + 600 * rng.nextUnit()))
                }
            }
            let runS = 1500 + 900 * rng.nextUnit()
            let plan = (standing ? [SynthSegment.standing(durationS: 60)] : []) + runner.healthyPlan(runS: runS, seed: s)
            return Scenario(name: "healthy with history #\(i)", expected: nil, config: runner.config(segments: plan, seed: s),
                            history: history, shoe: shoe)
        }
    }

    /// `count` runs with the condition behind `kind`, each expected to raise it at the severity given.
    public static func condition(_ kind: FlagKind, count: Int, seed: UInt64 = 1) -> [Scenario] {
        (0..<count).map { i in
            let s = (seed &* 7_919 &+ UInt64(i)) &* 0x9E37_79B9 &+ UInt64(kind.rawValue.utf8.count)
            var runner = SyntheticRunner.healthy(seed: s)
            var rng = SynthRandom(seed: s, stream: 0x434F_4E44)
            func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
            let name = "\(kind.rawValue) #\(i)"
            if [.highImpact, .shoeWear, .painLink].contains(kind) {
                // Impact needs at least 100 Hz (ImpactMeasurement); slower recordings say so instead of flagging.
                runner.gait.sampleRateHz = max(ImpactMeasurement.minimumSampleRateHz, runner.gait.sampleRateHz)
            }
            switch kind {
            case .overstriding:
                // Long slow steps: low cadence, hard braking, long contact.
                runner.cadenceSpm = uniform(146, 154)
                runner.gait.brakingPeakG = uniform(1.15, 1.4)
                runner.gait.contactTimeS = uniform(0.31, 0.34)
                let runS = uniform(900, 1500)
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: runner.healthyPlan(runS: runS, seed: s), seed: s))
            case .posture:
                if i % 2 == 1 {
                    // Standing-calibrated runs: six usual ones, then one with 6–9° more forward tilt.
                    let history = (0..<6).map { k in
                        HistorySession(config: runner.config(segments: [.standing(durationS: 60), runner.running(durationS: 360)],
                                                             seed: s &+ 500 &+ UInt64(k)), daysBefore: Double(2 * (6 - k)))
                    }
                    runner.gait.leanDeg += uniform(6, 9)
                    return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                    config: runner.config(segments: [.standing(durationS: 60), runner.running(durationS: uniform(600, 1200))], seed: s),
                                    history: history)
                }
                // Forward lean that grows from 40 % of the run by 14–20°/h.
                let runS = uniform(1800, 2400)
                runner.gait.fatigueOnsetS = 300 + 0.4 * runS
                runner.gait.leanDriftDegPerHour = uniform(14, 20)
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: warmUpThenRun(runner, runS), seed: s))
            case .asymmetry:
                // One clearly asymmetric measure, either side.
                let sign: Double = rng.nextUnit() < 0.5 ? -1 : 1
                let measure = i % 3
                if measure == 1 { runner.gait.sampleRateHz = max(ImpactMeasurement.minimumSampleRateHz, runner.gait.sampleRateHz) }
                switch measure {
                case 0: runner.gait.stepTimeAsymmetryPct = sign * uniform(7, 10)
                case 1: runner.gait.impactAsymmetryPct = sign * uniform(18, 25)
                default: runner.gait.contactTimeAsymmetryPct = sign * uniform(10, 14)
                }
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1500), seed: s), seed: s))
            case .highImpact:
                // Half: impact beyond the population range; half: a hard-surface run against a baseline of usual runs.
                if i % 2 == 0 {
                    runner.gait.impactPeakG = uniform(4.5, 5.2)
                    return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                    config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1500), seed: s), seed: s))
                }
                let history = usualRuns(runner, count: 6, seed: s)
                runner.gait.impactPeakG *= uniform(1.25, 1.35)
                runner.gait.impactRiseTimeS *= 0.75
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1500), seed: s), seed: s),
                                history: history)
            case .lateRunDegradation:
                // Fatigue from 40–50 % of a 35–45 min run: cadence falls, contact and impact rise
                // (by the end: cadence −4 to −7 %, contact +7 to +11 %, impact +12 to +19 %).
                let runS = uniform(2100, 2700)
                runner.gait.fatigueOnsetS = 300 + uniform(0.4, 0.5) * runS
                runner.gait.cadenceDriftPctPerHour = -uniform(12, 16)
                runner.gait.impactDriftPctPerHour = uniform(35, 45)
                runner.gait.contactTimeDriftPctPerHour = uniform(20, 25)
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: warmUpThenRun(runner, runS), seed: s))
            case .noWarmUp:
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1800), seed: s, warmUp: false), seed: s))
            case .overuse:
                // Four weeks of three 30–40 min runs, then a week of five 50–60 min runs.
                var history: [HistorySession] = []
                let short = runner.config(segments: [runner.running(durationS: 240)], seed: s &+ 99)
                for week in 1...4 {
                    for run in 0..<3 {
                        history.append(HistorySession(config: short, daysBefore: Double(7 * week) + Double(run * 2) + 1,
                                                      runningTimeS: uniform(1800, 2400)))
                    }
                }
                for day in [1.0, 2, 4, 5] {
                    history.append(HistorySession(config: short, daysBefore: day, runningTimeS: uniform(3000, 3600)))
                }
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(3000, 3600), seed: s), seed: s),
                                history: history)
            case .shoeWear:
                // Five first runs in the shoe, then runs whose impact rises to +18–25 %.
                let shoe = ShoeInfo(key: "shoe-\(i)", name: "Test shoe \(i)")
                let rise = uniform(0.18, 0.25)
                var history: [HistorySession] = []
                for k in 0..<10 {
                    var r = runner
                    r.gait.impactPeakG *= 1 + (k < 5 ? 0 : rise * Double(k - 4) / 6)
                    history.append(HistorySession(config: r.config(segments: [r.running(durationS: 360)], seed: s &+ UInt64(k)),
                                                  daysBefore: Double(30 - 3 * k), shoeKey: shoe.key))
                }
                runner.gait.impactPeakG *= 1 + rise
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: [runner.running(durationS: 600)], seed: s), history: history, shoe: shoe)
            case .painLink:
                // Sixteen sessions whose pain score follows their impact (with noise).
                var history: [HistorySession] = []
                for k in 0..<15 {
                    var r = runner
                    let level = rng.nextUnit()
                    r.gait.impactPeakG = 2.5 + 1.1 * level
                    let pain = max(0, min(10, Int((level * 7 + rng.nextGaussian() * 0.8).rounded())))
                    history.append(HistorySession(config: r.config(segments: [r.running(durationS: 300)], seed: s &+ UInt64(k)),
                                                  daysBefore: Double(50 - 3 * k), painScore: pain))
                }
                runner.gait.impactPeakG = 3.5
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: [runner.running(durationS: 300)], seed: s), history: history,
                                painScore: 6)
            }
        }
    }

    /// A 3–5 min walk, then `runS` of running.
    static func warmUpThenRun(_ runner: SyntheticRunner, _ runS: Double) -> [SynthSegment] {
        [.walking(durationS: 300, cadenceSpm: 112, speedMps: 1.4), runner.running(durationS: runS)]
    }

    /// `count` usual short runs of the runner on the days before.
    static func usualRuns(_ runner: SyntheticRunner, count: Int, seed: UInt64) -> [HistorySession] {
        (0..<count).map { k in
            HistorySession(config: runner.config(segments: [runner.running(durationS: 360)], seed: seed &+ 1000 &+ UInt64(k)),
                           daysBefore: Double(2 * (count - k)))
        }
    }
}
