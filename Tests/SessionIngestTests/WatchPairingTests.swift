import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitInference
import GaitSynth
import SessionIO
import SessionIngest
import Testing

/// A watch's recording of the same outing as a GaitSynth session, made second by second from the
/// session's plan: GPS speed noise (SD 0.15 m/s while moving), distance summed from that speed as a
/// GPS watch does, cadence ±2 steps/min (0 while standing), barometric altitude noise (SD 0.2 m).
/// Before and after the session the runner stands.
struct PlannedWatch {
    var segments: [SynthSegment]
    /// UTC of the session's first sample: the offset the pairing must find.
    var sessionStartUTCS: Double
    /// Session time of the first and the last point, s (defaults: 30 s before and after the plan).
    var fromS: Double = -30
    var toS: Double?
    var seed: UInt64 = 99
    var hasCadence = true
    /// Cadence as the watch reports it: plan × scale + bias (0.5: a file that counts strides).
    var cadenceScale = 1.0
    var cadenceBiasSPM = 0.0
    /// Altitude above sea level at a true distance along the route, m.
    var altitudeM: @Sendable (Double) -> Double = { _ in 50 }
    var name = "run.fit"

    /// The track and, per point, its session time and the true distance and altitude.
    func record() -> (track: WatchTrack, sessionS: [Double], trueDistanceM: [Double], trueAltitudeM: [Double]) {
        var random = SynthRandom(seed: seed)
        func gaussian() -> Double {
            let u1 = Double.random(in: Double.ulpOfOne..<1, using: &random), u2 = Double.random(in: 0..<1, using: &random)
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
        let planS = segments.reduce(0) { $0 + $1.durationS }
        var points: [WatchPoint] = [], sessionTimes: [Double] = [], trueDistances: [Double] = [], trueAltitudes: [Double] = []
        var trueDistanceM = 0.0, watchDistanceM = 0.0
        var t = fromS
        while t <= (toS ?? planS + 30) {
            var segment: SynthSegment?
            var segmentEndS = 0.0
            for candidate in segments {
                segmentEndS += candidate.durationS
                if t >= 0, t < segmentEndS { segment = candidate; break }
            }
            let moving = segment.map { $0.kind != .standing } ?? false
            let trueSpeed = moving ? segment!.speedMps : 0
            let speed = moving ? max(0, trueSpeed + 0.15 * gaussian()) : abs(0.03 * gaussian())
            if !points.isEmpty {
                trueDistanceM += trueSpeed
                watchDistanceM += speed
            }
            let cadence = moving ? segment!.cadenceSpm * cadenceScale + cadenceBiasSPM + Double.random(in: -2...2, using: &random) : 0
            let altitude = altitudeM(trueDistanceM)
            points.append(WatchPoint(timeUTCS: sessionStartUTCS + t, distanceM: watchDistanceM, speedMPS: speed,
                                     altitudeM: altitude + 0.2 * gaussian(), cadenceSPM: hasCadence ? cadence : nil))
            sessionTimes.append(t)
            trueDistances.append(trueDistanceM)
            trueAltitudes.append(altitude)
            t += 1
        }
        let track = WatchTrack(path: name, format: .fit, device: "Garmin product 4024", sport: "running", points: points, warnings: [])
        return (track, sessionTimes, trueDistances, trueAltitudes)
    }
}

@Suite("WatchPairing: a watch file on a clip session's clock")
struct WatchPairingTests {
    /// UTC of the synthetic sessions' first sample (a fraction of a second, as a real clip has).
    static let sessionStartUTCS = 1_780_000_000.37

    /// Outings planned for both the clip and the watch.
    enum Plans {
        /// An everyday run: a walk to start and finish, pace (and so cadence) changing every
        /// minute or two, as streets and fatigue make it. Clip cadence SD ~5 steps/min.
        static let varyingPace: [SynthSegment] = [
            .walking(durationS: 60, cadenceSpm: 112, speedMps: 1.4),
            .running(durationS: 90, cadenceSpm: 168, speedMps: 3.0),
            .running(durationS: 60, cadenceSpm: 176, speedMps: 3.6),
            .running(durationS: 90, cadenceSpm: 170, speedMps: 3.2),
            .running(durationS: 60, cadenceSpm: 182, speedMps: 4.0),
            .running(durationS: 120, cadenceSpm: 166, speedMps: 2.9),
            .running(durationS: 60, cadenceSpm: 174, speedMps: 3.4),
            .walking(durationS: 60, cadenceSpm: 108, speedMps: 1.3),
        ]
        /// Intervals: a warm-up, five 1-minute efforts with 1-minute recoveries, a cool-down jog.
        static let intervals: [SynthSegment] = [.running(durationS: 120, cadenceSpm: 166, speedMps: 3.0)]
            + Array(repeating: [SynthSegment.running(durationS: 60, cadenceSpm: 184, speedMps: 4.6),
                                .running(durationS: 60, cadenceSpm: 162, speedMps: 2.8)], count: 5).joined()
            + [.running(durationS: 60, cadenceSpm: 160, speedMps: 2.7)]
        /// Another day's run of the same length and mean cadence, with its changes elsewhere.
        static let otherRun: [SynthSegment] = [
            .walking(durationS: 60, cadenceSpm: 110, speedMps: 1.4),
            .running(durationS: 150, cadenceSpm: 173, speedMps: 3.3),
            .running(durationS: 45, cadenceSpm: 164, speedMps: 2.8),
            .running(durationS: 120, cadenceSpm: 178, speedMps: 3.8),
            .running(durationS: 45, cadenceSpm: 166, speedMps: 2.9),
            .running(durationS: 120, cadenceSpm: 172, speedMps: 3.3),
            .walking(durationS: 60, cadenceSpm: 108, speedMps: 1.3),
        ]
        /// Another 10 min run at the time of `varyingPace`: a walk of 0–120 s, blocks of 30–150 s
        /// at 164–182 steps/min (speed with them), a 60 s walk.
        static func randomOtherRun(seed: UInt64) -> [SynthSegment] {
            var random = SynthRandom(seed: seed &* 7919)
            let warmUpS = Double(Int.random(in: 0...3, using: &random) * 40)
            var segments: [SynthSegment] = warmUpS > 0 ? [.walking(durationS: warmUpS, cadenceSpm: 110, speedMps: 1.4)] : []
            var leftS = 540 - warmUpS
            while leftS > 0 {
                let durationS = min(leftS, Double(Int.random(in: 30...150, using: &random)))
                let cadence = Double.random(in: 164...182, using: &random)
                segments.append(.running(durationS: durationS, cadenceSpm: cadence, speedMps: 3 + (cadence - 170) * 0.08))
                leftS -= durationS
            }
            return segments + [.walking(durationS: 60, cadenceSpm: 108, speedMps: 1.3)]
        }
        /// Ten minutes at one pace: cadence too even for the correlation to judge.
        static let steady: [SynthSegment] = [.running(durationS: 600, cadenceSpm: 170, speedMps: 3.2)]
        /// The pace of `run_10min.fit` (Fixtures/watch/make_fixtures.py: 2.9 ± 0.35 m/s, cadence
        /// 2 × (86 + t mod 3 + quarters) = 172–178.5, mean 175.1 steps/min), ten minutes.
        static let fixtureRun: [SynthSegment] = [.running(durationS: 600, cadenceSpm: 175, speedMps: 2.9)]
    }

    /// Clip sessions of the plans, analysed once by the streaming engine.
    enum Sessions {
        static let varyingPace = analyse(Plans.varyingPace, seed: 3)
        static let intervals = analyse(Plans.intervals, seed: 5)
        static let steady = analyse(Plans.steady, seed: 7)
        static let fixtureRun = analyse(Plans.fixtureRun, seed: 11)

        static func analyse(_ segments: [SynthSegment], seed: UInt64) -> GaitAnalysis {
            let config = SynthConfig(sampleRateHz: 100, seed: seed, segments: segments)
            var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: config.sampleRateHz))
            for block in SyntheticRun.blocks(config) { engine.process(block) }
            return engine.finish(input: InputDescription(source: "GaitSynth seed \(seed)", format: "GaitSynth",
                                                         hasGyroscope: config.includeGyro))
        }
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SessionIOTests/Fixtures/watch")

    /// The pairing, or the error it threw.
    static func pair(_ watch: PlannedWatch, _ analysis: GaitAnalysis, clockErrorS: Double? = 0) -> Result<SessionSpeed, WatchPairingError> {
        Result { () throws(WatchPairingError) -> SessionSpeed in
            try WatchPairing.align(track: watch.record().track, analysis: analysis,
                                   sessionStartUTC: clockErrorS.map { sessionStartUTCS + $0 }, sourceName: watch.name)
        }
    }

    // MARK: Alignment

    @Test("A clip clock 40 s (or 150 s) wrong is corrected by cadence to within 2 s of the true offset",
          arguments: [40.0, -40.0, 150.0])
    func clockErrorIsCorrectedByCadence(clockErrorS: Double) throws {
        let watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS)
        let speed = try Self.pair(watch, Sessions.varyingPace, clockErrorS: clockErrorS).get()
        let errorS = speed.offsetS - Self.sessionStartUTCS
        #expect(abs(errorS) <= 2)
        #expect(speed.method.hasPrefix("clock, refined by cadence"))
        #expect(try #require(speed.cadenceCorrelation) > 0.8)
        #expect(try #require(speed.cadenceDifferenceSPM) < 3)
        #expect(speed.overlap == 1)
    }

    @Test("Without a clock, the moving start and the cadence find the offset to within 2 s, and the method says the guess was weaker")
    func noClockAlignsByMovingStartAndCadence() throws {
        // The watch started 75 s before the clip and stopped 100 s after it.
        let watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS, fromS: -75, toS: 700)
        let speed = try Self.pair(watch, Sessions.varyingPace, clockErrorS: nil).get()
        let errorS = speed.offsetS - Self.sessionStartUTCS
        #expect(abs(errorS) <= 2)
        #expect(speed.method.hasPrefix("moving start (no clock, a weaker guess), refined by cadence"))
    }

    @Test("Intervals (cadence 162 ↔ 184 every minute) align to within 0.5 s")
    func intervalsAlignExactly() throws {
        let watch = PlannedWatch(segments: Plans.intervals, sessionStartUTCS: Self.sessionStartUTCS)
        let speed = try Self.pair(watch, Sessions.intervals, clockErrorS: 40).get()
        let errorS = speed.offsetS - Self.sessionStartUTCS
        #expect(abs(errorS) <= 0.5)
        #expect(try #require(speed.cadenceCorrelation) > 0.95)
    }

    @Test("A watch without cadence keeps the clock's offset and says so")
    func noWatchCadenceKeepsTheClock() throws {
        var watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS)
        watch.hasCadence = false
        let speed = try Self.pair(watch, Sessions.varyingPace, clockErrorS: 40).get()
        #expect(speed.offsetS == Self.sessionStartUTCS + 40)
        #expect(speed.method == "clock only (the watch file has no cadence)")
        #expect(speed.cadenceCorrelation == nil)
        #expect(speed.cadenceDifferenceSPM == nil)
        #expect(speed.minutes.allSatisfy { $0.watchCadenceSPM == nil })
    }

    @Test("A watch without cadence and a session without a start time cannot be aligned")
    func noClockAndNoCadenceIsRefused() {
        var watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS)
        watch.hasCadence = false
        guard case .failure(.cannotAlign(let source, _)) = Self.pair(watch, Sessions.varyingPace, clockErrorS: nil) else {
            Issue.record("expected cannotAlign")
            return
        }
        #expect(source == "run.fit")
    }

    @Test("A run of even cadence (SD < 3 steps/min) is not judged by correlation: the clock is kept and the method says why")
    func evenCadenceKeepsTheClock() throws {
        let watch = PlannedWatch(segments: Plans.steady, sessionStartUTCS: Self.sessionStartUTCS)
        let speed = try Self.pair(watch, Sessions.steady, clockErrorS: 20).get()
        #expect(speed.offsetS == Self.sessionStartUTCS + 20)
        #expect(speed.method.hasPrefix("clock only (cadence too even to refine: SD "))
        #expect(speed.cadenceCorrelation == nil)
        #expect(try #require(speed.cadenceDifferenceSPM) < 3)
    }

    // MARK: Refusals

    @Test("Another run's watch file is refused with the correlation at the best offset in the message")
    func wrongWatchFileIsRefused() throws {
        let watch = PlannedWatch(segments: Plans.otherRun, sessionStartUTCS: Self.sessionStartUTCS, name: "tuesday.fit")
        guard case .failure(let error) = Self.pair(watch, Sessions.varyingPace),
              case .cadenceUncorrelated(let source, let correlation, let firstGuess, _, _, let minimum) = error else {
            Issue.record("expected cadenceUncorrelated, got \(Self.pair(watch, Sessions.varyingPace))")
            return
        }
        #expect(source == "tuesday.fit" && firstGuess == "clock" && minimum == 0.6)
        #expect(correlation < 0.6)
        #expect(error.description.hasPrefix("tuesday.fit does not match this session: cadence correlation "
                                            + String(format: "%.2f", correlation) + " at the best offset (clock "))
    }

    @Test("Another run recorded at the same time pairs by chance at most once in 40, with a clock or without",
          arguments: [true, false])
    func randomOtherRunsRarelyPair(withClock: Bool) {
        var paired: [String] = []
        for seed in UInt64(1)...40 {
            let watch = PlannedWatch(segments: Plans.randomOtherRun(seed: seed), sessionStartUTCS: Self.sessionStartUTCS, seed: seed)
            if case .success(let speed) = Self.pair(watch, Sessions.varyingPace, clockErrorS: withClock ? 0 : nil) {
                paired.append("seed \(seed): \(speed.method), r \(speed.cadenceCorrelation ?? .nan)")
            }
        }
        #expect(paired.count <= 1, "\(paired)")
    }

    @Test("A watch that walks for 2 of the clip's 8 running minutes is refused: it runs where the clip runs at no offset")
    func walkingWhereTheClipRunsIsRefused() {
        var segments = Plans.varyingPace
        segments[5] = .walking(durationS: 120, cadenceSpm: 112, speedMps: 1.5)
        let watch = PlannedWatch(segments: segments, sessionStartUTCS: Self.sessionStartUTCS)
        guard case .failure(let error) = Self.pair(watch, Sessions.varyingPace),
              case .gaitDisagrees(_, let share, let maximum) = error else {
            Issue.record("expected gaitDisagrees, got \(Self.pair(watch, Sessions.varyingPace))")
            return
        }
        #expect(share > maximum && maximum == 0.1)
        #expect(error.description.hasPrefix("run.fit does not match this session: the watch shows walking or standing during "))
    }

    @Test("The cadence difference threshold: a watch reading 5 steps/min high pairs, 12 high is refused",
          arguments: [(5.0, true), (12.0, false)])
    func cadenceDifferenceThreshold(biasSPM: Double, pairs: Bool) throws {
        var watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS)
        watch.cadenceBiasSPM = biasSPM
        switch Self.pair(watch, Sessions.varyingPace) {
        case .success(let speed):
            #expect(pairs)
            #expect(abs(try #require(speed.cadenceDifferenceSPM) - biasSPM) < 1.5)
        case .failure(let error):
            #expect(!pairs, "\(error)")
            guard case .cadenceDifferent(_, let difference, _, _, _, let maximum) = error else {
                Issue.record("expected cadenceDifferent, got \(error)")
                return
            }
            #expect(difference > maximum && maximum == 8)
            #expect(error.description.contains("differs from the clip's by"))
        }
    }

    @Test("A file with strides where steps belong (half the cadence) is refused, and the message suggests why")
    func stridesForStepsAreRefused() {
        var watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS)
        watch.cadenceScale = 0.5
        guard case .failure(let error) = Self.pair(watch, Sessions.varyingPace), case .cadenceDifferent = error else {
            Issue.record("expected cadenceDifferent")
            return
        }
        #expect(error.description.contains("about half: does the file count strides, not steps?"))
    }

    @Test("The coverage threshold: a watch covering 30 % of the running minutes is refused, 60 % pairs",
          arguments: [(0.3, false), (0.6, true)])
    func coverageThreshold(share: Double, pairs: Bool) throws {
        // Intervals: 13 running minutes; the watch records from minute 3 on.
        let runningMinutes = 13.0
        let watch = PlannedWatch(segments: Plans.intervals, sessionStartUTCS: Self.sessionStartUTCS, fromS: 180,
                                 toS: 180 + (share * runningMinutes * 60).rounded())
        switch Self.pair(watch, Sessions.intervals) {
        case .success(let speed):
            #expect(pairs)
            #expect(speed.overlap >= 0.5)
            #expect(abs(speed.offsetS - Self.sessionStartUTCS) <= 2)
            #expect(speed.minutes[0].speedMPS == nil && speed.minutes[5].speedMPS != nil)
        case .failure(let error):
            #expect(!pairs, "\(error)")
            guard case .tooLittleCoverage(_, let covered, let total, let minimumShare) = error else {
                Issue.record("expected tooLittleCoverage, got \(error)")
                return
            }
            #expect(total == 13 && covered == 4 && minimumShare == 0.5)
            #expect(error.description == "run.fit covers too little of this session: 4 of its 13 running minutes (31 %; at least 50 % needed)")
        }
    }

    @Test("A watch file from the day before does not overlap the session and is refused with both times")
    func noTimeOverlapIsRefused() {
        let watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS - 86_400)
        guard case .failure(let error) = Self.pair(watch, Sessions.varyingPace), case .noTimeOverlap = error else {
            Issue.record("expected noTimeOverlap")
            return
        }
        #expect(error.description.hasPrefix("run.fit does not overlap this session in time: the watch recorded 2026-05-27T"))
    }

    // MARK: Speed, grade, distance

    @Test("A hilly route gives each minute's grade to within 1 % and its speed to within 0.1 m/s")
    func hillyRouteGradePerMinute() throws {
        // Rolling hills: ±6 % at the steepest, 1.6 km from crest to crest.
        var watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS)
        watch.altitudeM = { 50 + 0.06 * 1600 / (2 * .pi) * sin(2 * .pi * $0 / 1600) }
        let recording = watch.record()
        let speed = try WatchPairing.align(track: recording.track, analysis: Sessions.varyingPace,
                                           sessionStartUTC: Self.sessionStartUTCS, sourceName: "hills.fit")
        #expect(speed.minutes.count == Int((Sessions.varyingPace.durationS / 60).rounded(.up)))
        for minute in speed.minutes {
            let inMinute = recording.sessionS.indices.filter {
                recording.sessionS[$0] >= minute.startS && recording.sessionS[$0] < min(minute.startS + 60, Sessions.varyingPace.durationS)
            }
            guard let first = inMinute.first, let last = inMinute.last, last - first >= 30 else { continue }
            let trueGradePct = (recording.trueAltitudeM[last] - recording.trueAltitudeM[first])
                / (recording.trueDistanceM[last] - recording.trueDistanceM[first]) * 100
            let trueSpeedMPS = (recording.trueDistanceM[last] - recording.trueDistanceM[first]) / Double(last - first)
            let gradePct = try #require(minute.gradePct)
            #expect(abs(gradePct - trueGradePct) <= 1, "minute at \(minute.startS) s: \(gradePct) % against \(trueGradePct) %")
            #expect(abs(try #require(minute.speedMPS) - trueSpeedMPS) <= 0.1, "minute at \(minute.startS) s")
        }
        #expect(speed.minutes.map { $0.gradePct ?? 0 }.max()! > 4)
        #expect(speed.minutes.map { $0.gradePct ?? 0 }.min()! < -4)
    }

    @Test("The distance over the session is the planned distance to within 1 %, though the watch ran longer")
    func distanceOverTheSession() throws {
        let watch = PlannedWatch(segments: Plans.varyingPace, sessionStartUTCS: Self.sessionStartUTCS, fromS: -120, toS: 800)
        let speed = try Self.pair(watch, Sessions.varyingPace).get()
        let plannedKm = Plans.varyingPace.reduce(0) { $0 + $1.durationS * $1.speedMps } / 1000
        let distanceKm = try #require(speed.distanceKm)
        #expect(abs(distanceKm - plannedKm) <= 0.01 * plannedKm)
        #expect(speed.source == "FIT from Garmin product 4024 (run.fit)")
    }

    // MARK: A real watch file

    @Test("run_10min.fit read by WatchFileReader pairs with a matching clip session by its clock: speed, grade and distance as the fixture wrote them")
    func fixtureFITPairsByClock() throws {
        let path = Self.fixtures.appendingPathComponent("run_10min.fit").path
        let track = try WatchFileReader.read(path: path)
        let startUTCS = 1_777_620_600.0
        let speed = try WatchPairing.align(track: track, analysis: Sessions.fixtureRun, sessionStartUTC: startUTCS,
                                           sourceName: "run_10min.fit")
        #expect(speed.source == "FIT from Garmin product 4024 (run_10min.fit)")
        // Cadence 172-178.5 in a 12 s pattern: too even to refine, close to the clip's 175.
        #expect(speed.offsetS == startUTCS)
        #expect(speed.method.hasPrefix("clock only (cadence too even to refine"))
        #expect(try #require(speed.cadenceDifferenceSPM) < 3)
        #expect(speed.overlap == 1)

        let rows = try String(contentsOfFile: path + ".expected.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) } }
        // Columns: 0 time, 1 distance, 2 speed, 3 altitude, 7 cadence.
        #expect(speed.minutes.count == Int((Sessions.fixtureRun.durationS / 60).rounded(.up)))
        for minute in speed.minutes {
            let inMinute = rows.filter { $0[0]! - startUTCS >= minute.startS && $0[0]! - startUTCS < minute.startS + 60 }
            let meanSpeed = inMinute.reduce(0) { $0 + $1[2]! } / Double(inMinute.count)
            let meanCadence = inMinute.reduce(0) { $0 + $1[7]! } / Double(inMinute.count)
            guard let first = inMinute.first, let last = inMinute.last else {
                #expect(minute.speedMPS == nil, "the fixture has no point in the minute at \(minute.startS) s")
                continue
            }
            let gradePct = (last[3]! - first[3]!) / (last[1]! - first[1]!) * 100
            #expect(abs(try #require(minute.speedMPS) - meanSpeed) < 0.001)
            #expect(abs(try #require(minute.watchCadenceSPM) - meanCadence) < 0.001)
            #expect(abs(try #require(minute.gradePct) - gradePct) <= 1, "minute at \(minute.startS) s")
        }
        let fileDistanceKm = (rows.last![1]! - rows.first![1]!) / 1000
        #expect(abs(try #require(speed.distanceKm) - fileDistanceKm) <= 0.01 * fileDistanceKm)
    }

    // MARK: Picking the session for a dropped file

    @Test("pairable: a watch overlapping half the session or more is pairable, less is not")
    func pairableNeedsHalfTheSession() {
        let watch = WatchTrack(path: "run.fit", format: .fit, device: nil, sport: nil,
                               points: [WatchPoint(timeUTCS: 1_000), WatchPoint(timeUTCS: 1_600)], warnings: [])
        #expect(WatchPairing.pairable(track: watch, sessionStartUTC: 1_000, sessionDurationS: 600))
        #expect(WatchPairing.pairable(track: watch, sessionStartUTC: 1_300, sessionDurationS: 600))
        #expect(!WatchPairing.pairable(track: watch, sessionStartUTC: 1_420, sessionDurationS: 600))
        #expect(!WatchPairing.pairable(track: watch, sessionStartUTC: 5_000, sessionDurationS: 600))
        #expect(!WatchPairing.pairable(track: watch, sessionStartUTC: 1_000, sessionDurationS: 0))
    }
}
