import GaitDSP
import GaitSynth
import Testing

/// Side labels know when they might be wrong: of the steps labelled with confidence ≥ 0.9, at
/// least 90 % are right, whatever the braking, the sway or the mounting.
@Suite struct SideConfidenceTests {
    enum Case: String, CaseIterable, Sendable {
        case ordinary, weakBraking, smallSway, weakBrakingAndSmallSway, upsideDown, turnedAround, noisy

        func config(gyroscope: Bool) -> SynthConfig {
            var config = SynthHarness.run(durationS: 180, rate: 100, seed: 31, gyro: gyroscope)
            switch self {
            case .ordinary: break
            case .weakBraking: config.brakingPeakG = 0.04
            case .smallSway: config.mediolateralPeakG = 0.04
            case .weakBrakingAndSmallSway:
                config.brakingPeakG = 0.04
                config.mediolateralPeakG = 0.04
            case .upsideDown: config.mountRotation = .upsideDown
            case .turnedAround: config.mountRotation = SynthRotation(xDeg: 180, yDeg: 0, zDeg: 0)
            case .noisy: config.noiseG = 0.15
            }
            return config
        }
    }

    /// Calibration: (share right among confidence ≥ 0.9, their count, share right overall, count).
    static func calibration(_ c: Case, gyroscope: Bool) -> (confidentRight: Double, confident: Int, right: Double, labelled: Int) {
        let (analysis, truth) = SynthHarness.analyse(c.config(gyroscope: gyroscope))
        var confident = 0, confidentRight = 0, labelled = 0, right = 0
        var j = 0
        for t in truth where t.intensity >= 1 {
            let steps = analysis.steps
            while j < steps.count, steps[j].initialContactS < t.initialContactS - 0.05 { j += 1 }
            guard j < steps.count, abs(steps[j].initialContactS - t.initialContactS) <= 0.05, let side = steps[j].side else { continue }
            let ok = side.rawValue == t.side.rawValue
            labelled += 1
            if ok { right += 1 }
            if steps[j].sideConfidence >= 0.9 {
                confident += 1
                if ok { confidentRight += 1 }
            }
        }
        return (confident == 0 ? 1 : Double(confidentRight) / Double(confident), confident,
                labelled == 0 ? 0 : Double(right) / Double(labelled), labelled)
    }

    @Test(arguments: Case.allCases, [true, false])
    func confidentSidesAreRight(_ c: Case, gyroscope: Bool) {
        let result = Self.calibration(c, gyroscope: gyroscope)
        print("\(c.rawValue) gyroscope \(gyroscope): confident \(result.confident) right \(result.confidentRight), all \(result.labelled) right \(result.right)")
        #expect(result.confidentRight >= 0.9, "\(c.rawValue): \(result)")
    }

    /// With a gyroscope the roll is put back, and the sides are right even when the sway is
    /// small (before, every side of such a run was inverted at full confidence).
    @Test(arguments: [Case.ordinary, .smallSway, .weakBrakingAndSmallSway, .upsideDown])
    func withAGyroscopeClearEvidenceGivesConfidentRightSides(_ c: Case) {
        let result = Self.calibration(c, gyroscope: true)
        #expect(result.right >= 0.97, "\(c.rawValue): \(result)")
        #expect(result.confident >= result.labelled * 9 / 10, "\(c.rawValue): \(result)")
    }
}

/// A recording whose sides or contact times are uncertain says so in its document.
@Suite struct UncertaintyNotesTests {
    @Test func runningWithoutAGyroscopeSaysItsSidesAreUncertain() {
        let (analysis, _) = SynthHarness.analyse(SynthHarness.run(durationS: 120, rate: 100, seed: 51, gyro: false))
        let notes = analysis.summary.uncertainties ?? []
        #expect(notes.contains { $0.contains("Which foot is which is uncertain") && $0.contains("gyroscope") }, "\(notes)")
        #expect(analysis.summary.metrics?.metrics.values.allSatisfy { $0.worseSide == nil } == true)
    }

    @Test func aClearRunWithAGyroscopeHasNoUncertainties() {
        let (analysis, _) = SynthHarness.analyse(SynthHarness.run(durationS: 120, rate: 200, seed: 52, gyro: true))
        #expect(analysis.summary.uncertainties == nil, "\(analysis.summary.uncertainties ?? [])")
    }
}
