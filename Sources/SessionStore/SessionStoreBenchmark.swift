import Foundation
import GaitDSP

/// Timings of the session store, for `gait bench` and the tests (figures mean something only
/// from a release build).
public enum SessionStoreBenchmark {
    /// Imports `sessions` short synthetic sessions (10 s at 100 Hz, one `insertSession` each) into a
    /// new database in a temporary folder, then lists them all with `sessions(limit:)`; returns
    /// the best of five listings, seconds.
    public static func listing(sessions: Int = 1000) throws -> Double {
        try measureListing(sessions: sessions).listingS
    }

    /// The listing time (best of five, seconds) and the time to import the sessions, seconds.
    public static func measureListing(sessions: Int) throws -> (listingS: Double, importS: Double) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-store-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteSessionStore(path: folder + "/bench.sqlite")
        let samples = syntheticRun(durationS: 10, rateHz: 100)
        let input = InputDescription(source: "synthetic", format: "synthetic")
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: 100))
        engine.process(samples)
        let analysis = engine.finish(input: input)
        let importStart = DispatchTime.now().uptimeNanoseconds
        for i in 0..<sessions {
            let spool = try RawChunkSpool()
            try spool.append(samples)
            try spool.finish()
            let draft = SessionDraft(source: .csv, sourcePath: "synthetic-\(i)", contentHash: "synthetic-\(i)",
                                     configuredSampleRateHz: 100, readerInput: input, analysis: analysis)
            _ = try store.insertSession(draft, rawSamples: spool, inference: nil)
        }
        let importS = Double(DispatchTime.now().uptimeNanoseconds - importStart) / 1e9
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let rows = try store.sessions(limit: sessions)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            precondition(rows.count == sessions, "listed \(rows.count) of \(sessions) sessions")
            best = min(best, elapsed)
        }
        return (best, importS)
    }

    /// A running-like signal: 1 g plus a 2.8 Hz vertical bounce, a little sway, no gyroscope.
    static func syntheticRun(durationS: Double, rateHz: Double) -> IMUBlock {
        let count = Int(durationS * rateHz)
        var block = IMUBlock(capacity: count)
        for i in 0..<count {
            let t = Double(i) / rateHz
            let phase = Float(2 * Double.pi * 2.8 * t)
            block.append(timeS: t, x: 0.2 * sin(phase / 2), y: 0.1 * cos(phase), z: 1 + 0.9 * max(0, sin(phase)) - 0.3)
        }
        return block
    }
}
