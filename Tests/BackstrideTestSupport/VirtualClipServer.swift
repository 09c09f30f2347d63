import ClipSimulator
import Foundation

/// A `virtual-clip serve --control FIFO` process: simulated clips on a umockdev testbed that the
/// real `gait` or `gaitd` reaches through the real libusb (the test process itself is never
/// preloaded). Starting is split from `ready()`, so a test can prepare the next clip while it
/// uses this one.
public final class VirtualClipServer {
    /// The server process.
    public let process = Process()
    /// The control FIFO that `send(_:)` writes to.
    public let control: String
    /// The preload environment a client needs (`UMOCKDEV_DIR`, `LD_PRELOAD`), once `ready()` returned.
    public private(set) var environment: [String: String] = [:]
    private let output = Pipe()

    /// Why a server could not be used.
    public enum Failure: Error, CustomStringConvertible {
        /// The server exited before printing both `export` lines; carries what it printed.
        case noEnvironment(output: String)

        public var description: String {
            switch self {
            case .noEnvironment(let output): "virtual-clip serve exited before exporting its environment; it printed: \(output)"
            }
        }
    }

    /// Launches the server with `options` (virtual-clip's clip and simulator options).
    public init(_ options: [String]) throws {
        control = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-vc-\(UUID().uuidString).fifo").path
        process.executableURL = Products.virtualClip
        process.arguments = ["serve", "--control", control] + options
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the two `export` lines (UMOCKDEV_DIR, LD_PRELOAD) and keeps them in `environment`.
    @discardableResult
    public func ready() throws -> VirtualClipServer {
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
            throw Failure.noEnvironment(output: text)
        }
        return self
    }

    /// Sends a control command: "plug 1", "unplug 2", "plug" (all clips).
    public func send(_ command: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: control))
        try handle.write(contentsOf: Data((command + "\n").utf8))
        try handle.close()
    }

    /// Terminates the server and waits for it.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// The bytes the simulated clip `serial` records, rebuilt in-process exactly as virtual-clip
    /// builds them (same configuration and GaitSynth seeds), to compare what was synced with.
    public static func expectedSessions(serial: String = "BSC-0001", sessions: Int, durationS: Double, rateHz: Double,
                                        seed: UInt64 = 1) -> [UInt32: [UInt8]] {
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
