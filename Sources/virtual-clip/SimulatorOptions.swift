import ArgumentParser
import ClipProtocol
import ClipSimulator
import Foundation
import GaitSynth

/// What the simulated clips hold and which faults they inject (`--device simulator`).
struct SimulatorOptions: ParsableArguments {
    @Option(help: "Recorded sessions on each simulated clip's flash (GaitSynth easy runs).")
    var sessions: Int = 3

    @Option(name: .customLong("session-duration"), help: "Length of each session, seconds.")
    var sessionDurationS: Double = 60

    @Option(name: .customLong("rate"), help: "The clip's sampling rate, Hz.")
    var sampleRateHz: Double = 100

    @Option(help: "Seed of the first session (session i uses seed + i).")
    var seed: UInt64 = 1

    @Flag(name: .customLong("power-loss-session"), help: "Add a session whose last block was cut by a power loss.")
    var powerLossSession = false

    @Option(name: .customLong("unplug-at-in-byte"), help: "Fault: unplug when the clip → host stream reaches this byte.")
    var unplugAtInByte: Int?

    @Option(name: .customLong("unplug-at-out-byte"), help: "Fault: unplug when the host → clip stream reaches this byte.")
    var unplugAtOutByte: Int?

    @Option(name: .customLong("corrupt-read"), help: "Fault: flip the session byte ID:OFFSET in the next read of it (once).")
    var corruptRead: String?

    @Flag(name: .customLong("corrupt-persistently"), help: "Make --corrupt-read corrupt every read, as a failing flash would.")
    var corruptPersistently = false

    @Option(name: .customLong("older-protocol"), help: "Fault: the firmware speaks at most this protocol version.")
    var olderProtocol: UInt16?

    @Option(name: .customLong("replug-after-disconnect-ms"), help: "After a fault unplugs a clip, plug it back in after this many milliseconds (faults cleared).")
    var replugAfterDisconnectMs: Int?

    func validate() throws {
        guard (0...1000).contains(sessions) else { throw ValidationError("--sessions must be 0 to 1000, got \(sessions).") }
        guard sessionDurationS > 0, sessionDurationS <= 86_400 else { throw ValidationError("--session-duration must be in (0, 86400] s.") }
        guard sampleRateHz >= 50, sampleRateHz <= 1600 else { throw ValidationError("--rate must be 50 to 1600 Hz.") }
        if let corruptRead, parsedCorruption(corruptRead) == nil { throw ValidationError("--corrupt-read must look like ID:OFFSET, got \(corruptRead).") }
    }

    func parsedCorruption(_ text: String) -> (UInt32, UInt32)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let id = UInt32(parts[0]), let offset = UInt32(parts[1]) else { return nil }
        return (id, offset)
    }

    /// The activities recorded on each clip, in order. Tests rebuild the same clip from these.
    var activities: [SynthConfig] {
        (0..<sessions).map { .easyRun(durationS: sessionDurationS, sampleRateHz: sampleRateHz, seed: seed + UInt64($0)) }
    }

    /// A simulated clip with this serial and firmware version, its sessions and armed faults.
    func makeSimulator(serialNumber: String, firmwareBCD: UInt16) -> ClipSimulator {
        var configuration = ClipSimulator.Configuration(serial: serialNumber)
        configuration.firmwareMajor = UInt8((firmwareBCD >> 12) * 10 + ((firmwareBCD >> 8) & 0xF))
        configuration.firmwareMinor = UInt8(((firmwareBCD >> 4) & 0xF) * 10 + (firmwareBCD & 0xF))
        configuration.sampleRateHz = sampleRateHz
        let clip = ClipSimulator(configuration: configuration, sessions: activities)
        if powerLossSession {
            clip.addSessionCutByPowerLoss(.easyRun(durationS: min(sessionDurationS, 30), sampleRateHz: sampleRateHz, seed: seed + 1000))
        }
        armFaults(clip)
        return clip
    }

    func armFaults(_ clip: ClipSimulator) {
        if let unplugAtInByte { clip.inject(.unplugAtInByte(unplugAtInByte)) }
        if let unplugAtOutByte { clip.inject(.unplugAtOutByte(unplugAtOutByte)) }
        if let corruptRead, let (id, offset) = parsedCorruption(corruptRead) {
            clip.inject(.corruptSessionRead(sessionID: id, offset: offset, persistent: corruptPersistently))
        }
        if let olderProtocol { clip.inject(.olderProtocol(maximumVersion: olderProtocol)) }
    }
}
