import GaitDSP
import GaitValidation
import Testing

/// The one-to-one pairing behind the paired measures, and its agreement with `EventMatch.match`.
@Suite struct MatchedEventTests {
    @Test func pairsWithinTheToleranceAndLeavesTheRestUnmatched() {
        let detected = [0.10, 0.52, 0.98, 1.50], reference = [0.12, 0.50, 1.00, 2.00]
        let pairs = MatchedEvent.pairs(detected: detected, reference: reference, toleranceS: 0.05)
        #expect(pairs.map(\.detectedIndex) == [0, 1, 2])
        #expect(pairs.map(\.referenceIndex) == [0, 1, 2])
        #expect(zip(pairs.map(\.errorS), [-0.02, 0.02, -0.02]).allSatisfy { abs($0 - $1) < 1e-12 })
        let match = EventMatch.match(detected: detected, reference: reference, toleranceS: 0.05)
        #expect(match.truePositives == 3 && match.falsePositives == 1 && match.falseNegatives == 1)
    }

    @Test func theClosestPairWinsAndEachEventIsUsedOnce() {
        // 1.00 is 30 ms from 0.97 and 20 ms from 1.02: it goes with 1.02, and 0.97 stays unmatched.
        let pairs = MatchedEvent.pairs(detected: [1.00], reference: [0.97, 1.02], toleranceS: 0.05)
        #expect(pairs == [MatchedEvent(detectedIndex: 0, referenceIndex: 1, errorS: 1.00 - 1.02)])
    }

    @Test func indicesReferToTheArraysAsPassedInAnyOrder() {
        let pairs = MatchedEvent.pairs(detected: [2.01, 0.99], reference: [1.0, 2.0], toleranceS: 0.05)
        #expect(pairs.map(\.detectedIndex) == [1, 0])
        #expect(pairs.map(\.referenceIndex) == [0, 1])
    }

    @Test(arguments: [0.025, 0.05, 0.1, 0.2])
    func countsAndMeanErrorAgreeWithEventMatch(toleranceS: Double) {
        // Steps every 0.3–0.5 s with a jittered, sometimes missing or doubled detection.
        var generator = LinearCongruential(seed: 7)
        var reference: [Double] = [], detected: [Double] = []
        var t = 0.0
        for _ in 0..<400 {
            t += 0.3 + 0.2 * generator.next()
            reference.append(t)
            let roll = generator.next()
            if roll > 0.08 { detected.append(t + (generator.next() - 0.5) * 0.16) }
            if roll > 0.95 { detected.append(t + 0.12 + 0.05 * generator.next()) }
        }
        let pairs = MatchedEvent.pairs(detected: detected, reference: reference, toleranceS: toleranceS)
        let match = EventMatch.match(detected: detected, reference: reference, toleranceS: toleranceS)
        #expect(pairs.count == match.truePositives)
        #expect(abs(pairs.map(\.errorS).reduce(0, +) / Double(pairs.count) - match.meanSignedErrorS) < 1e-12)
        #expect(Set(pairs.map(\.detectedIndex)).count == pairs.count && Set(pairs.map(\.referenceIndex)).count == pairs.count)
    }
}

/// A small deterministic generator of numbers in [0, 1).
struct LinearCongruential {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
}
