import GaitDSP
import SessionIO

/// Analyses one stored session and stores the analysis: blocking, run on a dedicated thread.
struct SessionAnalysisJob: Sendable {
    let sink: any SessionSink

    /// Analyses the session's data file and stores the analysis (its `input.source` is the stored
    /// data file). Returns the analysis.
    func run(_ session: SinkSession) throws -> GaitAnalysis {
        let analysis = try SessionFileAnalyzer.analyze(path: session.dataPath)
        try sink.storeAnalysis(analysis, for: session)
        return analysis
    }
}
