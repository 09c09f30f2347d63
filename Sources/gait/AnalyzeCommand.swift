import ArgumentParser
import Foundation
import GaitDSP
import GaitInference
import SessionIO

/// `gait analyze FILE`: replays a recorded session through the analysis engine.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a recorded session (CSV) and print the gait analysis.",
        discussion: """
        Reads the canonical Backstride CSV (t_s,ax_g,ay_g,az_g[,gx_dps,gy_dps,gz_dps]) or an export of \
        phyphox, Sensor Logger, MetaWear/MetaBase or GENEActiv, recognised from its header.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    @Argument(help: "The session file to analyse (CSV).")
    var file: String

    @Option(help: "Output format: text (a readable summary), json (the analysis document) or csv (one row per step).")
    var format: Format = .text

    @Option(name: .customLong("sample-rate"), help: "Nominal sampling rate in Hz, overriding the file's fs_hz and the rate estimated from its timestamps.")
    var sampleRateHz: Double?

    @Option(name: .shortAndLong, help: "Write the output to this file instead of standard output.")
    var output: String?

    @Flag(help: "Never show the progress line (it is shown only on a terminal, for long files).")
    var noProgress = false

    func validate() throws {
        if let rate = sampleRateHz, !(rate >= 1 && rate <= 10_000) {
            throw ValidationError("--sample-rate must be between 1 and 10000 Hz, got \(rate).")
        }
        try Terminal.refuseOverwriting([output], protected: [(file, "the session being analysed")])
    }

    func run() throws {
        var progress = Terminal.Progress(label: "analysing \(file)", enabled: !noProgress)
        let analysis: GaitAnalysis
        do {
            analysis = try SessionFileAnalyzer.analyze(
                path: file, configuration: GaitEngineConfiguration(nominalSampleRateHz: sampleRateHz),
                progress: { done, total in progress.update(done: done, total: total) })
        } catch {
            progress.finish()
            throw Terminal.fail(error)
        }
        progress.finish()
        let text: String
        switch format {
        case .text: text = Terminal.printableLines(InferredAnalysis(analysis: analysis).textSummary()) + "\n"
        case .json: text = String(decoding: try InferredAnalysis(analysis: analysis).jsonData(), as: UTF8.self) + "\n"
        case .csv: text = ([GaitAnalysis.stepCSVHeader] + analysis.stepRows()).joined(separator: "\n") + "\n"
        }
        if let output {
            // Written in place, not atomically: an atomic write would rename a temporary file
            // over the target, replacing /dev/null or a named pipe with a regular file.
            guard Terminal.writeFile(text, toPath: output) else { throw ExitCode(73) }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
