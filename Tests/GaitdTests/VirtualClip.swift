import ClipProtocol
import ClipSimulator
import Foundation

/// A `virtual-clip serve --control FIFO` process: simulated clips on a umockdev testbed that the
/// real `gaitd` reaches through the real libusb (the test process itself is never preloaded).
/// Starting is split from waiting, so a test can prepare the next clip while using this one.
final class VirtualClip {
    let process = Process()
    let control: String
    private let output = Pipe()
    private(set) var environment: [String: String] = [:]

    /// Launches the server with `options` (virtual-clip's clip and simulator options).
    init(_ options: [String]) throws {
        control = FileManager.default.temporaryDirectory.appendingPathComponent("gaitd-vc-\(UUID().uuidString).fifo").path
        process.executableURL = Products.virtualClip
        process.arguments = ["serve", "--control", control] + options
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the `export` lines (UMOCKDEV_DIR, LD_PRELOAD); returns self.
    @discardableResult
    func ready() throws -> VirtualClip {
        var text = ""
        let handle = output.fileHandleForReading
        while environment.count < 2 {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("export ") {
                let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
                if pair.count == 2 { environment[String(pair[0])] = String(pair[1]) }
            }
        }
        guard environment.count == 2 else {
            stop()
            throw Failure.noEnvironment(text)
        }
        return self
    }

    enum Failure: Error { case noEnvironment(String) }

    /// Sends a control command: "plug 1", "unplug 2", "plug" (all).
    func send(_ command: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: control))
        try handle.write(contentsOf: Data((command + "\n").utf8))
        try handle.close()
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// The bytes the simulated clip `serial` records, rebuilt in-process exactly as virtual-clip
    /// builds them (same configuration and GaitSynth seeds).
    static func expectedSessions(serial: String = "BSC-0001", sessions: Int, durationS: Double, rateHz: Double, seed: UInt64 = 1) -> [UInt32: [UInt8]] {
        var configuration = ClipSimulator.Configuration(serial: serial)
        configuration.firmwareMajor = 1
        configuration.firmwareMinor = 0
        configuration.sampleRateHz = rateHz
        let clip = ClipSimulator(configuration: configuration, sessions: (0..<sessions).map {
            .easyRun(durationS: durationS, sampleRateHz: rateHz, seed: seed + UInt64($0))
        })
        return Dictionary(uniqueKeysWithValues: clip.sessions.map { ($0.id, clip.sessionBytes(id: $0.id)!) })
    }
}
