import ArgumentParser
import Foundation
import GaitDSP
import GaitSynth
import GaitValidation
import SessionIO

/// `gait simulate`: writes a synthetic session (GaitSynth) with its ground truth.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a synthetic running/walking session (canonical CSV) and its ground truth (JSON).",
        discussion: """
        With --validation-set DIR, writes the synthetic validation set instead: runs at about 2 to 6 m/s \
        and walks, each NAME.csv with a reference NAME.json for `gait validate DIR` (fixed seeds; the \
        other options do not apply).
        """
    )

    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case easyRun = "easy-run"
        case walkRunWalk = "walk-run-walk"
    }

    @Option(help: "Session shape: easy-run (one steady run) or walk-run-walk (warm-up walk, run with a traffic-light stop, cool-down walk).")
    var preset: Preset = .easyRun

    @Option(name: .customLong("duration"), help: "Running time in seconds (walk-run-walk adds 10 min of walking and a 30 s stop).")
    var durationS: Double = 600

    @Option(name: .customLong("rate"), help: "Sampling rate in Hz (50 to 1600).")
    var sampleRateHz: Double = 100

    @Option(help: "Random seed; the same seed gives the same file.")
    var seed: UInt64 = 1

    @Option(name: .customLong("cadence"), help: "Running cadence in steps/min.")
    var cadenceSpm: Double = 170

    @Option(name: .customLong("step-time-asymmetry"), help: "Left vs right step time symmetry index to inject, %.")
    var stepTimeAsymmetryPct: Double = 0

    @Option(name: .customLong("impact-asymmetry"), help: "Left vs right impact symmetry index to inject, %.")
    var impactAsymmetryPct: Double = 0

    @Option(name: .customLong("cadence-drift"), help: "Cadence change over the session, % per hour (fatigue: negative).")
    var cadenceDriftPctPerHour: Double = 0

    @Option(name: .customLong("impact-drift"), help: "Impact change over the session, % per hour.")
    var impactDriftPctPerHour: Double = 0

    @Option(name: .customLong("lean-drift"), help: "Forward lean change over the session, degrees per hour.")
    var leanDriftDegPerHour: Double = 0

    @Option(name: .customLong("timestamp-jitter"), help: "Standard deviation of timestamp jitter, s (phones: about 0.002).")
    var timestampJitterS: Double = 0

    @Flag(name: .customLong("random-mount"), help: "Mount the clip in a random orientation (from the seed).")
    var randomMount = false

    @Flag(name: .customLong("no-gyro"), help: "Leave out the gyroscope columns.")
    var noGyro = false

    @Option(name: .shortAndLong, help: "The CSV file to write.")
    var output: String?

    @Option(name: .customLong("validation-set"), help: "Write the synthetic validation set (recordings with reference JSON for `gait validate`) into this folder, created if missing, instead of one session.")
    var validationSet: String?

    @Option(help: "A GaitSynth configuration (JSON, SynthConfig keys; missing keys keep their defaults) to use instead of the preset and the options above, e.g. one written by `gait scenarios --write-failures`.")
    var config: String?

    @Option(help: "Where to write the ground truth (JSON); default: the output with .truth.json.")
    var truth: String?

    func validate() throws {
        guard (output == nil) != (validationSet == nil) else { throw ValidationError("Give either -o FILE (one session) or --validation-set DIR.") }
        guard sampleRateHz >= 50, sampleRateHz <= 1600 else { throw ValidationError("--rate must be 50 to 1600 Hz, got \(sampleRateHz).") }
        guard durationS > 0, durationS <= 86_400 else { throw ValidationError("--duration must be between 0 and 86400 s, got \(durationS).") }
        guard cadenceSpm >= 120, cadenceSpm <= 230 else { throw ValidationError("--cadence must be 120 to 230 steps/min, got \(cadenceSpm).") }
        if let output, let truth, output == truth { throw ValidationError("-o and --truth must be different files.") }
        try Terminal.refuseOverwriting([output, truth], protected: config.map { [($0, "the configuration being read")] } ?? [])
    }

    var synthConfig: SynthConfig {
        var config: SynthConfig
        switch preset {
        case .easyRun:
            config = SynthConfig(sampleRateHz: sampleRateHz, seed: seed, segments: [.running(durationS: durationS, cadenceSpm: cadenceSpm)])
        case .walkRunWalk:
            config = SynthConfig(sampleRateHz: sampleRateHz, seed: seed, segments: [
                .walking(durationS: 300, cadenceSpm: 112, speedMps: 1.4),
                .running(durationS: durationS / 2, cadenceSpm: cadenceSpm, speedMps: 3.0),
                .standing(durationS: 30),
                .running(durationS: durationS / 2, cadenceSpm: cadenceSpm, speedMps: 3.0),
                .walking(durationS: 300, cadenceSpm: 105, speedMps: 1.3),
            ])
        }
        config.stepTimeAsymmetryPct = stepTimeAsymmetryPct
        config.impactAsymmetryPct = impactAsymmetryPct
        config.cadenceDriftPctPerHour = cadenceDriftPctPerHour
        config.impactDriftPctPerHour = impactDriftPctPerHour
        config.leanDriftDegPerHour = leanDriftDegPerHour
        config.timestampJitterS = timestampJitterS
        config.includeGyro = !noGyro
        if randomMount { config.mountRotation = .random(seed: seed) }
        return config
    }

    func run() throws {
        if let validationSet { return try writeValidationSet(validationSet) }
        guard let output else { return }
        var config = synthConfig
        if let path = self.config {
            do {
                config = try JSONDecoder().decode(SynthConfig.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                Terminal.error("gait: cannot read the configuration \(path): \(error)")
                throw ExitCode(65)
            }
        }
        let problems = config.problems()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
        let arguments = CommandLine.arguments.dropFirst().joined(separator: " ")
        let truthPath = truth ?? (output.hasSuffix(".csv") ? String(output.dropLast(4)) : output) + ".truth.json"
        let recording = try Terminal.io { () throws(SessionIOError) in
            try SyntheticSession.write(config: config, csvPath: output, comments: ["made by: gait \(arguments)"])
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(recording).write(to: URL(fileURLWithPath: truthPath))
        } catch {
            Terminal.error("gait: cannot write \(truthPath): \(error.localizedDescription)")
            throw ExitCode(73)
        }
        Terminal.error("wrote \(output) (\(recording.sampleCount) samples, \(recording.steps.count) steps) and \(truthPath)")
    }

    /// Writes each trial of the synthetic validation set with its reference, and the set's README.
    private func writeValidationSet(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            Terminal.error("gait: cannot create \(folder): \(error.localizedDescription)")
            throw ExitCode(73)
        }
        let directory = URL(fileURLWithPath: folder)
        for trial in SyntheticValidationSet.trials {
            let csvPath = directory.appendingPathComponent(trial.name + ".csv").path
            let session = try Terminal.io { () throws(SessionIOError) in
                try SyntheticSession.write(config: trial.config, csvPath: csvPath, comments: ["made by: gait simulate --validation-set (\(trial.name))"])
            }
            let reference = SyntheticValidationSet.reference(for: trial, steps: session.steps, bouts: session.bouts)
            guard Terminal.writeFile(String(decoding: try reference.jsonData(), as: UTF8.self) + "\n",
                                     toPath: directory.appendingPathComponent(trial.name + ".json").path) else { throw ExitCode(73) }
        }
        guard Terminal.writeFile(SyntheticValidationSet.readme, toPath: directory.appendingPathComponent("README.md").path) else { throw ExitCode(73) }
        Terminal.error("wrote \(SyntheticValidationSet.trials.count) recordings with reference JSON to \(folder)")
    }
}

/// Ground truth of a written synthetic session, as `gait simulate` stores it beside the CSV.
struct SyntheticSession: Codable {
    var generator = "GaitSynth"
    var config: SynthConfig
    var sampleCount: Int
    var steps: [SynthStep]
    var bouts: [SynthBout]

    /// Streams a synthetic session into a canonical CSV file, chunk by chunk.
    static func write(config: SynthConfig, csvPath: String, comments: [String] = []) throws(SessionIOError) -> SyntheticSession {
        let writer = try CanonicalCSVWriter(path: csvPath, hasGyro: config.includeGyro, sampleRateHz: config.sampleRateHz,
                                            device: "GaitSynth", serial: "synthetic-\(config.seed)", comments: comments)
        var generator = SynthGenerator(config: config)
        var chunk = SynthChunk()
        var samples = 0
        while generator.next(into: &chunk, maxSamples: 65_536) {
            try writer.write(IMUBlock(chunk))
            samples += chunk.count
        }
        try writer.finish()
        return SyntheticSession(config: config, sampleCount: samples, steps: generator.steps, bouts: generator.bouts)
    }
}

extension IMUBlock {
    /// The samples of a synthetic chunk.
    init(_ chunk: SynthChunk) {
        self.init(timeS: chunk.timeS, accelXG: chunk.accelXG, accelYG: chunk.accelYG, accelZG: chunk.accelZG,
                  gyroXDPS: chunk.gyroXDPS, gyroYDPS: chunk.gyroYDPS, gyroZDPS: chunk.gyroZDPS)
    }
}
