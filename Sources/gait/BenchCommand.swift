#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ClipProtocol
import Foundation
import GaitDSP
import GaitInference
import GaitReport
import GaitSynth
import SessionIngest
import SessionIO
import SessionStore

/// `gait bench`: the throughput and memory figures of the analysis path.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure CSV parse throughput, DSP throughput, end-to-end time and peak memory.",
        discussion: """
        Writes a synthetic 6-axis running session (default: 1 h at 1 kHz, 3.6 M samples) to a temporary \
        CSV, then measures: parsing it (MB/s), the DSP alone on samples already in memory (samples/s), \
        writing its analysis as the JSON document and the per-step CSV (ms), `gait analyze` end to end \
        in a child process (seconds, samples/s, peak resident memory), and \
        decoding and verifying the clip's session blocks (MB/s), listing 1,000 sessions in the store (ms), \
        importing the CSV into a fresh store (the write lock's hold time and a second writer's longest wait, ms), \
        and making and rendering the HTML session report of a 1 h run at 100 Hz (ms, median; --report-only: just this). \
        Build with -c release for meaningful figures; everything runs on one core.
        """
    )

    @Option(name: .customLong("duration"), help: "Session length in seconds.")
    var durationS: Double = 3600

    @Option(name: .customLong("rate"), help: "Sampling rate in Hz.")
    var sampleRateHz: Double = 1000

    @Option(help: "Repetitions of the parse and DSP measurements; the best is reported.")
    var repeats: Int = 3

    @Option(name: .customLong("clip-megabytes"), help: "Size of the clip session whose blocks are decoded, MiB.")
    var clipMegabytes: Int = 64

    @Option(name: .customLong("store-sessions"), help: "Sessions imported into a fresh store before timing their listing.")
    var storeSessions: Int = 1000

    @Option(help: "Keep the generated CSV at this path instead of a temporary file.")
    var keep: String?

    @Flag(name: .customLong("report-only"), help: "Measure only the session report of a 1 h run (make and render the HTML).")
    var reportOnly = false

    @Flag(name: .customLong("ingest-only"), help: "Measure only the import through SessionIngest (write lock, another writer's and a reader's waits); with --keep, an existing file there is reused.")
    var ingestOnly = false

    func validate() throws {
        guard durationS >= 10 else { throw ValidationError("--duration must be at least 10 s, got \(durationS).") }
        guard sampleRateHz >= 50, sampleRateHz <= 1600 else { throw ValidationError("--rate must be 50 to 1600 Hz, got \(sampleRateHz).") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1.") }
        guard clipMegabytes >= 1 else { throw ValidationError("--clip-megabytes must be at least 1.") }
        guard storeSessions >= 1 else { throw ValidationError("--store-sessions must be at least 1.") }
    }

    func run() throws {
        if reportOnly {
            print("Backstride bench: session report only")
            measureSessionReport()
            return
        }
        var config = SynthConfig.easyRun(durationS: durationS, sampleRateHz: sampleRateHz, seed: 7)
        config.includeGyro = true
        let path = keep ?? NSTemporaryDirectory() + "backstride-bench-\(getpid()).csv"
        defer { if keep == nil { unlink(path) } }
        print(String(format: "Backstride bench: %.0f s of 6-axis data at %.0f Hz", durationS, sampleRateHz))

        if ingestOnly, let keep, FileManager.default.fileExists(atPath: keep) {
            try measureIngest(path: keep)
            return
        }
        let writeStart = Date()
        let session = try Terminal.io { () throws(SessionIOError) in try SyntheticSession.write(config: config, csvPath: path) }
        let samples = session.sampleCount
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(String(format: "  input              %d samples, %.1f MB CSV (written in %.2f s)", samples,
                     Double(fileBytes) / 1e6, Date().timeIntervalSince(writeStart)))
        if ingestOnly {
            try measureIngest(path: path)
            return
        }

        // End to end first, in a child process, while this process is still small: a child's peak
        // resident size counts the pages it shares with its parent until it execs.
        let (wall, peakKB, status) = try runChild(arguments: ["analyze", path, "--format", "json", "--output", "/dev/null", "--no-progress"])
        guard status == 0 else {
            Terminal.error("gait bench: the child `gait analyze` exited with status \(status)")
            throw ExitCode(1)
        }
        print(String(format: "  gait analyze       %.3f s end to end (%.1f M samples/s, parse included)", wall, Double(samples) / wall / 1e6))
        print(String(format: "  peak memory        %.1f MB resident (gait analyze)", Double(peakKB) / 1024))

        // CSV parse throughput.
        var bestParse = Double.infinity
        for _ in 0..<repeats {
            let parse = try Terminal.io { () throws(SessionIOError) in try SessionIOBenchmark.measureParse(path: path) }
            bestParse = min(bestParse, parse.seconds)
        }
        print(String(format: "  CSV parse          %.0f MB/s (%.1f M samples/s)", Double(fileBytes) / bestParse / 1e6, Double(samples) / bestParse / 1e6))

        // DSP alone, from memory.
        var blocks: [IMUBlock] = []
        var generator = SynthGenerator(config: config)
        while let chunk = generator.next(maxSamples: 65_536) { blocks.append(IMUBlock(chunk)) }
        var bestDSP = Double.infinity
        var steps = 0
        var lastAnalysis: GaitAnalysis?
        for _ in 0..<repeats {
            let clock = ContinuousClock()
            let start = clock.now
            var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: sampleRateHz))
            for block in blocks { engine.process(block) }
            let analysis = engine.finish(input: InputDescription(source: "memory", format: "synthetic"))
            bestDSP = min(bestDSP, seconds(clock.now - start))
            steps = analysis.steps.count
            lastAnalysis = analysis
        }
        blocks = []
        print(String(format: "  DSP (from memory)  %.1f M samples/s (%d steps found, %d true)", Double(samples) / bestDSP / 1e6, steps, session.steps.count))
        if let lastAnalysis { try measureDocuments(lastAnalysis) }

        // The clip's session blocks: CRC checks and samples to g, deg/s and seconds.
        let clip = ClipProtocolBenchmark.measureBlockDecoding(megabytes: clipMegabytes)
        print(String(format: "  clip block decode  %.0f MB/s (%.0f MiB session, every block verified)", Double(clip.bytes) / clip.seconds / 1e6,
                     Double(clip.bytes) / 1_048_576))

        // The session store: list 1,000 stored sessions (SQLite through GRDB, a fresh database).
        do {
            let store = try SessionStoreBenchmark.measureListing(sessions: storeSessions)
            print(String(format: "  store listing      %.1f ms for %d sessions (imported in %.1f s)", store.listingS * 1000, storeSessions, store.importS))
        } catch {
            Terminal.error("gait bench: the store benchmark failed: \(error)")
            throw ExitCode(1)
        }

        try measureIngest(path: path)

        measureSessionReport()
    }

    /// Writing the analysis out as `gait analyze` does: the JSON document with its flags, and the
    /// per-step CSV; best of `repeats`.
    func measureDocuments(_ analysis: GaitAnalysis) throws {
        var bestJSON = Double.infinity, bestCSV = Double.infinity
        var jsonBytes = 0, csvBytes = 0
        let document = InferredAnalysis(analysis: analysis)
        for _ in 0..<repeats {
            let clock = ContinuousClock()
            var start = clock.now
            jsonBytes = try document.jsonData().count
            bestJSON = min(bestJSON, seconds(clock.now - start))
            start = clock.now
            csvBytes = ([GaitAnalysis.stepCSVHeader] + analysis.stepRows()).joined(separator: "\n").utf8.count
            bestCSV = min(bestCSV, seconds(clock.now - start))
        }
        print(String(format: "  documents          JSON %.0f ms (%.1f MB), step CSV %.0f ms (%.1f MB), %d steps",
                     bestJSON * 1000, Double(jsonBytes) / 1e6, bestCSV * 1000, Double(csvBytes) / 1e6, analysis.steps.count))
    }

    /// The session report of a 1 h run at 100 Hz (warm-up walk, fatigue from 35 min so a late-run
    /// flag and its onset are drawn), independent of --duration and --rate: made from the analysis
    /// with its flags, and rendered to HTML; medians of at least 5.
    /// One way in: the longest the store's write lock is held while the CSV at `path` is
    /// imported, and what a second connection (as another process would) waits meanwhile to
    /// write and to read.
    func measureIngest(path: String) throws {
        do {
            let ingest = try IngestBenchmark.measure(path: path)
            print(String(format: "  import (ingest)    %.2f s; write lock held %.0f ms; another writer waited at most %.0f ms (%d writes), a reader at most %.1f ms (%d reads)",
                         ingest.ingestS, ingest.writeLockS * 1000, ingest.otherWriterMaxS * 1000, ingest.otherWriterCount,
                         ingest.readerMaxS * 1000, ingest.readerCount))
        } catch {
            Terminal.error("gait bench: the import benchmark failed: \(error)")
            throw ExitCode(1)
        }
    }

    func measureSessionReport() {
        var config = SynthConfig(sampleRateHz: 100, seed: 7, segments: [
            .walking(durationS: 240, cadenceSpm: 112, speedMps: 1.4), .running(durationS: 3360, cadenceSpm: 172, speedMps: 3.2),
        ])
        config.fatigueOnsetS = 2100
        config.cadenceDriftPctPerHour = -14
        config.impactDriftPctPerHour = 40
        config.contactTimeDriftPctPerHour = 22
        config.impactAsymmetryPct = 6
        var generator = SynthGenerator(config: config)
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: 100))
        while let chunk = generator.next(maxSamples: 65_536) { engine.process(IMUBlock(chunk)) }
        let document = InferredAnalysis(analysis: engine.finish(input: InputDescription(source: "synthetic 1 h run", format: "synthetic")))
        let result = SessionReportBenchmark.measure(document: document, repeats: max(5, repeats))
        print(String(format: "  session report     %.1f ms HTML + %.1f ms to make it, 1 h run (%d steps, %.0f kB, flags: %@; median of %d)",
                     result.htmlS * 1000, result.makeS * 1000, result.stepCount, Double(result.htmlBytes) / 1000,
                     document.flags.map(\.id).joined(separator: ", "), max(5, repeats)))
    }

    func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Runs this executable with `arguments`; returns wall seconds, the child's peak RSS in KiB, and its exit status.
    func runChild(arguments: [String]) throws -> (Double, Int, Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        let start = Date()
        try process.run()
        process.waitUntilExit()
        let wall = Date().timeIntervalSince(start)
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return (wall, Int(usage.ru_maxrss), process.terminationStatus)
    }
}
