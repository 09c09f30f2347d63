import Testing
import GaitSynth

/// Fatigue from `fatigueOnsetS` on: cadence, impact, lean, braking and contact-time drift, and growing
/// impact and step-time asymmetry, checked on the ground truth and the noise-free signal.
@Suite struct SynthFatigueTests {
    static let onsetS = 120.0

    /// A 4 min clean run whose gait drifts from 2 min on.
    static func lateFatigueConfig() -> SynthConfig {
        var config = cleanConfig([.running(durationS: 240)], sampleRateHz: 200)
        config.leanDeg = 5
        config.fatigueOnsetS = onsetS
        config.cadenceDriftPctPerHour = -30
        config.impactDriftPctPerHour = 60
        config.leanDriftDegPerHour = 30
        config.brakingDriftPctPerHour = 300
        config.contactTimeDriftPctPerHour = 150
        return config
    }

    static func withoutDrift(_ config: SynthConfig) -> SynthConfig {
        var steady = config
        steady.cadenceDriftPctPerHour = 0
        steady.impactDriftPctPerHour = 0
        steady.leanDriftDegPerHour = 0
        steady.brakingDriftPctPerHour = 0
        steady.contactTimeDriftPctPerHour = 0
        steady.impactAsymmetryDriftPctPerHour = 0
        steady.stepTimeAsymmetryDriftPctPerHour = 0
        return steady
    }

    /// Hours of drift at a step's initial contact.
    static func fatigueHours(_ step: SynthStep) -> Double { max(0, step.initialContactS - onsetS) / 3600 }

    @Test func driftsLeaveEverythingBeforeTheOnsetUntouchedAndStartRightAfterIt() throws {
        let config = Self.lateFatigueConfig()
        let drifting = synthesize(config)
        let steady = synthesize(Self.withoutDrift(config))
        // Every step that starts by the onset, and every sample before the first step after it, is
        // bit-identical to the same session without drift.
        let firstAfter = try #require(drifting.steps.firstIndex { $0.initialContactS > Self.onsetS })
        #expect(firstAfter > 300)
        #expect(Array(drifting.steps[..<firstAfter]) == Array(steady.steps[..<firstAfter]))
        let untouchedSamples = Int((drifting.steps[firstAfter].initialContactS * config.sampleRateHz).rounded(.up))
        for (a, b) in zip(bitPatterns(drifting.samples), bitPatterns(steady.samples)) {
            #expect(a[..<untouchedSamples] == b[..<untouchedSamples])
        }
        // The first step after the onset already carries the drift, in proportion to its time past it.
        let first = drifting.steps[firstAfter]
        #expect(first.leanDeg > 5)
        #expect(abs(first.leanDeg - (5 + 30 * Self.fatigueHours(first))) < 1e-9)
        // Later steps follow the configured rates from the onset, not from the session's start.
        for step in drifting.steps[firstAfter...] where step.intensity == 1 {
            let hours = Self.fatigueHours(step)
            #expect(abs(step.leanDeg - (5 + 30 * hours)) < 1e-9)
            #expect(abs(step.stepTimeS - 60 / (170 * (1 - 0.30 * hours))) < 1e-12)
        }
        let late = drifting.steps.filter { $0.intensity == 1 }.suffix(100)
        let earlyPeakG = steady.steps.filter { $0.intensity == 1 }.prefix(100).map(\.impactPeakG).reduce(0, +) / 100
        let latePeakG = late.map(\.impactPeakG).reduce(0, +) / 100
        let lateHours = late.map(Self.fatigueHours).reduce(0, +) / 100
        #expect(abs(latePeakG / earlyPeakG - (1 + 0.60 * lateHours)) < 0.003)
    }

    @Test func brakingPeakAndContactTimeDriftAtTheConfiguredRates() {
        var config = Self.lateFatigueConfig()
        // Upright, so that the AP reading is the braking alone, without gravity from the lean.
        config.leanDeg = 0
        config.leanDriftDegPerHour = 0
        let recording = synthesize(config)
        let steps = recording.steps.filter { $0.intensity == 1 }
        #expect(steps.count > 600)
        for step in steps {
            let hours = Self.fatigueHours(step)
            #expect(abs(step.contactTimeS - 0.25 * (1 + 1.50 * hours)) < 1e-12)
            #expect(abs(step.brakingPeakG - 0.7 * (1 + 3.00 * hours)) < 0.001)
        }
        // By the end the braking peak has grown by 10 % and contact by 5 %, in the signal too.
        let last = steps[steps.count - 1]
        #expect(last.brakingPeakG > 0.7 * 1.09 && last.contactTimeS > 0.25 * 1.045)
        let range = sampleRange(of: last, in: recording)
        #expect(abs(Double(-recording.samples.accelZG[range].min()!) - last.brakingPeakG) < 0.01)
        // Flight (0 g) starts where the drifted contact ends.
        let contactEnd = range.lowerBound + Int((last.contactTimeS * config.sampleRateHz).rounded(.up))
        #expect(abs(recording.samples.accelXG[contactEnd + 1]) < 1e-6)
        #expect(recording.samples.accelXG[contactEnd - 3] > 0.1)
    }

    @Test(arguments: [-10_000.0, 10_000])
    func extremeContactTimeDriftStaysWithinTheStanceClamps(driftPctPerHour: Double) {
        var config = cleanConfig([.running(durationS: 60)])
        config.contactTimeDriftPctPerHour = driftPctPerHour
        let recording = synthesize(config)
        let steps = steadySteps(recording)
        #expect(steps.count > 150)
        for step in steps {
            #expect(step.contactTimeS >= 0.1 * 0.25 - 1e-12)
            #expect(step.contactTimeS <= 0.85 * step.stepTimeS + 1e-12)
            #expect(step.impactPeakDelayS > 0 && step.impactPeakDelayS <= step.contactTimeS)
            #expect(step.impactPeakG.isFinite && step.brakingPeakG.isFinite)
            let range = sampleRange(of: step, in: recording)
            #expect(abs(mean(recording.samples.accelXG[range]) - 1) < 0.02)
        }
        // The clamp is reached: the floor when contact shrinks, 85 % of the step when it grows.
        let last = steps[steps.count - 1]
        if driftPctPerHour < 0 {
            #expect(abs(last.contactTimeS - 0.025) < 1e-12)
        } else {
            #expect(abs(last.contactTimeS - 0.85 * last.stepTimeS) < 1e-12)
        }
    }

    @Test func impactAndStepTimeAsymmetryGrowFromTheOnsetAtTheConfiguredRates() {
        var config = cleanConfig([.running(durationS: 1200)], sampleRateHz: 100)
        config.fatigueOnsetS = 600
        config.impactAsymmetryPct = 4
        config.impactAsymmetryDriftPctPerHour = 36
        config.stepTimeAsymmetryPct = 2
        config.stepTimeAsymmetryDriftPctPerHour = 18
        let steps = steadySteps(synthesize(config))
        func window(_ fromS: Double, _ toS: Double) -> [SynthStep] {
            steps.filter { $0.initialContactS >= fromS && $0.initialContactS < toS }
        }
        typealias SI = SynthAsymmetryTests
        // Before the onset: the configured indices, flat.
        for (from, to) in [(60.0, 180.0), (420, 540)] {
            let before = window(from, to)
            #expect(abs(SI.symmetryIndexPct(before) { $0.stepTimeS } - 2) < 0.01)
            #expect(abs(SI.symmetryIndexPct(before) { $0.impactPeakG } - 4) < 0.4)
        }
        let reference = SI.symmetryIndexPct(window(420, 540)) { $0.impactPeakG }
        // After it: + 36 and + 18 points per hour since the onset (at a window's middle).
        for (from, to) in [(780.0, 840.0), (1080, 1140)] {
            let hours = ((from + to) / 2 - 600) / 3600
            let after = window(from, to)
            #expect(abs(SI.symmetryIndexPct(after) { $0.stepTimeS } - (2 + 18 * hours)) < 0.02)
            let growth = SI.symmetryIndexPct(after) { $0.impactPeakG } - reference
            #expect(abs(growth - 36 * hours) < 0.15)
        }
    }
}
