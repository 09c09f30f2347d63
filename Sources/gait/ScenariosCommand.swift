import ArgumentParser
import Foundation
import GaitDSP
import GaitInference
import InferenceScenarios

/// `gait scenarios`: runs the inference scenario suite and prints its rates.
struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "Run the flag scenario suite on synthetic runs: false-positive rate on healthy runs, detection rate per flag.",
        discussion: """
        Each run has its own random runner (cadence, speed, impact, clip orientation, sampling rate, noise) \
        made by GaitSynth and goes through the same engine and inference as a recorded session.
        """
    )

    @Option(help: "Healthy runs (no flag expected).")
    var healthy = 200

    @Option(name: .customLong("healthy-with-history"), help: "Healthy runs of runners with four weeks of history (baselines, training load, shoe).")
    var healthyWithHistory = 50

    @Option(help: "Runs per flag kind with the condition.")
    var perCondition = 20

    @Option(help: "Seed of the suite (runs differ with it).")
    var seed: UInt64 = 1

    @Option(help: "Only these flag kinds (comma-separated raw names, e.g. overstriding,posture); default all.")
    var kinds: String?

    @Flag(help: "Print every flag of the runs that failed, with its evidence.")
    var verbose = false

    @Option(help: "Write the GaitSynth configuration of every failed run to this folder (for `gait simulate --config`).")
    var writeFailures: String?

    func validate() throws {
        if healthy < 0 || perCondition < 0 || healthyWithHistory < 0 { throw ValidationError("counts must be ≥ 0") }
        for name in selectedKindNames where FlagKind(rawValue: name) == nil {
            throw ValidationError("unknown flag kind '\(name)'; known: \(FlagKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    var selectedKindNames: [String] {
        kinds.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? FlagKind.allCases.map(\.rawValue)
    }

    func run() throws {
        var scenarios = ScenarioCatalogue.healthy(count: healthy, seed: seed)
            + ScenarioCatalogue.healthyWithHistory(count: healthyWithHistory, seed: seed)
        for name in selectedKindNames {
            scenarios += ScenarioCatalogue.condition(FlagKind(rawValue: name)!, count: perCondition, seed: seed)
        }
        let suite = ScenarioSuite.run(scenarios)
        print(suite.report())
        if let folder = writeFailures {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            for (scenario, outcome) in zip(scenarios, suite.outcomes) where !outcome.passed {
                let name = outcome.name.replacingOccurrences(of: " #", with: "-")
                try encoder.encode(scenario.config).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name + ".config.json"))
            }
        }
        if verbose {
            for (scenario, outcome) in zip(scenarios, suite.outcomes) where !outcome.passed {
                print("\n\(outcome.name): segments \(scenario.config.segments.map { "\($0.kind.rawValue) \(Int($0.durationS)) s @\(Int($0.cadenceSpm)) e\($0.effort)" }.joined(separator: ", ")), \(scenario.config.sampleRateHz) Hz")
                for flag in outcome.flags { print(flag.textLines().joined(separator: "\n")) }
                print("  minutes (start s: cadence, impact g, running share):")
                print("  " + outcome.timeline.bins.map { b in
                    String(format: "%.0f: %.1f %.2f %.1f", b.startS, b.cadenceSpm ?? .nan, b.impactPeakG ?? .nan, b.runningShare)
                }.joined(separator: " | "))
                print("  sessions (key: cadence, impact g, running s, pain, shoe, SI % step time/contact/impact):")
                for f in outcome.facts {
                    let si = [GaitMetric.stepTimeS, .groundContactTimeS, .impactPeakG].map { f.symmetryIndexPct[$0.rawValue] ?? .nan }
                    print(String(format: "    %@: %.1f %.3f %.0f %@ %@ %.1f/%.1f/%.1f", f.sessionKey, f.cadenceSpm ?? .nan, f.median(.impactPeakG) ?? .nan,
                                 f.runningTimeS, f.painScore.map(String.init) ?? "-", f.shoeKey ?? "-", si[0], si[1], si[2]))
                }
            }
        }
    }
}
