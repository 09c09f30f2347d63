import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitInference
import GaitSynth
import SessionIO
import SessionStore

/// Synthetic runs through the real engine, and real SQLite stores in temporary folders.
enum ReportFixtures {
    /// The analysis of a configuration by the real engine.
    static func analysis(_ config: SynthConfig, source: String = "synthetic") -> GaitAnalysis {
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: config.sampleRateHz))
        for block in SyntheticRun.blocks(config) { engine.process(block) }
        return engine.finish(input: InputDescription(source: source, format: "synthetic"))
    }

    /// A 43 min outing: a 3 min warm-up walk, then 40 min of running whose cadence falls and whose
    /// contact time and impact rise from minute 23 (fatigue), with the left side landing 20 % harder.
    static func fatigueConfig(seed: UInt64 = 11) -> SynthConfig {
        var config = SynthConfig(sampleRateHz: 100, seed: seed, segments: [
            .walking(durationS: 180, cadenceSpm: 112, speedMps: 1.4), .running(durationS: 2400, cadenceSpm: 172, speedMps: 3.2),
        ])
        config.fatigueOnsetS = 1380
        config.cadenceDriftPctPerHour = -15
        config.impactDriftPctPerHour = 42
        config.contactTimeDriftPctPerHour = 24
        config.impactAsymmetryPct = 20
        return config
    }

    /// The fatigue run with its flags (computed once; the tests share it).
    static let fatigueRun: InferredAnalysis = InferredAnalysis(analysis: analysis(fatigueConfig(), source: "fatigue-run.csv"))

    /// A 1 h run at 100 Hz (about 10,000 steps).
    static let hourRun: InferredAnalysis = {
        var config = SynthConfig(sampleRateHz: 100, seed: 5, segments: [.running(durationS: 3600, cadenceSpm: 170)])
        config.stepTimeAsymmetryPct = 6
        return InferredAnalysis(analysis: analysis(config, source: "hour-run.csv"))
    }()

    /// A new, empty folder under the temporary directory.
    static func folder() -> String {
        try! temporaryDirectory(prefix: "backstride-report-tests")
    }

    /// A store in a new folder.
    static func store() throws -> SQLiteSessionStore {
        try SQLiteSessionStore(path: folder() + "/store.sqlite")
    }

    /// A whole second, so dates survive ISO 8601 in the JSON export unchanged.
    static func day(_ n: Int) -> Date { Date(timeIntervalSince1970: 1_780_000_000 + Double(n) * 86_400) }
}
