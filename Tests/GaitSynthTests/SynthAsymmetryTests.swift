import Testing
import GaitSynth

@Suite struct SynthAsymmetryTests {
    /// Symmetry index (Robinson et al. 1987), %.
    static func symmetryIndexPct(_ steps: [SynthStep], _ key: (SynthStep) -> Double) -> Double {
        let left = steps.filter { $0.side == .left }.map(key)
        let right = steps.filter { $0.side == .right }.map(key)
        let l = left.reduce(0, +) / Double(left.count)
        let r = right.reduce(0, +) / Double(right.count)
        return (l - r) / ((l + r) / 2) * 100
    }

    @Test func injectedEightPercentStepTimeAsymmetryShowsInGroundTruthStepTimes() {
        var config = SynthConfig.easyRun(durationS: 300, seed: 11)
        config.stepTimeAsymmetryPct = 8
        config.stepTimeJitterPct = 2
        let steps = steadySteps(synthesize(config))
        #expect(steps.count > 800)
        let si = Self.symmetryIndexPct(steps) { $0.stepTimeS }
        #expect(abs(si - 8) < 0.5)
    }

    @Test func impactAndContactTimeAsymmetriesShowInGroundTruth() {
        var config = cleanConfig([.running(durationS: 60)], sampleRateHz: 200)
        config.impactAsymmetryPct = 12
        config.contactTimeAsymmetryPct = -6
        let steps = steadySteps(synthesize(config))
        #expect(abs(Self.symmetryIndexPct(steps) { $0.impactPeakG } - 12) < 1)
        #expect(abs(Self.symmetryIndexPct(steps) { $0.contactTimeS } - -6) < 0.1)
    }
}
