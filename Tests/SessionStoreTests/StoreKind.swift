import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitInference
import GaitSynth
import SessionStore
import Testing

/// The implementations of `SessionStore` the contract tests run against, each test on a new,
/// empty store.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `SQLiteSessionStore` in a new file.
    case sqlite
    /// `PostgresSessionStore` on a new database of the throw-away server (`PostgresTestServer`).
    case postgres

    var testDescription: String { rawValue }

    /// A new, empty store of this kind.
    func makeStore() throws -> any SessionStore {
        switch self {
        case .sqlite: try SQLiteSessionStore(path: temporaryDirectory(prefix: "backstride-contract") + "/store.sqlite")
        case .postgres: try PostgresSessionStore(url: PostgresTestServer.freshDatabaseURL())
        }
    }
}

/// Drafts and samples for the contract tests: one synthetic run analysed once per process (what
/// the tests check is the store, not the engine).
enum ContractFixtures {
    /// A 30 s steady run at 100 Hz, analysed.
    static let analysis: GaitAnalysis = {
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: 100))
        for block in SyntheticRun.blocks(.steadyRun(durationS: 30, sampleRateHz: 100, seed: 5)) { engine.process(block) }
        return engine.finish(input: readerInput)
    }()

    static let readerInput = InputDescription(source: "contract.csv", format: "canonical")

    /// 70,000 samples with a gyroscope (two stored chunks: 65,536 + 4,464), every value distinct.
    static let rawSamples: IMUBlock = {
        var block = IMUBlock(capacity: 70_000, hasGyro: true)
        for i in 0..<70_000 {
            let t = Double(i) / 100
            let phase = Float(t * 2 * Double.pi * 2.8)
            block.append(timeS: t, x: 0.2 * sin(phase / 2), y: 0.1 * cos(phase), z: 1 + 0.9 * max(0, sin(phase)) - 0.3,
                         gx: 10 * sin(phase), gy: Float(i % 977) * 0.01, gz: -Float(i) * 1e-4)
        }
        return block
    }()

    /// A spool of `samples` (a short one by default).
    static func spool(_ samples: IMUBlock? = nil) throws -> RawChunkSpool {
        let spool = try RawChunkSpool()
        if let samples {
            try spool.append(samples)
        } else {
            var short = IMUBlock(capacity: 3)
            for i in 0..<3 { short.append(timeS: Double(i) / 100, x: 0, y: 0, z: 1) }
            try spool.append(short)
        }
        try spool.finish()
        return spool
    }

    /// A draft of the analysed run, as SessionIngest would hand it over.
    static func draft(hash: String, clip: SessionDraft.ClipIdentity? = nil, startedAt: Date? = nil, runnerID: Int64? = nil,
                      shoeID: Int64? = nil, distanceKm: Double? = nil, speed: SessionSpeed? = nil, analysis: GaitAnalysis = analysis) -> SessionDraft {
        SessionDraft(source: clip == nil ? .csv : .clip, sourcePath: clip == nil ? "/runs/\(hash).csv" : "/archive/\(hash).bsession",
                     contentHash: hash, clip: clip, startedAt: startedAt, configuredSampleRateHz: 100, readerInput: readerInput,
                     analysis: analysis, runnerID: runnerID, shoeID: shoeID, distanceKm: distanceKm, speed: speed)
    }

    /// Inserts a draft with a short spool; returns its id.
    @discardableResult
    static func insert(_ store: any SessionStore, hash: String, startedAt: Date? = nil, runnerID: Int64? = nil,
                       inference: SessionInference? = nil) throws -> SessionID {
        try store.insertSession(draft(hash: hash, startedAt: startedAt, runnerID: runnerID), rawSamples: spool(), inference: inference).id
    }

    /// A watch pairing.
    static func speed(source: String = "run.fit", speedMPS: Double = 3.2) -> SessionSpeed {
        SessionSpeed(source: source, offsetS: 1.5, method: "clock", cadenceCorrelation: nil, cadenceDifferenceSPM: 1.2, overlap: 0.9,
                     distanceKm: 5.1, minutes: [.init(startS: 0, speedMPS: speedMPS, gradePct: 0.5), .init(startS: 60, speedMPS: speedMPS + 0.1)])
    }

    /// A flag as the inference layer writes one.
    static func flag(id: String = "asymmetry.impact_peak_g") -> GaitFlag {
        GaitFlag(id: id, topic: .asymmetry, severity: .moderate, confidence: 0.7, title: "Uneven impact",
                 explanation: "The left side lands 12 % harder.", reference: FlagReference(kind: .population, description: "runners in general"),
                 evidence: [], advice: ["Run a few easy strides.", "Check your shoes."])
    }

    /// Flags and facts for a session of `analysis`.
    static func inference(flags: [GaitFlag]) -> SessionInference {
        SessionInference(flags: flags, facts: GaitInferenceEngine.facts(of: analysis, context: InferenceContext(), flags: flags))
    }

    /// A time both stores keep exactly (whole seconds).
    static func time(_ secondsAfter: Double = 0) -> Date { Date(timeIntervalSince1970: 1_760_000_000 + secondsAfter) }
}
