import ArgumentParser
import ClipSimulator
import Foundation

/// The options that describe the virtual clips and when they are plugged in and out.
struct ClipOptions: ParsableArguments {
    @Option(help: "How many clips to host (default: one per --serial, at least one).")
    var clips: Int?

    @Option(name: .customLong("serial"), help: "A clip's serial number; repeat for several clips (default BSC-0001, BSC-0002, ...).")
    var serialNumbers: [String] = []

    @Option(help: "The firmware version the clips report, as major.minor (bcdDevice), e.g. 1.02.")
    var firmware: String = "1.00"

    @Option(help: "The device behaviour behind each clip: simulator (the clip's firmware) or echo.")
    var device: VirtualDeviceModel = .simulator

    @OptionGroup(title: "Simulated clip") var simulator: SimulatorOptions

    @Flag(help: "Start with the clips unplugged (plug them in with --plug-after-ms or the control FIFO).")
    var startUnplugged = false

    @Option(help: "Plug the clips in this many milliseconds after start.")
    var plugAfterMs: Int?

    @Option(help: "Unplug the clips this many milliseconds after start.")
    var unplugAfterMs: Int?

    @Option(help: "Plug the clips in again this many milliseconds after start.")
    var replugAfterMs: Int?

    @Flag(help: "Send no udev hotplug events when clips are plugged in or out (as on a system without udev), so only polling notices.")
    var noHotplugEvents = false

    @Option(help: "A FIFO to create and read commands from: 'plug [N]', 'unplug [N]' (N counts from 1; all clips without N).")
    var control: String?

    func validate() throws {
        if let clips, !(0...32).contains(clips) { throw ValidationError("--clips must be between 0 and 32, got \(clips).") }
        if let clips, clips < serialNumbers.count {
            throw ValidationError("--clips \(clips) is fewer than the \(serialNumbers.count) serial numbers given.")
        }
        if firmwareBCD == nil { throw ValidationError("--firmware must look like 1.02 (0.00 to 99.99), got \(firmware).") }
        for (name, value) in [("--plug-after-ms", plugAfterMs), ("--unplug-after-ms", unplugAfterMs), ("--replug-after-ms", replugAfterMs)] {
            if let value, value < 0 { throw ValidationError("\(name) must not be negative, got \(value).") }
        }
    }

    /// The number of clips to host.
    var clipCount: Int { clips ?? max(1, serialNumbers.count) }

    /// The firmware version as BCD: "1.02" is 0x0102.
    var firmwareBCD: UInt16? {
        let parts = firmware.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), (0...99).contains(major),
              (0...99).contains(minor), parts[1].count == 2 else { return nil }
        return UInt16((major / 10) << 12 | (major % 10) << 8 | (minor / 10) << 4 | (minor % 10))
    }

    /// Builds the testbed with its clips, plugged in unless --start-unplugged or --plug-after-ms.
    func makeTestbed() throws -> VirtualTestbed {
        let testbed = VirtualTestbed(hotplugEvents: !noHotplugEvents)
        let bcd = firmwareBCD ?? 0x0100
        for index in 0..<clipCount {
            let serial = index < serialNumbers.count ? serialNumbers[index] : String(format: "BSC-%04d", index + 1)
            let description = VirtualClipDescription(serialNumber: serial, firmwareBCD: bcd, address: UInt8(5 + index))
            let clip = try testbed.addClip(description, device: device.makeDevice(serialNumber: serial, firmwareBCD: bcd, simulator: simulator))
            if let delay = simulator.replugAfterDisconnectMs {
                clip.onDisconnect = { [unowned clip] in
                    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) {
                        if let firmware = clip.device as? ClipSimulator {
                            firmware.clearFaults()
                            firmware.replug()
                        }
                        Self.setPlugged(true, clips: [clip])
                    }
                }
            }
            if !startUnplugged && plugAfterMs == nil { try clip.plug() }
        }
        return testbed
    }

    /// Schedules the timed plug and unplug events and starts reading the control FIFO.
    func startSchedule(on testbed: VirtualTestbed) throws {
        let schedule: [(Int?, Bool)] = [(plugAfterMs, true), (unplugAfterMs, false), (replugAfterMs, true)]
        for case let (milliseconds?, plugIn) in schedule {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
                Self.setPlugged(plugIn, clips: testbed.clips)
            }
        }
        if let control { try ControlFIFO.start(path: control, testbed: testbed) }
    }

    static func setPlugged(_ plugIn: Bool, clips: [VirtualClip]) {
        for clip in clips {
            if plugIn {
                do { try clip.plug() } catch { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            } else {
                clip.unplug()
            }
        }
    }
}

/// Reads plug/unplug commands from a FIFO, one per line, for trying hotplug by hand.
enum ControlFIFO {
    static func start(path: String, testbed: VirtualTestbed) throws {
        unlink(path)
        guard mkfifo(path, 0o600) == 0 else {
            throw ValidationError("cannot create the control FIFO \(path): \(String(cString: strerror(errno)))")
        }
        let thread = Thread {
            while true {
                // Opening blocks until a writer comes; each writer may send several lines.
                guard let file = fopen(path, "r") else { return }
                var line: UnsafeMutablePointer<CChar>?
                var capacity = 0
                while getline(&line, &capacity, file) > 0, let line {
                    handle(String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines), testbed: testbed)
                }
                free(line)
                fclose(file)
            }
        }
        thread.name = "virtual-clip control"
        thread.start()
    }

    static func handle(_ command: String, testbed: VirtualTestbed) {
        let words = command.split(separator: " ")
        guard let verb = words.first, verb == "plug" || verb == "unplug" else {
            if !command.isEmpty { FileHandle.standardError.write(Data("virtual-clip: unknown control command '\(command)'\n".utf8)) }
            return
        }
        var clips = testbed.clips
        if words.count > 1 {
            guard let number = Int(words[1]), (1...clips.count).contains(number) else {
                FileHandle.standardError.write(Data("virtual-clip: no clip \(words[1]) (there are \(clips.count))\n".utf8))
                return
            }
            clips = [clips[number - 1]]
        }
        ClipOptions.setPlugged(verb == "plug", clips: clips)
        for clip in clips {
            FileHandle.standardError.write(Data("virtual-clip: \(clip.description.serialNumber) \(clip.isPlugged ? "plugged in" : "unplugged")\n".utf8))
        }
    }
}
