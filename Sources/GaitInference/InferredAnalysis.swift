import Foundation
import GaitDSP

/// The analysis document with its flags: what `gait analyze --format json` prints. It is the
/// `backstride.analysis/1` document with two more top-level keys, `flags` and `inference`, so
/// readers of the analysis alone keep working.
public struct InferredAnalysis: Sendable, Equatable, Codable {
    /// The gait analysis.
    public var analysis: GaitAnalysis
    /// The flags, most severe first.
    public var flags: [GaitFlag]
    /// What the flags were computed with.
    public var inference: InferenceSummary

    /// Creates the document.
    public init(analysis: GaitAnalysis, flags: [GaitFlag], inference: InferenceSummary) {
        self.analysis = analysis
        self.flags = flags
        self.inference = inference
    }

    /// Analyses `analysis` with `context` and wraps the result.
    public init(analysis: GaitAnalysis, context: InferenceContext = InferenceContext()) {
        self.init(analysis: analysis, flags: GaitInferenceEngine.flags(for: analysis, context: context),
                  inference: InferenceSummary(analysis: analysis, context: context))
    }

    enum ExtraKeys: String, CodingKey {
        case flags = "flags"
        case inference = "inference"
    }

    public func encode(to encoder: any Encoder) throws {
        try analysis.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(flags, forKey: .flags)
        try container.encode(inference, forKey: .inference)
    }

    public init(from decoder: any Decoder) throws {
        analysis = try GaitAnalysis(from: decoder)
        let container = try decoder.container(keyedBy: ExtraKeys.self)
        flags = try container.decode([GaitFlag].self, forKey: .flags)
        inference = try container.decode(InferenceSummary.self, forKey: .inference)
    }
}

/// What the flags of a document were computed against.
public struct InferenceSummary: Sendable, Equatable, Codable {
    /// Earlier sessions of the runner that were available.
    public var historySessionCount: Int
    /// Runs the personal baseline was learned from.
    public var baselineSessionCount: Int
    /// Whether the baseline was trusted (enough runs); otherwise population thresholds were used.
    public var baselineTrusted: Bool
    /// The shoe, when recorded.
    public var shoe: String?
    /// What the flags could not look at and why (e.g. impact at a low sampling rate).
    public var notes: [String]

    /// What `context` gave the flags of `analysis`: the history before it, the baseline learned
    /// from that history, the shoe, and what could not be looked at (impact at a low sampling rate).
    public init(analysis: GaitAnalysis, context: InferenceContext) {
        let earlier = context.earlierSessions
        let baseline = RunnerBaseline(history: earlier)
        self.init(historySessionCount: earlier.count, baselineSessionCount: baseline.sessionCount, baselineTrusted: baseline.isTrusted,
                  shoe: context.shoe?.name,
                  notes: ImpactMeasurement.isMeasurable(sampleRateHz: analysis.sampleRateHz) ? [] : [
                      String(format: "Impact and loading rate are not reliable at %.0f Hz (the landing transient lasts 15–40 ms; at least %.0f Hz is needed): impact-based flags are not raised.", analysis.sampleRateHz, ImpactMeasurement.minimumSampleRateHz),
                  ])
    }

    /// Creates the summary.
    public init(historySessionCount: Int, baselineSessionCount: Int, baselineTrusted: Bool, shoe: String?, notes: [String] = []) {
        self.historySessionCount = historySessionCount
        self.baselineSessionCount = baselineSessionCount
        self.baselineTrusted = baselineTrusted
        self.shoe = shoe
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case historySessionCount = "history_session_count"
        case baselineSessionCount = "baseline_session_count"
        case baselineTrusted = "baseline_trusted"
        case shoe = "shoe"
        case notes = "notes"
    }
}

extension InferredAnalysis {
    /// The document as JSON (snake_case keys as each type spells them; dates as ISO 8601).
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        if !prettyPrinted, let data = try GaitAnalysis.compactJSON(of: self, steps: \.analysis.steps, encoder: encoder) { return data }
        return try encoder.encode(self)
    }

    /// Reads a document written by `jsonData()`.
    public static func decode(json: Data) throws -> InferredAnalysis {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(InferredAnalysis.self, from: json)
    }
}
