import Foundation
import GaitDSP
import GaitInference
import GaitSynth

/// A shoe's life as a sequence of runs: impact flat for its first runs, then rising slowly; the
/// shoe-wear flag must come within a few runs after the rise passes the threshold, never before.
public struct ShoeWearSequence: Sendable {
    /// Number of sessions.
    public var sessionCount: Int
    /// Session index (0-based) after which the true impact starts to rise.
    public var riseStartsAfter: Int
    /// True impact rise per session after that, fraction of the first runs' impact.
    public var risePerSession: Double
    /// The runner.
    public var runner: SyntheticRunner
    /// Seed of the sessions' signals.
    public var seed: UInt64

    /// Creates a sequence with a healthy runner recorded at ≥ 100 Hz (impact needs it).
    public init(sessionCount: Int = 60, riseStartsAfter: Int = 15, risePerSession: Double = 0.006, seed: UInt64 = 1) {
        self.sessionCount = sessionCount
        self.riseStartsAfter = riseStartsAfter
        self.risePerSession = risePerSession
        var runner = SyntheticRunner.healthy(seed: seed)
        runner.gait.sampleRateHz = max(ImpactMeasurement.minimumSampleRateHz, runner.gait.sampleRateHz)
        self.runner = runner
        self.seed = seed
    }

    /// The true impact factor of session `k` against the first runs.
    public func trueImpactFactor(_ k: Int) -> Double { 1 + risePerSession * Double(max(0, k - riseStartsAfter)) }

    /// The first session whose true impact is at least the flag's threshold above the first runs.
    public var firstSessionPastThreshold: Int? {
        (0..<sessionCount).first { trueImpactFactor($0) >= 1 + ShoeWearRule.impactRise - 1e-9 }
    }

    /// What the sequence produced: for each session, whether the shoe-wear flag was raised and its severity.
    public struct Outcome: Sendable {
        public var flagged: [FlagSeverity?]
        /// Measured impact median of each session, g.
        public var measuredImpactG: [Double]
        /// The first flagged session.
        public var firstFlagged: Int? { flagged.firstIndex { $0 != nil } }
    }

    /// Analyses every session in order, each with the ones before it as history. Every seventh
    /// session is an interval session at +6 % cadence (not comparable, to be skipped); the others
    /// vary cadence by ±1.5 %.
    public func run() -> Outcome {
        var rng = SynthRandom(seed: seed, stream: 0x5348_4F45)
        let shoe = ShoeInfo(key: "sequence-shoe", name: "Sequence shoe", declaredDistanceKm: 0)
        var history: [SessionFacts] = []
        var flagged: [FlagSeverity?] = []
        var measured: [Double] = []
        for k in 0..<sessionCount {
            var r = runner
            r.gait.impactPeakG = runner.gait.impactPeakG * trueImpactFactor(k)
            r.cadenceSpm = runner.cadenceSpm * (k % 7 == 6 ? 1.06 : 1 + 0.015 * (2 * rng.nextUnit() - 1))
            let config = r.config(segments: [.walking(durationS: 60, cadenceSpm: 110, speedMps: 1.4), r.running(durationS: 420)],
                                  seed: seed &+ UInt64(k) &* 31)
            let (analysis, _) = ScenarioAnalysis.analyse(config)
            let context = InferenceContext(sessionKey: "s\(k)", startedAt: Scenario.referenceDate.addingTimeInterval(Double(k) * 2 * 86_400),
                                           shoe: shoe, distanceKm: 8, history: history)
            let flags = GaitInferenceEngine.flags(for: analysis, context: context)
            flagged.append(flags.first { $0.topic == .shoeWear }?.severity)
            measured.append(SessionFacts(analysis: analysis, sessionKey: "").median(.impactPeakG) ?? .nan)
            history.append(GaitInferenceEngine.facts(of: analysis, context: context, flags: flags))
        }
        return Outcome(flagged: flagged, measuredImpactG: measured)
    }
}
