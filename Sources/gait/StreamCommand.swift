import ArgumentParser
import Foundation
import GaitDSP
import SessionIO

/// `gait stream FILE`: plays a recorded session through the engine as a live clip would feed it.
struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Stream a recorded session through the live pipeline, printing cadence as it goes.",
        discussion: "The same engine as `gait analyze`; the final summary is identical to the batch analysis."
    )

    @Argument(help: "The session file to stream (CSV).")
    var file: String

    @Option(help: "Playback speed: 1 plays in real time, 0 as fast as possible.")
    var speed: Double = 0

    @Option(name: .customLong("block-size"), help: "Samples handed to the engine at a time (a live clip sends small blocks).")
    var blockSize: Int = 50

    func validate() throws {
        guard speed >= 0 else { throw ValidationError("--speed must be 0 or positive, got \(speed).") }
        guard blockSize >= 1 else { throw ValidationError("--block-size must be at least 1, got \(blockSize).") }
    }

    func run() throws {
        try Terminal.io { () throws(SessionIOError) in try stream() }
    }

    func stream() throws(SessionIOError) {
        var reader = try CSVSessionReader(path: file, blockSize: blockSize)
        var engine = GaitEngine(configuration: SessionFileAnalyzer.configuration(for: reader.metadata, base: GaitEngineConfiguration()))
        var firstTime: Double?
        let clock = ContinuousClock()
        let start = clock.now
        var reportedSteps = 0
        while let block = try reader.nextBlock() {
            engine.process(block)
            if firstTime == nil { firstTime = block.timeS.first }
            if speed > 0, let first = firstTime, let last = block.timeS.last {
                let due = start + .milliseconds(Int64((last - first) / speed * 1000))
                let wait = due - clock.now
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) * 1e-18) }
            }
            if engine.committedStepCount != reportedSteps {
                reportedSteps = engine.committedStepCount
                let t = (block.timeS.last ?? 0) - (firstTime ?? 0)
                let cadence = engine.liveCadenceSpm.map { String(format: "%.0f steps/min", $0) } ?? "–"
                print(String(format: "%8.1f s  %-8@ %@  (%d steps)", t, engine.liveActivity?.rawValue ?? "–", cadence, reportedSteps))
            }
        }
        let analysis = engine.finish(input: SessionFileAnalyzer.inputDescription(path: file, reader: reader))
        print("")
        print(analysis.textSummary())
    }
}
