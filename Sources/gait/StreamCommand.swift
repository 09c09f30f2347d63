import ArgumentParser
import ClipSync
import ClipUSB
import Foundation
import GaitDSP
import GaitInference
import SessionIO

/// `gait stream FILE` plays a recorded session through the engine as a live clip would feed it;
/// `gait stream --clip` streams live from a connected clip.
struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Show live cadence from a clip (--clip), or stream a recorded session through the live pipeline.",
        discussion: "The same engine as `gait analyze`; for a file, the final summary is identical to the batch analysis."
    )

    @Argument(help: "The session file to stream (CSV), unless --clip.")
    var file: String?

    @Flag(help: "Stream live from the connected clip instead of a file.")
    var clip = false

    @Option(help: "With --clip: the clip's serial number (default: the first clip found).")
    var serial: String?

    @Option(help: "With --clip: stop after this many seconds of samples.")
    var seconds: Double = 60

    @Option(help: "Playback speed: 1 plays in real time, 0 as fast as possible.")
    var speed: Double = 0

    @Option(name: .customLong("block-size"), help: "Samples handed to the engine at a time (a live clip sends small blocks).")
    var blockSize: Int = 50

    func validate() throws {
        if clip == (file != nil) { throw ValidationError("Give either a session file or --clip.") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive, got \(seconds).") }
        guard speed >= 0 else { throw ValidationError("--speed must be 0 or positive, got \(speed).") }
        guard blockSize >= 1 else { throw ValidationError("--block-size must be at least 1, got \(blockSize).") }
    }

    func run() throws {
        if clip {
            try streamFromClip()
        } else {
            try Terminal.io { () throws(SessionIOError) in try stream(file: file!) }
        }
    }

    /// Streams from a clip: STREAM_START, samples into the engine as they come, STREAM_STOP.
    func streamFromClip() throws {
        do {
            let context = try ClipUSBContext()
            let connection = try context.open(serialNumber: serial)
            defer { connection.close() }
            let client = ClipClient(transport: connection, serial: connection.info.serialNumber ?? "clip", timeoutMs: 1000)
            try client.hello()
            let info = try client.info()
            let tickRate = Double(try client.clock().tickRateHz)
            let parameters = try client.startStream(includeGyroscope: info.flags.contains(.gyroscopeFitted))
            let rate = Double(parameters.sampleRateMilliHz) / 1000
            var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: rate))
            var received = 0
            var reported = 0
            let wanted = Int(seconds * rate)
            print("streaming from clip \(Terminal.printable(info.serial)) at \(rate) Hz for \(seconds) s of samples")
            while received < wanted {
                for frame in try client.readStream() {
                    var block = IMUBlock(capacity: frame.samples.count, hasGyro: frame.includeGyroscope)
                    let start = Double(Int64(bitPattern: frame.firstSampleTicks &- parameters.startTicks)) / tickRate
                    for (i, s) in frame.samples.enumerated() {
                        let t = start + Double(i) / rate
                        let a = parameters.accelGPerLsb, g = parameters.gyroDPSPerLsb
                        if frame.includeGyroscope {
                            block.append(timeS: t, x: Float(s.accelX) * a, y: Float(s.accelY) * a, z: Float(s.accelZ) * a,
                                         gx: Float(s.gyroX) * g, gy: Float(s.gyroY) * g, gz: Float(s.gyroZ) * g)
                        } else {
                            block.append(timeS: t, x: Float(s.accelX) * a, y: Float(s.accelY) * a, z: Float(s.accelZ) * a)
                        }
                    }
                    engine.process(block)
                    received += frame.samples.count
                }
                if engine.committedStepCount != reported {
                    reported = engine.committedStepCount
                    let cadence = engine.liveCadenceSpm.map { String(format: "%.0f steps/min", $0) } ?? "–"
                    print(String(format: "%8.1f s  %-8@ %@  (%d steps)", Double(received) / rate, engine.liveActivity?.rawValue ?? "–", cadence, reported))
                }
            }
            try client.stopStream()
            let analysis = engine.finish(input: InputDescription(source: "clip \(info.serial) (live)", format: "Backstride clip stream",
                                                                  device: "Backstride clip", serial: info.serial))
            print("")
            print(Terminal.printableLines(InferredAnalysis(analysis: analysis).textSummary()))
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(1)
        }
    }

    func stream(file: String) throws(SessionIOError) {
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
        print(Terminal.printableLines(InferredAnalysis(analysis: analysis).textSummary()))
    }
}
