import Dispatch
import GaitInference

/// Timings of the session report, for `gait bench` (figures mean something only from a release
/// build): making the report from an analysis with its flags, and rendering its HTML.
public enum SessionReportBenchmark {
    /// What one measurement found.
    public struct Result: Sendable {
        /// Median time to make the report from the document, seconds.
        public var makeS: Double
        /// Median time of `html()`, seconds.
        public var htmlS: Double
        /// Size of the HTML, bytes.
        public var htmlBytes: Int
        /// Steps in the analysis.
        public var stepCount: Int
    }

    /// Makes and renders the report of `document` `repeats` times (at least 1); returns the medians.
    public static func measure(document: InferredAnalysis, repeats: Int) -> Result {
        var makeTimes: [Double] = [], htmlTimes: [Double] = []
        var bytes = 0
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            let report = SessionReport(document: document)
            let made = DispatchTime.now().uptimeNanoseconds
            let html = report.html()
            let rendered = DispatchTime.now().uptimeNanoseconds
            bytes = html.utf8.count
            makeTimes.append(Double(made - start) / 1e9)
            htmlTimes.append(Double(rendered - made) / 1e9)
        }
        return Result(makeS: RobustStatistics.median(makeTimes) ?? 0, htmlS: RobustStatistics.median(htmlTimes) ?? 0,
                      htmlBytes: bytes, stepCount: document.analysis.steps.count)
    }
}
