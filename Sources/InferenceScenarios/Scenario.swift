import Foundation
import GaitDSP
import GaitInference
import GaitSynth

/// One earlier session of a scenario's history.
public struct HistorySession: Sendable {
    /// The session's signal.
    public var config: SynthConfig
    /// Days before the scenario's session.
    public var daysBefore: Double
    /// Pain score logged for it.
    public var painScore: Int?
    /// Shoe worn.
    public var shoeKey: String?
    /// Running time to record instead of the synthetic run's (training-load scenarios plan weeks of
    /// 30–60 min runs; their gait is a short run, since the load rules read only the time).
    public var runningTimeS: Double?
    /// Speed and slope from a watch file for it, if the runner wore one.
    public var speed: SessionSpeed?

    /// Creates a history session.
    public init(config: SynthConfig, daysBefore: Double, painScore: Int? = nil, shoeKey: String? = nil, runningTimeS: Double? = nil) {
        self.config = config
        self.daysBefore = daysBefore
        self.painScore = painScore
        self.shoeKey = shoeKey
        self.runningTimeS = runningTimeS
    }
}

/// A synthetic session with the flag it must raise (at least at a severity) or, for a healthy
/// run, none at all.
public struct Scenario: Sendable {
    /// Name for reports, e.g. "overstriding #3".
    public var name: String
    /// The flag kind the run must raise; nil: a healthy run that must raise no flag.
    public var expected: FlagKind?
    /// The lowest severity the expected flag may have.
    public var minimumSeverity: FlagSeverity
    /// The analysed session.
    public var config: SynthConfig
    /// Earlier sessions (the runner's history), analysed the same way.
    public var history: [HistorySession]
    /// Shoe worn in the session.
    public var shoe: ShoeInfo?
    /// Pain score logged for the session.
    public var painScore: Int?
    /// Running time to record for the session instead of the synthetic run's (load scenarios).
    public var runningTimeS: Double?
    /// Speed and slope from a watch file for the session.
    public var speed: SessionSpeed?

    /// Creates a scenario.
    public init(name: String, expected: FlagKind?, minimumSeverity: FlagSeverity = .low, config: SynthConfig,
                history: [HistorySession] = [], shoe: ShoeInfo? = nil, painScore: Int? = nil) {
        self.name = name
        self.expected = expected
        self.minimumSeverity = minimumSeverity
        self.config = config
        self.history = history
        self.shoe = shoe
        self.painScore = painScore
    }
}

/// What one scenario produced.
public struct ScenarioOutcome: Sendable {
    /// The scenario's name.
    public var name: String
    /// The expected flag kind (nil: healthy).
    public var expected: FlagKind?
    /// Whether the run came with a history (baselines in play).
    public var hasHistory: Bool
    /// The flags raised.
    public var flags: [GaitFlag]
    /// Whether the outcome is what the scenario demands.
    public var passed: Bool
    /// Samples analysed (session and history).
    public var sampleCount: Int
    /// Facts of the history sessions and, last, of the session (for explaining a miss).
    public var facts: [SessionFacts]
    /// The session minute by minute.
    public var timeline: RunTimeline
}

extension Scenario {
    /// The reference time of scenario sessions: a fixed date, so outcomes are reproducible.
    public static let referenceDate = Date(timeIntervalSince1970: 1_780_000_000)

    /// Analyses the history and the session: the session's document with its flags, the facts of
    /// the history and of the session, and the samples analysed.
    public func analyse() -> (document: InferredAnalysis, facts: [SessionFacts], sampleCount: Int) {
        var samples = 0
        var facts: [SessionFacts] = []
        for (i, h) in history.enumerated() {
            let (analysis, n) = ScenarioAnalysis.analyse(h.config)
            samples += n
            var f = SessionFacts(analysis: analysis, sessionKey: "h\(i)",
                                 startedAt: Scenario.referenceDate.addingTimeInterval(-h.daysBefore * 86_400),
                                 shoeKey: h.shoeKey, painScore: h.painScore)
            if let t = h.runningTimeS { f.runningTimeS = t }
            if let speed = h.speed { f.add(speed, timeline: RunTimeline(analysis: analysis)) }
            // Earlier flags, for persistence, as the store would have them.
            let earlierContext = InferenceContext(sessionKey: f.sessionKey, startedAt: f.startedAt, history: facts)
            f.flagIDs = GaitInferenceEngine.flags(for: analysis, context: earlierContext).map(\.id)
            facts.append(f)
        }
        var (analysis, n) = ScenarioAnalysis.analyse(config)
        if let runningTimeS { analysis.summary.activityTimeS[ActivityKind.running.rawValue] = runningTimeS }
        samples += n
        let context = InferenceContext(sessionKey: "now", startedAt: Scenario.referenceDate, shoe: shoe,
                                       painScore: painScore, history: facts, speed: speed)
        let document = InferredAnalysis(analysis: analysis, context: context)
        return (document, facts + [GaitInferenceEngine.facts(of: analysis, context: context, flags: document.flags)], samples)
    }

    /// Analyses the history and the session and checks the flags.
    public func run() -> ScenarioOutcome {
        let (document, facts, samples) = analyse()
        let flags = document.flags
        let passed: Bool
        if let expected {
            passed = flags.contains { $0.topic == expected && $0.severity >= minimumSeverity }
        } else {
            // Observations and information are not false alarms: a healthy run may show them.
            passed = !flags.contains { $0.kind == .warning }
        }
        return ScenarioOutcome(name: name, expected: expected, hasHistory: !history.isEmpty, flags: flags, passed: passed, sampleCount: samples,
                               facts: facts, timeline: RunTimeline(analysis: document.analysis))
    }
}

/// Runs GaitSynth sessions through the streaming engine.
public enum ScenarioAnalysis {
    /// The analysis of a synthetic session and its sample count.
    public static func analyse(_ config: SynthConfig) -> (GaitAnalysis, Int) {
        var generator = SynthGenerator(config: config)
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: config.sampleRateHz))
        var chunk = SynthChunk()
        var count = 0
        while generator.next(into: &chunk, maxSamples: 8192) {
            count += chunk.count
            engine.process(IMUBlock(timeS: chunk.timeS, accelXG: chunk.accelXG, accelYG: chunk.accelYG, accelZG: chunk.accelZG,
                                    gyroXDPS: chunk.gyroXDPS, gyroYDPS: chunk.gyroYDPS, gyroZDPS: chunk.gyroZDPS))
        }
        return (engine.finish(input: InputDescription(source: "GaitSynth seed \(config.seed)", format: "GaitSynth",
                                                       hasGyroscope: config.includeGyro)), count)
    }
}
