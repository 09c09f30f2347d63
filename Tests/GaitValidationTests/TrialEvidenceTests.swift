import GaitDSP
import GaitValidation
import Testing

/// A trial scored by hand: one reference bout of five contacts, five detected steps.
@Suite struct TrialEvidenceTests {
    /// Reference bout 0–2 s at 120 steps/min; contacts every 0.5 s, left first.
    static let reference = ValidationReference(
        recording: .init(speedMps: 3, treadmillSlopeDeg: 0),
        reference: .init(
            walkingBouts: [.init(id: 0, startS: 0, endS: 2, averageCadenceSpm: 120)],
            initialContacts: [
                .init(initialContactS: 0.0, side: .left, finalContactS: 0.30, contactTimeS: 0.30, peakVerticalForceBW: 2.0),
                .init(initialContactS: 0.5, side: .right, finalContactS: 0.82, contactTimeS: 0.32, peakVerticalForceBW: 2.2),
                .init(initialContactS: 1.0, side: .left, finalContactS: 1.28, contactTimeS: 0.28, peakVerticalForceBW: 2.1),
                .init(initialContactS: 1.5, side: .right, contactTimeS: 0.30),
                .init(initialContactS: 2.0, side: .left),
            ]))

    /// 20, 30 and −40 ms from the first three contacts, 80 ms from the fourth, one step after the bout;
    /// the third has the wrong side at low confidence.
    static var steps: [GaitStep] {
        func step(_ t: Double, _ side: FootSide, _ confidence: Float, _ stepTime: Float, _ contactTime: Float?) -> GaitStep {
            GaitStep(initialContactS: t, side: side, sideConfidence: confidence, activity: .running, stepTimeS: stepTime,
                     impactPeakG: 3, brakingPeakG: 0.5, brakingVelocityLossMPS: 0.1, groundContactTimeS: contactTime, pelvisTiltDeg: 5)
        }
        var steps = [step(0.02, .left, 0.95, 0.50, 0.31), step(0.53, .right, 0.95, 0.48, 0.30), step(0.96, .right, 0.5, 0.52, 0.29),
                     step(1.58, .right, 0.95, 0.54, nil), step(3.00, .left, 0.95, 0.50, 0.30)]
        steps[0].finalContactS = 0.33
        steps[0].peakVerticalForceBW = 2.1
        steps[1].peakVerticalForceBW = 2.0
        return steps
    }

    static let trial = TrialEvidence(name: "hand", steps: steps, reference: reference, isHeldOut: false)

    @Test func detectionAtEachToleranceMatchesHandCounts() {
        let m = ValidationMetrics(trials: [Self.trial])
        #expect(m.referenceContactCount == 5)
        let counts = m.contactDetection.map { [$0.truePositives, $0.falsePositives, $0.falseNegatives] }
        #expect(counts == [[1, 3, 4], [3, 1, 2], [4, 0, 1], [4, 0, 1]])
        // F1 = 2PR / (P + R): 25 ms P 1/4 R 1/5; 50 ms P 3/4 R 3/5; 100 and 200 ms P 1 R 4/5.
        let expected = [2.0 / 9, 2.0 / 3, 8.0 / 9, 8.0 / 9]
        #expect(zip(m.contactDetection.map(\.f1), expected).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func pairedTimingSideCadenceAndContactTimeMatchHandArithmetic() throws {
        let m = ValidationMetrics(trials: [Self.trial])
        // Pairs within 50 ms: +20, +30, −40 ms: bias 3.33 ms, SD √(0.00286667 / 2) = 37.859 ms.
        #expect(m.contactTimingS.count == 3)
        #expect(abs(try #require(m.contactTimingS.bias) - 0.01 / 3) < 1e-12)
        #expect(abs(try #require(m.contactTimingS.standardDeviation) - 0.037859) < 1e-6)
        // Step times 0.50, 0.48, 0.52, 0.54 in the bout: 60 / 0.51 = 117.647 against 120.
        #expect(m.cadence.boutCount == 1)
        #expect(abs(try #require(m.cadence.meanErrorSpm) - (120 - 60 / 0.51)) < 1e-4)
        // Sides: two of three pairs agree; both confident ones do.
        #expect(m.side.count == 3 && m.side.agreeing == 2 && m.side.confidentCount == 2 && m.side.confidentAgreeing == 2)
        // Contact time: +10, −20, +10 ms: bias 0, SD √(0.0006 / 2) = 17.321 ms, RMSE √(0.0006 / 3).
        #expect(m.contactTimeS.count == 3)
        #expect(abs(try #require(m.contactTimeS.bias)) < 1e-6)
        #expect(abs(try #require(m.contactTimeS.standardDeviation) - 0.017321) < 1e-5)
        #expect(abs(try #require(m.contactTimeS.rootMeanSquareError) - (0.0006 / 3).squareRoot()) < 1e-6)
        #expect(try #require(m.contactTimeBySlopeS).level.count == 3)
        // Toe-off: one pair, +30 ms. Peak force: +0.1 and −0.2 BW.
        #expect(m.finalContactS.count == 1)
        #expect(abs(try #require(m.finalContactS.bias) - 0.03) < 1e-9)
        #expect(m.peakForceBW.count == 2)
        #expect(abs(try #require(m.peakForceBW.bias) + 0.05) < 1e-6)
        // Medians: ours 0.31/0.30/0.29 and 2.1/2.0; the reference's 0.28/0.30/0.30/0.32 and 2.0/2.1/2.2.
        #expect(abs(try #require(Self.trial.medianContactTimeS.detected) - 0.30) < 1e-6)
        #expect(abs(try #require(Self.trial.medianContactTimeS.reference) - 0.30) < 1e-12)
        #expect(abs(try #require(Self.trial.medianPeakForceBW.detected) - 2.05) < 1e-6)
        #expect(abs(try #require(Self.trial.medianPeakForceBW.reference) - 2.1) < 1e-12)
    }

    @Test func aPoolAddsCountsAndScoresAllPairsTogether() throws {
        let pooled = ValidationMetrics(trials: [Self.trial, Self.trial])
        let single = ValidationMetrics(trials: [Self.trial])
        #expect(pooled.trialCount == 2 && pooled.referenceContactCount == 10)
        #expect(pooled.contactDetection.map(\.truePositives) == single.contactDetection.map { 2 * $0.truePositives })
        #expect(pooled.contactDetection.map(\.f1) == single.contactDetection.map(\.f1))
        #expect(pooled.contactTimingS.count == 6 && pooled.contactTimeS.count == 6 && pooled.cadence.boutCount == 2)
        // Six errors (+20, +30, −40 twice): SD √(2 × 0.00286667 / 5) = 33.863 ms.
        #expect(abs(try #require(pooled.contactTimingS.standardDeviation) - 0.033863) < 1e-6)
    }

    @Test func aBoutWithoutDetectedStepsCountsItsWholeCadence() {
        let trial = TrialEvidence(name: "empty", steps: [], reference: Self.reference, isHeldOut: false)
        let m = ValidationMetrics(trials: [trial])
        #expect(m.cadence.meanErrorSpm == 120)
        #expect(m.contactDetection.allSatisfy { $0.f1 == 0 && $0.falseNegatives == 5 })
    }
}
