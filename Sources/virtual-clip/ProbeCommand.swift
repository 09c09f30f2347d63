import ArgumentParser
import ClipUSB
import Foundation

/// `virtual-clip probe STEP...`: a test helper that drives ClipUSB (the real libusb) against the
/// clips, one step at a time, printing one line per step. Meant to run under `virtual-clip run`.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Drive the clips through ClipUSB step by step (a test helper; run it under virtual-clip run).",
        discussion: """
        Steps: list | open[:SERIAL] | write:TEXT | read[:TIMEOUT_MS] | async-echo:TEXT | clear-halt:in|out | reset | \
        close | sleep:MS | watch:polling|hotplug|automatic:DURATION_MS. Each prints 'ok STEP ...' or \
        'error STEP: MESSAGE' and the probe goes on with the next step.
        """
    )

    @Option(help: "The timeout of writes, and of reads without their own, in milliseconds.")
    var timeoutMs: Int = 1000

    @Argument(help: "The steps to run, in order.")
    var steps: [String]

    func run() async throws {
        let context = try ClipUSBContext()
        var connection: ClipConnection?
        let start = DispatchTime.now()
        func elapsedMs() -> Int { Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000) }

        for step in steps {
            let parts = step.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            let argument = parts.count > 1 ? parts[1] : nil
            do {
                switch name {
                case "list":
                    let clips = try await context.listClips()
                    emit("ok list \(clips.count)")
                    for clip in clips {
                        emit("clip serial=\(clip.serialNumber ?? "-") firmware=\(clip.firmwareVersion) bus=\(clip.busNumber) address=\(clip.address)"
                            + (clip.accessError.map { " error=\($0)" } ?? ""))
                    }
                case "open":
                    connection?.close()
                    connection = try await context.open(serialNumber: argument)
                    emit("ok open \(connection!.info.serialNumber ?? "-")")
                case "write":
                    let written = try await requireOpen(connection).write(Array((argument ?? "").utf8), timeoutMs: timeoutMs)
                    emit("ok write \(written)")
                case "read":
                    let timeout = argument.flatMap(Int.init) ?? timeoutMs
                    let began = elapsedMs()
                    do {
                        let bytes = try await requireOpen(connection).read(maxLength: 512, timeoutMs: timeout)
                        emit("ok read \(String(decoding: bytes, as: UTF8.self))")
                    } catch {
                        emit("error read after \(elapsedMs() - began) ms: \(error)")
                        continue
                    }
                case "async-echo":
                    let open = try requireOpen(connection)
                    try await open.write(Array((argument ?? "").utf8), timeoutMs: timeoutMs)
                    let bytes = try await open.read(maxLength: 512, timeoutMs: timeoutMs)
                    emit("ok async-echo \(String(decoding: bytes, as: UTF8.self))")
                case "clear-halt":
                    let endpoint: UInt8 = argument == "out" ? ClipUSBIdentifiers.bulkOutEndpoint : ClipUSBIdentifiers.bulkInEndpoint
                    try await requireOpen(connection).clearHalt(endpoint: endpoint)
                    emit("ok clear-halt \(argument ?? "in")")
                case "reset":
                    try await requireOpen(connection).reset()
                    emit("ok reset")
                case "close":
                    connection?.close()
                    connection = nil
                    emit("ok close")
                case "sleep":
                    try await Task.sleep(for: .milliseconds(argument.flatMap(Int.init) ?? 100))
                    emit("ok sleep")
                case "watch":
                    try await watch(context: context, argument: argument ?? "automatic:2000", elapsedMs: elapsedMs)
                default:
                    emit("error \(name): unknown step")
                }
            } catch {
                emit("error \(name): \(error)")
            }
        }
        connection?.close()
    }

    private func watch(context: ClipUSBContext, argument: String, elapsedMs: () -> Int) async throws {
        let parts = argument.split(separator: ":")
        let durationMs = parts.count > 1 ? Int(parts[1]) ?? 2000 : 2000
        let mode: ClipWatcher.Mode
        switch parts.first {
        case "polling": mode = .polling(intervalMs: 100)
        case "hotplug": mode = .hotplug
        default: mode = .automatic(reconcileIntervalMs: 500)
        }
        let watcher = try ClipWatcher(context: context, mode: mode)
        emit("ok watch \(watcher.mechanism)")
        let stopper = Task {
            try? await Task.sleep(for: .milliseconds(durationMs))
            watcher.stop()
        }
        for await event in watcher.events {
            switch event {
            case .arrived(let clip): emit("event arrived \(clip.serialNumber ?? "-") at \(elapsedMs()) ms")
            case .left(let clip): emit("event left \(clip.serialNumber ?? "-") at \(elapsedMs()) ms")
            }
        }
        await stopper.value
    }

    private func requireOpen(_ connection: ClipConnection?) throws -> ClipConnection {
        guard let connection else { throw ValidationError("no clip is open (add an open step)") }
        return connection
    }

    private func emit(_ line: String) {
        print(line)
        fflush(nil)
    }
}
