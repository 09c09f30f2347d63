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

    /// `count` healthy runners whose pace varies by up to ±15 % between runs and within the run,
    /// whose clip sits differently in some sessions (a new resting orientation), with eight earlier
    /// runs: none may raise a warning. Pace moves the measures as running faster does (design
    /// choice, after Mercer et al. 2005 and Zandbergen et al. 2023): per +10 % of speed, cadence
    /// +2.5 %, impact +6 %, braking +5 %, contact time −5 %.
    public static func healthyVaryingPace(count: Int, seed: UInt64 = 1) -> [Scenario] {
        (0..<count).map { i in
            let s = seed &* 3_000_017 &+ UInt64(i) &+ 313
            let runner = SyntheticRunner.healthy(seed: s)
            var rng = SynthRandom(seed: s, stream: 0x5041_4345)
            func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
            var history: [HistorySession] = []
            for k in 0..<8 {
                var r = paced(runner, uniform(-0.15, 0.15))
                if rng.nextUnit() < 0.3 { r.gait.mountRotation = .random(seed: rng.next()) }
                history.append(HistorySession(config: r.config(segments: [r.running(durationS: 360)], seed: s &+ 700 &+ UInt64(k)),
                                              daysBefore: Double(3 * (8 - k)), runningTimeS: uniform(1800, 2400)))
            }
            var now = runner
            if rng.nextUnit() < 0.3 { now.gait.mountRotation = .random(seed: rng.next()) }
            let thirds = (0..<3).map { _ in paced(now, uniform(-0.15, 0.15)) }
            let segments = [SynthSegment.walking(durationS: 240, cadenceSpm: 110, speedMps: 1.4)]
                + thirds.map { $0.running(durationS: uniform(400, 600)) }
            var config = now.config(segments: segments, seed: s)
            config.impactPeakG = thirds.map(\.gait.impactPeakG).reduce(0, +) / 3
            return Scenario(name: "healthy varying pace #\(i)", expected: nil, config: config, history: history)
        }
    }

    /// The runner at a pace `delta` faster (−0.15…0.15) than usual.
    static func paced(_ runner: SyntheticRunner, _ delta: Double) -> SyntheticRunner {
        var r = runner
        r.speedMps *= 1 + delta
        r.cadenceSpm *= 1 + 0.25 * delta
        r.gait.impactPeakG *= 1 + 0.6 * delta
        r.gait.brakingPeakG *= 1 + 0.5 * delta
        r.gait.contactTimeS *= 1 - 0.5 * delta
        return r
    }

    /// Short and lengthening histories that must not raise `overuse` or `pain_link`: three steady
    /// weeks of three runs; and the case from issue 11 — runs every third day, each a minute longer,
    /// with pain that rises over the weeks while contact time drifts up with it (a time trend shared
    /// by pain and run length, not a link). Fourteen such runs reach 39 days, so the spike rule is
    /// in play too.
    public static func steadyAndLengtheningHistories(count: Int, seed: UInt64 = 1) -> [Scenario] {
        (0..<count).map { i in
            let s = seed &* 4_000_037 &+ UInt64(i) &+ 911
            var runner = SyntheticRunner.healthy(seed: s)
            runner.gait.sampleRateHz = max(ImpactMeasurement.minimumSampleRateHz, runner.gait.sampleRateHz)
            var rng = SynthRandom(seed: s, stream: 0x4C45_4E47)
            func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
            if i % 2 == 0 {
                var history: [HistorySession] = []
                for week in 0..<3 {
                    for run in 0..<3 {
                        history.append(HistorySession(config: runner.config(segments: [runner.running(durationS: 300)], seed: s &+ UInt64(10 * week + run)),
                                                      daysBefore: Double(7 * (3 - week) - 2 * run), runningTimeS: uniform(1900, 2100)))
                    }
                }
                return Scenario(name: "three steady weeks #\(i)", expected: nil,
                                config: runner.config(segments: [runner.running(durationS: 2000)], seed: s), history: history)
            }
            var history: [HistorySession] = []
            let runs = 14
            for k in 0..<runs {
                var r = runner
                r.gait.contactTimeS *= 1 + 0.006 * Double(k)
                let pain = max(0, min(4, Int((Double(k) * 0.28 + rng.nextGaussian() * 0.5).rounded())))
                history.append(HistorySession(config: r.config(segments: [r.running(durationS: 300)], seed: s &+ 40 &+ UInt64(k)),
                                              daysBefore: Double(3 * (runs - k)), painScore: pain,
                                              runningTimeS: Double(30 + k) * 60))
            }
            runner.gait.contactTimeS *= 1 + 0.006 * Double(runs)
            var scenario = Scenario(name: "lengthening runs, pain rising with time #\(i)", expected: nil,
                                    config: runner.config(segments: [runner.running(durationS: 300)], seed: s), history: history, painScore: 4)
            scenario.runningTimeS = Double(30 + runs) * 60
            return scenario
        }
    }

    /// `count` healthy runners with a watch: eight flat runs, then a mostly downhill one — 4 min
    /// blocks down (grade −5 to −8 %: 10 % faster, effort 1.5, so impact and braking rise as they do
    /// downhill), one up (+5 to +8 %: 15 % slower, effort 0.85) and three flat. None may raise a warning:
    /// with the watch, the hilly run is compared on its near-level minutes.
    public static func healthyHillyWithWatch(count: Int, seed: UInt64 = 1) -> [Scenario] {
        (0..<count).map { i in
            let s = seed &* 5_000_011 &+ UInt64(i) &+ 4242
            var runner = SyntheticRunner.healthy(seed: s)
            runner.gait.sampleRateHz = max(ImpactMeasurement.minimumSampleRateHz, runner.gait.sampleRateHz)
            var rng = SynthRandom(seed: s, stream: 0x4849_4C4C)
            func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
            func flatSpeed(minutes: Int, speed: Double) -> SessionSpeed {
                SessionSpeed(source: "synthetic watch", offsetS: 0, method: "clock", cadenceCorrelation: nil, cadenceDifferenceSPM: nil,
                             overlap: 1, distanceKm: nil,
                             minutes: (0..<minutes).map { SessionSpeed.Minute(startS: Double($0) * 60, speedMPS: speed, gradePct: uniform(-0.8, 0.8)) })
            }
            let history = (0..<8).map { k -> HistorySession in
                var h = HistorySession(config: runner.config(segments: [runner.running(durationS: 420)], seed: s &+ 900 &+ UInt64(k)),
                                       daysBefore: Double(3 * (8 - k)))
                h.speed = flatSpeed(minutes: 8, speed: runner.speedMps)
                return h
            }
            var segments: [SynthSegment] = [.walking(durationS: 240, cadenceSpm: 110, speedMps: 1.4)]
            var grades: [(durationS: Double, speed: Double, grade: Double)] = [(240, 1.4, 0)]
            // A route that is mostly downhill: flat, down, down, up, flat, down, down, flat.
            for block in [0, 2, 2, 1, 0, 2, 2, 0] {
                switch block {
                case 1:
                    segments.append(.running(durationS: 240, cadenceSpm: runner.cadenceSpm * 0.97, speedMps: runner.speedMps * 0.85, effort: 0.85))
                    grades.append((240, runner.speedMps * 0.85, uniform(5, 8)))
                case 2:
                    segments.append(.running(durationS: 240, cadenceSpm: runner.cadenceSpm * 1.02, speedMps: runner.speedMps * 1.1, effort: 1.5))
                    grades.append((240, runner.speedMps * 1.1, -uniform(5, 8)))
                default:
                    segments.append(runner.running(durationS: 240))
                    grades.append((240, runner.speedMps, uniform(-0.8, 0.8)))
                }
            }
            var minutes: [SessionSpeed.Minute] = []
            var t = 0.0
            for g in grades {
                var m = 0.0
                while m < g.durationS { minutes.append(SessionSpeed.Minute(startS: t + m, speedMPS: g.speed, gradePct: g.grade)); m += 60 }
                t += g.durationS
            }
            var scenario = Scenario(name: "healthy hilly run with a watch #\(i)", expected: nil, config: runner.config(segments: segments, seed: s),
                                    history: history)
            scenario.speed = SessionSpeed(source: "synthetic watch", offsetS: 0, method: "clock", cadenceCorrelation: nil,
                                          cadenceDifferenceSPM: nil, overlap: 1, distanceKm: nil, minutes: minutes)
            return scenario
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
                // Against the runner's own normal: cadence 10–14 % lower, braking 35–50 % harder.
                let history = usualRuns(runner, count: 6, seed: s)
                runner.cadenceSpm *= uniform(0.86, 0.90)
                runner.gait.brakingPeakG *= uniform(1.35, 1.5)
                runner.gait.contactTimeS *= uniform(1.05, 1.12)
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1500), seed: s), seed: s),
                                history: history)
            case .posture:
                // Forward lean that grows from 40 % of the run by 14–20°/h (an observation).
                let runS = uniform(1800, 2400)
                runner.gait.fatigueOnsetS = 300 + 0.4 * runS
                runner.gait.leanDriftDegPerHour = uniform(14, 20)
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: warmUpThenRun(runner, runS), seed: s))
            case .asymmetry:
                // Timing beyond Garmin's red zone without a baseline, or impact against the runner's own normal.
                let sign: Double = rng.nextUnit() < 0.5 ? -1 : 1
                let measure = i % 3
                var history: [HistorySession] = []
                switch measure {
                case 0: runner.gait.stepTimeAsymmetryPct = sign * uniform(11, 14)
                case 1:
                    runner.gait.sampleRateHz = max(ImpactMeasurement.minimumSampleRateHz, runner.gait.sampleRateHz)
                    history = usualRuns(runner, count: 6, seed: s)
                    runner.gait.impactAsymmetryPct = sign * uniform(20, 28)
                default: runner.gait.contactTimeAsymmetryPct = sign * uniform(12, 16)
                }
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1500), seed: s), seed: s),
                                history: history)
            case .highImpact:
                // A hard-surface run against the runner's usual runs: impact 32–42 % higher.
                let history = usualRuns(runner, count: 6, seed: s)
                runner.gait.impactPeakG *= uniform(1.32, 1.42)
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
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: warmUpThenRun(runner, runS), seed: s))
            case .noWarmUp:
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1800), seed: s, warmUp: false), seed: s))
            case .overuse:
                // Five weeks of three 30–40 min runs, then a 50–60 min run: more than 10 % beyond the longest.
                var history: [HistorySession] = []
                let short = runner.config(segments: [runner.running(durationS: 240)], seed: s &+ 99)
                for week in 0..<5 {
                    for run in 0..<3 {
                        history.append(HistorySession(config: short, daysBefore: Double(7 * week) + Double(run * 2) + 1,
                                                      runningTimeS: uniform(1800, 2400)))
                    }
                }
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(3000, 3600), seed: s), seed: s),
                                history: history)
            case .shoeWear:
                // Five first runs in the shoe, then runs whose impact rises to +26–32 % (beyond the 19 % MDC).
                let shoe = ShoeInfo(key: "shoe-\(i)", name: "Test shoe \(i)")
                let rise = uniform(0.26, 0.32)
                var history: [HistorySession] = []
                for k in 0..<10 {
                    var r = runner
                    r.gait.impactPeakG *= 1 + (k < 5 ? 0 : rise * Double(k - 4) / 6)
                    history.append(HistorySession(config: r.config(segments: [r.running(durationS: 360)], seed: s &+ UInt64(k)),
                                                  daysBefore: Double(30 - 3 * k), shoeKey: shoe.key))
                }
                runner.gait.impactPeakG *= 1 + rise
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: [runner.running(durationS: 600)], seed: s), history: history, shoe: shoe)
            case .painLink:
                // Sixteen sessions whose pain score follows their impact (with noise), not their date or length.
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
                                painScore: 5)
            case .pain:
                // Half: pain 5–8 after the run; half: pain rising over three runs (2 → 3 → 4).
                let strong = i % 2 == 0
                let history = strong ? [] : [2, 3].enumerated().map { k, pain in
                    HistorySession(config: runner.config(segments: [runner.running(durationS: 300)], seed: s &+ UInt64(k)),
                                   daysBefore: Double(4 - 2 * k), painScore: pain)
                }
                return Scenario(name: name, expected: kind, minimumSeverity: .moderate,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1500), seed: s), seed: s),
                                history: history, painScore: strong ? Int(uniform(5, 8.99)) : 4)
            case .clipMoved:
                // Six usual runs with the clip upright; then worn tilted 40–60°, with the
                // left/right impact it then shows (an off-centre clip; Kiernan et al. 2024).
                runner.gait.sampleRateHz = max(ImpactMeasurement.minimumSampleRateHz, runner.gait.sampleRateHz)
                // (GaitSynth's x axis is up: a turn about x keeps the clip upright, one about y tilts it.)
                let turn = uniform(0, 360)
                runner.gait.mountRotation = SynthRotation(xDeg: turn, yDeg: uniform(-8, 8), zDeg: uniform(-8, 8))
                let history = usualRuns(runner, count: 6, seed: s)
                runner.gait.mountRotation = SynthRotation(xDeg: turn, yDeg: uniform(40, 60), zDeg: uniform(-8, 8))
                runner.gait.impactAsymmetryPct = (rng.nextUnit() < 0.5 ? -1 : 1) * uniform(20, 28)
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1500), seed: s), seed: s),
                                history: history)
            case .pelvicRotation:
                // With a gyroscope: pelvic rotation 60–80 % above the runner's usual.
                runner.gait.includeGyro = true
                let history = usualRuns(runner, count: 6, seed: s)
                runner.gait.pelvicRotationDeg *= uniform(1.6, 1.8)
                return Scenario(name: name, expected: kind, minimumSeverity: .low,
                                config: runner.config(segments: runner.healthyPlan(runS: uniform(900, 1500), seed: s), seed: s),
                                history: history)
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
