import Foundation
import GaitDSP
import GaitSynth
import Testing

/// Daily-life walking is found as walking: short bouts between pauses, slow and irregular steps,
/// stronger (stairs-like) steps; standing with the clip handled is not walking.
///
/// The real material is the two Test5 straight walks of mobgap's example data (their INDIP contacts
/// carried along), cut, slowed and made irregular by `DailyLifeAugmentation`; the held-out Test11
/// trial is not used here.
@Suite struct WalkingDetectionTests {
    /// The cadence of a bout from its reference contacts, steps/min.
    static func cadence(_ contacts: [Double]) -> Double {
        60 / ((contacts[contacts.count - 1] - contacts[0]) / Double(contacts.count - 1))
    }

    @Test(arguments: [1, 2])
    func slowWalkingAt56StepsPerMinuteIsFoundWithItsCadence(trialNumber: Int) {
        let trial = trialNumber == 1 ? MobgapTrial.trial1 : .trial2
        var random = DailyLifeAugmentation.Random(state: 56)
        let slowing = 60 / trial.stepTimeS / 56
        var recording = DailyLifeAugmentation.standing(trial, durationS: 4, random: &random)
        let (walk, contacts, feet) = DailyLifeAugmentation.walking(
            trial, first: 0, steps: trial.contactsS.count, slowing: slowing, amplitude: Float(1 / (slowing * slowing)), random: &random)
        recording.append(walk, contactsS: contacts, feet: feet)
        recording.append(DailyLifeAugmentation.standing(trial, durationS: 4, random: &random))
        let analysis = recording.analyse()
        let accuracy = BoutAccuracy(analysis: analysis, bouts: recording.bouts, feet: recording.feet)
        #expect(abs(Self.cadence(recording.bouts[0]) - 56) < 3, "the slowed trial walks at \(Self.cadence(recording.bouts[0])) steps/min")
        #expect(accuracy.matches[0.1]!.f1 >= 0.9, "\(accuracy.report)")
        #expect(accuracy.cadenceErrorsSpm.allSatisfy { $0 <= 5 }, "\(accuracy.report)")
        #expect(analysis.steps.allSatisfy { $0.activity == .walking })
    }

    @Test func slowSyntheticWalkingAt56StepsPerMinuteIsWalking() {
        var config = SynthConfig(sampleRateHz: 100, seed: 56, segments: [
            .standing(durationS: 6), .walking(durationS: 60, cadenceSpm: 56, speedMps: 0.45), .standing(durationS: 6),
        ])
        // The same pelvic excursion at about half the step frequency: a quarter of the acceleration.
        config.walkingVerticalPeakG = 0.3 * (56.0 / 108) * (56.0 / 108)
        config.walkingMediolateralPeakG = 0.15 * (56.0 / 108)
        let (analysis, truth) = SynthHarness.analyse(config)
        // GaitSynth's walking contact sits ~7 % of a step before where the rule tuned on the real
        // trials places it (+40 ms at 108 steps/min, +85 ms here): every step found within 200 ms.
        let match = SynthHarness.contactMatch(analysis, truth, toleranceS: 0.2)
        #expect(match.f1 > 0.97, "F1@200ms \(match.f1)")
        let walkingBouts = analysis.bouts.filter { $0.kind == .walking }
        #expect(walkingBouts.count == 1, "bouts \(analysis.bouts.map { "\($0.kind)@\($0.startS)-\($0.endS)" })")
        #expect(abs((walkingBouts.first?.cadenceSpm ?? 0) - 56) <= 5, "cadence \(walkingBouts.first?.cadenceSpm ?? 0)")
    }

    /// A bout of four steps between two pauses, placed at every half second against the 5 s hop of
    /// the analysis windows.
    @Test(arguments: [1, 2], Array(stride(from: 0.0, through: 4.5, by: 0.5)))
    func aFourStepBoutBetweenPausesIsFound(trialNumber: Int, offsetS: Double) {
        let trial = trialNumber == 1 ? MobgapTrial.trial1 : .trial2
        var random = DailyLifeAugmentation.Random(state: 4)
        var recording = DailyLifeAugmentation.standing(trial, durationS: 6 + offsetS, random: &random)
        let (walk, contacts, feet) = DailyLifeAugmentation.walking(trial, first: 2, steps: 4, slowing: 1, amplitude: 1, random: &random)
        recording.append(walk, contactsS: contacts, feet: feet)
        recording.append(DailyLifeAugmentation.standing(trial, durationS: 8, random: &random))
        let analysis = recording.analyse()
        let accuracy = BoutAccuracy(analysis: analysis, bouts: recording.bouts, feet: recording.feet)
        #expect(accuracy.matches[0.1]!.truePositives == 4, "\(accuracy.report)")
        #expect(analysis.steps.count == 4, "steps at \(analysis.steps.map(\.initialContactS)), truth \(recording.bouts[0])")
        #expect(analysis.bouts.filter { $0.kind == .walking }.map(\.stepCount) == [4])
        #expect(accuracy.sideAgreement.agree == 4, "\(accuracy.report)")
    }

    /// One step of a bout made too weak to be found: the bout stays one bout, and its cadence is
    /// that of its steps, not half of it (the step time across the missing contact is left out).
    @Test(arguments: [1, 2])
    func aMissedStepDoesNotHalveTheBoutCadence(trialNumber: Int) {
        let trial = trialNumber == 1 ? MobgapTrial.trial1 : .trial2
        var random = DailyLifeAugmentation.Random(state: 5)
        var recording = DailyLifeAugmentation.standing(trial, durationS: 4, random: &random)
        let (piece, contacts, feet) = DailyLifeAugmentation.walking(
            trial, first: 0, steps: trial.contactsS.count, slowing: 1, amplitude: 1, random: &random)
        var walk = piece
        // The fifth step's loading and its approach, down to a tenth about gravity.
        let gravity = trial.gravity
        let from = Int((contacts[4] - 0.3 * trial.stepTimeS) * MobgapTrial.rateHz)
        let to = Int((contacts[4] + 0.5 * trial.stepTimeS) * MobgapTrial.rateHz)
        for axis in 0..<3 {
            for i in from..<to { walk.accel[axis][i] = gravity[axis] + (walk.accel[axis][i] - gravity[axis]) * 0.1 }
        }
        recording.append(walk, contactsS: contacts, feet: feet)
        recording.append(DailyLifeAugmentation.standing(trial, durationS: 4, random: &random))
        let analysis = recording.analyse()
        let walking = analysis.bouts.filter { $0.kind == .walking }
        #expect(walking.count == 1, "bouts \(walking.map { "\($0.startS)-\($0.endS)" })")
        let truth = 60 / trial.stepTimeS
        #expect(abs(Double(walking.first?.cadenceSpm ?? 0) - truth) <= 5, "bout cadence \(walking.first?.cadenceSpm ?? 0), steps \(truth)")
        let accuracy = BoutAccuracy(analysis: analysis, bouts: recording.bouts, feet: recording.feet)
        // Every step but the weakened one; the reference still has it (the step was walked).
        #expect(accuracy.matches[0.1]!.truePositives == contacts.count - 1, "\(accuracy.report)")
        #expect(accuracy.cadenceErrorsSpm.allSatisfy { $0 <= 5 }, "\(accuracy.report)")
    }

    @Test(arguments: UInt64(1)...6)
    func augmentedDailyLifeWalkingIsFound(seed: UInt64) {
        let recording = DailyLifeAugmentation.session(seed: seed)
        let analysis = recording.analyse()
        let accuracy = BoutAccuracy(analysis: analysis, bouts: recording.bouts, feet: recording.feet)
        print("augmented daily life, seed \(seed): \(accuracy.report)")
        #expect(accuracy.matches[0.1]!.f1 >= 0.9, "\(accuracy.report)")
        #expect(accuracy.matches[0.2]!.f1 >= 0.9, "\(accuracy.report)")
        #expect(accuracy.cadenceErrorsSpm.filter { $0 > 5 }.count <= 1, "\(accuracy.report)")
        #expect(Double(accuracy.sideAgreement.agree) >= 0.9 * Double(accuracy.sideAgreement.total), "\(accuracy.report)")
    }

    @Test func dailyLifeStreamingInSmallBlocksEqualsBatch() {
        let recording = DailyLifeAugmentation.session(seed: 9)
        let batch = recording.analyse(blockSize: 1 << 20)
        let live = recording.analyse(blockSize: 7)
        #expect(batch == live)
        #expect(batch.steps.count > 30)
    }

    @Test(arguments: UInt64(1)...3)
    func walkingBoutsEndAtTheirPauses(seed: UInt64) {
        let recording = DailyLifeAugmentation.session(seed: seed, pausesS: 4...8)
        let walking = recording.analyse().bouts.filter { $0.kind == .walking }
        #expect(walking.count == recording.bouts.count, "bouts \(walking.map { "\($0.startS)-\($0.endS)" }), truth \(recording.bouts)")
        for (bout, truth) in zip(walking, recording.bouts) {
            // From the first contact (detected within 100 ms) to after the last, short of the next bout.
            #expect(abs(bout.startS - truth[0]) < 0.1)
            #expect(bout.endS > truth[truth.count - 1], "\(bout.endS) ends before the last contact \(truth[truth.count - 1])")
            #expect(!recording.bouts.contains { other in other[0] > truth[0] && other[0] < bout.endS }, "\(bout.endS) runs into the next bout")
            #expect(bout.pausedS == 0)
        }
    }

    @Test(arguments: UInt64(1)...8)
    func standingWithTheClipTappedOrSatOnIsNotWalking(seed: UInt64) {
        let recording = ClipHandling.standingSession(seed: seed, episodes: [.tapped, .satOn])
        let analysis = recording.analyse()
        #expect(analysis.steps.isEmpty, "steps at \(analysis.steps.map(\.initialContactS))")
        #expect(!analysis.bouts.contains { $0.kind == .walking })
    }

    /// A limit, measured: a clip held in the hand or jolted while it is re-seated can, by chance,
    /// move like a few steps (alike vertical bumps at step-like intervals, the clip's tilt steady
    /// within 15°). Over 40 simulated sessions with both, some find a short false bout.
    @Test func theClipInTheHandIsSeldomTakenForWalking() {
        var sessionsWithSteps = 0, steps = 0
        for seed in UInt64(1)...40 {
            let analysis = ClipHandling.standingSession(seed: seed, episodes: [.turnedOver, .reseated]).analyse()
            steps += analysis.steps.count
            if !analysis.steps.isEmpty { sessionsWithSteps += 1 }
        }
        print("clip in the hand: false steps in \(sessionsWithSteps) of 40 sessions, \(steps) in all")
        #expect(sessionsWithSteps <= 16)
        #expect(steps <= 80)
    }
}
