import Testing
import GaitSynth

/// The physics the DSP relies on, checked on the noise-free signal in the body frame
/// (identity mount: x = V, y = ML, z = AP).
@Suite struct SynthPhysicsTests {
    @Test(arguments: [SynthActivity.running, .walking])
    func stepMeanIsOneGVerticalAndZeroAnteroposterior(activity: SynthActivity) {
        let segment = activity == .running ? SynthSegment.running(durationS: 30) : .walking(durationS: 30)
        let recording = synthesize(cleanConfig([segment]))
        let steps = steadySteps(recording)
        #expect(steps.count > 40)
        for step in steps {
            let range = sampleRange(of: step, in: recording)
            #expect(abs(mean(recording.samples.accelXG[range]) - 1) < 0.01)
            #expect(abs(mean(recording.samples.accelZG[range])) < 0.01)
        }
    }

    @Test(arguments: [SynthActivity.running, .walking])
    func strideMeanOfMediolateralIsZero(activity: SynthActivity) {
        let segment = activity == .running ? SynthSegment.running(durationS: 30) : .walking(durationS: 30)
        var config = cleanConfig([segment])
        config.contactTimeAsymmetryPct = 10
        config.stepTimeAsymmetryPct = 6
        let recording = synthesize(config)
        let steps = steadySteps(recording)
        for (first, second) in zip(steps, steps.dropFirst()) where first.side == .left {
            let range = sampleRange(of: first, in: recording).lowerBound..<sampleRange(of: second, in: recording).upperBound
            #expect(abs(mean(recording.samples.accelYG[range])) < 0.01)
        }
    }

    /// Also with the default lean and pelvis motion, whose roll tilts gravity into ML against the push.
    @Test(arguments: [false, true])
    func pelvisIsPushedTowardsTheRightDuringALeftStanceAndLeftDuringARightStance(defaultPelvisMotion: Bool) {
        var config = cleanConfig([.running(durationS: 10)])
        if defaultPelvisMotion {
            let defaults = SynthConfig()
            config.leanDeg = defaults.leanDeg
            config.pelvicRotationDeg = defaults.pelvicRotationDeg
            config.pelvicDropDeg = defaults.pelvicDropDeg
            config.pelvicTiltDeg = defaults.pelvicTiltDeg
        }
        let recording = synthesize(config)
        for step in steadySteps(recording) {
            let range = sampleRange(of: step, in: recording)
            let stance = range.lowerBound..<(range.lowerBound + Int(step.contactTimeS * 1000))
            let ml = mean(recording.samples.accelYG[stance])
            #expect(step.side == .left ? ml > 0.1 : ml < -0.1)
        }
    }

    @Test func runningFlightReadsFreeFall() {
        let recording = synthesize(cleanConfig([.running(durationS: 10)]))
        for step in steadySteps(recording) {
            let range = sampleRange(of: step, in: recording)
            let flight = (range.lowerBound + Int(step.contactTimeS * 1000) + 2)..<range.upperBound
            for i in flight {
                #expect(abs(recording.samples.accelXG[i]) < 1e-6)
                #expect(abs(recording.samples.accelZG[i]) < 1e-6)
            }
        }
    }

    @Test func groundTruthImpactBrakingAndContactMatchTheSignal() {
        var config = cleanConfig([.running(durationS: 10)])
        config.impactPeakG = 3.2
        config.brakingPeakG = 0.8
        let recording = synthesize(config)
        for step in steadySteps(recording) {
            #expect(abs(step.impactPeakG - 3.2) < 0.05)
            #expect(abs(step.brakingPeakG - 0.8) < 0.01)
            let range = sampleRange(of: step, in: recording)
            let early = range.lowerBound..<(range.lowerBound + 60)
            let v = recording.samples.accelXG[early]
            let peak = v.indices.max { v[$0] < v[$1] }!
            #expect(abs(Double(v[peak]) - step.impactPeakG) < 0.03)
            #expect(abs(Double(peak - range.lowerBound) / 1000 - step.impactPeakDelayS) < 0.002)
            // Initial contact: V leaves the flight level (0 g) at the contact sample.
            #expect(abs(recording.samples.accelXG[range.lowerBound]) < 0.05)
            #expect(recording.samples.accelXG[range.lowerBound + 5] > 0.3)
            let minAP = recording.samples.accelZG[range].min()!
            #expect(abs(Double(-minAP) - step.brakingPeakG) < 0.01)
            #expect(step.verticalOscillationCm > 4 && step.verticalOscillationCm < 12)
        }
    }

    @Test func walkingPeaksShortlyAfterContactWithoutFlight() {
        let recording = synthesize(cleanConfig([.walking(durationS: 20, cadenceSpm: 110)]))
        for step in steadySteps(recording) {
            #expect(step.impactPeakDelayS > 0.05 && step.impactPeakDelayS < 0.1)
            #expect(abs(step.impactPeakG - 1.3) < 0.02)
            let range = sampleRange(of: step, in: recording)
            #expect(recording.samples.accelXG[range].min()! > 0.5)
        }
    }

    @Test func standingReadsOneGOnVerticalWithTinySway() {
        let samples = synthesize(cleanConfig([.standing(durationS: 10)], sampleRateHz: 100)).samples
        #expect(samples.accelXG.allSatisfy { abs($0 - 1) < 1e-6 })
        #expect(samples.accelYG.allSatisfy { abs($0) < 0.01 })
        #expect(samples.accelZG.allSatisfy { abs($0) < 0.01 })
    }

    @Test func forwardLeanTiltsGravityIntoNegativeAnteroposterior() {
        var config = cleanConfig([.running(durationS: 20)])
        config.leanDeg = 10
        let recording = synthesize(config)
        let steps = steadySteps(recording)
        let range = sampleRange(of: steps[4], in: recording).lowerBound..<sampleRange(of: steps[5], in: recording).upperBound
        let lean = 10 * Double.pi / 180
        #expect(abs(mean(recording.samples.accelXG[range]) - _cos(lean)) < 0.01)
        #expect(abs(mean(recording.samples.accelZG[range]) + _sin(lean)) < 0.01)
        #expect(steps.allSatisfy { abs($0.leanDeg - 10) < 1e-9 })
    }

    @Test func pelvisYawRateIsPositiveDuringTheLeftStepAndRollShowsContralateralDrop() {
        var config = cleanConfig([.running(durationS: 10)])
        config.pelvicRotationDeg = 8
        config.pelvicDropDeg = 5
        config.pelvicTiltDeg = 0
        let recording = synthesize(config)
        for step in steadySteps(recording) {
            let range = sampleRange(of: step, in: recording)
            // Yaw rate about +V (x): the pelvis turns left while the right leg swings forward.
            let yawRate = mean(recording.samples.gyroXDPS[range])
            #expect(step.side == .left ? yawRate > 10 : yawRate < -10)
            // Roll rate about +AP (z): right side going down in early left stance, i.e. the
            // integral of the rate over the first 60 ms after a left contact is positive.
            let early = range.lowerBound..<(range.lowerBound + 60)
            let rollChange = mean(recording.samples.gyroZDPS[early]) * 0.06
            #expect(step.side == .left ? rollChange > 0 : rollChange < 0)
            #expect(abs(step.pelvicRotationDeg - 16) < 1e-9)
        }
        // Integrating the yaw rate over a stride gives a ±8° oscillation.
        let steps = steadySteps(recording)
        let stride = sampleRange(of: steps[2], in: recording).lowerBound..<sampleRange(of: steps[3], in: recording).upperBound
        var angle = 0.0, low = 0.0, high = 0.0
        for i in stride {
            angle += Double(recording.samples.gyroXDPS[i]) / 1000
            low = min(low, angle); high = max(high, angle)
        }
        #expect(abs(high - low - 16) < 0.5)
    }
}

import Foundation
func _cos(_ x: Double) -> Double { Foundation.cos(x) }
func _sin(_ x: Double) -> Double { Foundation.sin(x) }
