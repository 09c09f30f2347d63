import Testing
import GaitSynth

/// Pins the generator's output bit for bit: fingerprints of samples and ground truth for a few
/// configurations, recorded before the fatigue-onset, braking/contact drift, asymmetry drift and
/// segment effort parameters existed. With those parameters at their defaults nothing may change.
///
/// The fingerprints depend on the platform's libm (`sin`, `cos` in the renderer), so they are
/// checked on Linux x86-64 only, where they were recorded.
@Suite struct SynthOutputPinTests {
    enum Pinned: String, CaseIterable, CustomTestStringConvertible {
        case defaultEasyRun, busyWalkRunWalk, fatiguingAsymmetricRun

        var testDescription: String { rawValue }

        var config: SynthConfig {
            switch self {
            case .defaultEasyRun:
                return .easyRun(durationS: 60)
            case .busyWalkRunWalk:
                return SynthGeneratorTests.busyConfig()
            case .fatiguingAsymmetricRun:
                var config = SynthConfig.easyRun(durationS: 120, sampleRateHz: 100, seed: 3)
                config.cadenceDriftPctPerHour = -30
                config.impactDriftPctPerHour = 60
                config.leanDriftDegPerHour = 30
                config.stepTimeAsymmetryPct = 4
                config.impactAsymmetryPct = 6
                config.contactTimeAsymmetryPct = -3
                config.timestampJitterS = 0.002
                config.includeGyro = false
                return config
            }
        }

        /// FNV-1a of the recording, recorded at commit dd2033a (before the parameters were added).
        var fingerprint: UInt64 {
            switch self {
            case .defaultEasyRun: return 8_615_709_720_770_038_772
            case .busyWalkRunWalk: return 4_462_340_066_644_469_780
            case .fatiguingAsymmetricRun: return 3_401_246_979_791_477_137
            }
        }
    }

    /// FNV-1a (64 bit) over the bit patterns of every sample channel and every ground-truth field.
    static func fingerprint(_ recording: SynthRecording) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ word: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash ^= (word >> UInt64(shift)) & 0xff
                hash &*= 0x100_0000_01b3
            }
        }
        for channel in bitPatterns(recording.samples) {
            mix(UInt64(channel.count))
            channel.forEach(mix)
        }
        for step in recording.steps {
            mix(step.side == .left ? 1 : 2)
            mix(UInt64(SynthActivity.allCases.firstIndex(of: step.activity)!))
            for value in [step.initialContactS, step.stepTimeS, step.contactTimeS, step.impactPeakG,
                          step.impactPeakDelayS, step.loadingRateGPerS, step.brakingPeakG,
                          step.verticalOscillationCm, step.leanDeg, step.pelvicDropDeg, step.pelvicRotationDeg,
                          step.speedMps, step.stepLengthM, step.intensity] {
                mix(value.bitPattern)
            }
        }
        for bout in recording.bouts {
            mix(UInt64(SynthActivity.allCases.firstIndex(of: bout.kind)!))
            for value in [bout.startS, bout.endS, bout.cadenceSpm] { mix(value.bitPattern) }
            mix(UInt64(bout.stepCount))
        }
        return hash
    }

    #if os(Linux) && arch(x86_64)
    static let recordedPlatform = true
    #else
    static let recordedPlatform = false
    #endif

    @Test(.enabled(if: recordedPlatform), arguments: Pinned.allCases)
    func newParametersAtTheirDefaultsLeaveSamplesAndGroundTruthBitIdentical(pinned: Pinned) {
        let recording = synthesize(pinned.config)
        #expect(Self.fingerprint(recording) == pinned.fingerprint)
    }
}
