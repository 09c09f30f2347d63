import ClipProtocol
import ClipSimulator
import Foundation
import GaitSynth

/// A `virtual-clip serve` process hosting simulated clips on a umockdev testbed, and the real
/// `gait` run against them through the real libusb (the test process itself is never preloaded).
final class VirtualClipServer {
    let process = Process()
    let environment: [String: String]
    let control: String

    /// Starts the server with `options` (virtual-clip's clip and simulator options).
    init(_ options: [String]) throws {
        control = FileManager.default.temporaryDirectory.appendingPathComponent("vc-\(UUID().uuidString).fifo").path
        process.executableURL = Repository.productsDirectory.appendingPathComponent("virtual-clip")
        process.arguments = ["serve", "--control", control] + options
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        var environment: [String: String] = [:]
        let handle = out.fileHandleForReading
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
            process.terminate()
            throw ServerError.noEnvironment(text)
        }
        self.environment = environment
    }

    enum ServerError: Error { case noEnvironment(String) }

    /// Runs `gait` against the clips.
    func gait(_ arguments: [String]) throws -> CommandResult {
        let child = Process()
        child.executableURL = Repository.gait
        child.arguments = arguments
        child.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        child.standardOutput = out
        child.standardError = err
        try child.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        return CommandResult(status: child.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                             standardError: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `gait` without waiting (for killing it mid-way).
    func startGait(_ arguments: [String]) throws -> Process {
        let child = Process()
        child.executableURL = Repository.gait
        child.arguments = arguments
        child.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        return child
    }

    /// Waits until `gait devices` lists a clip (after a replug), up to `timeoutS`.
    func waitForClip(timeoutS: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeoutS)
        while Date() < deadline {
            if try gait(["devices"]).standardOutput.contains("BSC-") { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    deinit { if process.isRunning { stop() } }

    /// The bytes the simulated clip `serial` records, rebuilt in-process exactly as virtual-clip
    /// builds them (same configuration and GaitSynth seeds), to compare what was synced with.
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

/// Checks an archive folder: every `.bsession` has its record and verifies against the record's
/// checksum; returns the stored sessions' bytes by id.
func verifiedArchive(_ folder: String) throws -> [UInt32: [UInt8]] {
    var result: [UInt32: [UInt8]] = [:]
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for file in files where file.hasSuffix(".bsession") {
        let base = String(file.dropLast(".bsession".count))
        let parts = base.split(separator: "-")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
        guard parts.count == 2, let id = UInt32(parts[0]), let checksum = UInt32(parts[1], radix: 16),
              FileManager.default.fileExists(atPath: folder + "/" + base + ".json"),
              SessionChecksum.compute(bytes) == checksum else {
            throw ArchiveProblem.notWhole(file)
        }
        result[id] = bytes
    }
    return result
}

enum ArchiveProblem: Error { case notWhole(String) }
