import ArgumentParser
import ClinicPush
import Dispatch
import Foundation
import SessionStore

/// `gait clinic`: pairing this machine's gaitd with a clinic, and what it has pushed there.
struct ClinicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic",
        abstract: "Pair gaitd with a clinic's server, which then receives every session; see what is pending and delivered.",
        subcommands: [Pair.self, Status.self, Retry.self, Unpair.self]
    )

    /// The options every clinic command shares.
    struct DataOptions: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "gaitd's data directory: the pairing file <dir>/clinic.json and the store <dir>/backstride.sqlite (default: $XDG_DATA_HOME/backstride or ~/.local/share/backstride).")
        var dataDirectory: String?

        var resolved: String { dataDirectory ?? (SQLiteSessionStore.defaultPath as NSString).deletingLastPathComponent }
        var pairingPath: String { ClinicPairing.path(dataDirectory: resolved) }
        var databasePath: String { resolved + "/backstride.sqlite" }
    }

    /// `gait clinic pair URL CODE [--name NAME]`.
    struct Pair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pair with a clinic, with the code its site shows (single use, valid 15 minutes).",
            discussion: """
            Stores the device token in <data dir>/clinic.json (mode 0600); a running gaitd starts pushing \
            every session there within seconds. Plain http:// is refused except to this machine. Exits 0 when \
            paired, 69 when the clinic cannot be reached, 77 when it refuses the code, 65 for a bad URL.
            """)

        @Argument(help: "The clinic's address, e.g. https://clinic.example/.")
        var url: String

        @Argument(help: "The pairing code shown on the clinic's site (dashes and spaces do not matter).")
        var code: String

        @Option(help: "The name this device has on the clinic's site (default: this machine's host name).")
        var name: String?

        @OptionGroup var data: DataOptions

        func validate() throws {
            do { _ = try ClinicEndpoint(url) } catch { throw ValidationError(error.description) }
            if let name, !(1...100).contains(name.count) { throw ValidationError("--name: 1–100 characters.") }
        }

        func run() throws {
            let endpoint = try ClinicEndpoint(url)
            let deviceName = name ?? ProcessInfo.processInfo.hostName
            let code = code
            let result = AsyncBridge.wait { () async throws(ClinicPushError) -> ClinicClient.Paired in
                try await ClinicClient(endpoint: endpoint, deviceToken: nil).pair(code: code, deviceName: deviceName)
            }
            switch result {
            case .success(let paired):
                let pairing = ClinicPairing(clinicURL: endpoint.baseURL, deviceToken: paired.deviceToken, deviceID: paired.deviceID,
                                            runnerID: paired.runnerID, deviceName: deviceName, pairedUTCS: Date().timeIntervalSince1970)
                do { try pairing.save(path: data.pairingPath) } catch {
                    Terminal.error("gait: \(error)")
                    throw ExitCode(73)
                }
                print(Terminal.printable("paired with \(endpoint.baseURL) as device \(paired.deviceID) (\(deviceName)); gaitd pushes every session there"))
            case .failure(let error):
                Terminal.error("gait: \(error)")
                if case .refused = error { throw ExitCode(77) }
                throw ExitCode(69)
            }
        }
    }

    /// `gait clinic status`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the clinic gaitd is paired with, how many sessions are delivered, pending or refused, and the last error.")

        @OptionGroup var data: DataOptions

        func run() throws {
            guard let pairing = try ClinicCommand.pairing(data) else { return }
            let store = try StoreCommandSupport.open(data.databasePath)
            do {
                let clinic = try ClinicEndpoint(pairing.clinicURL).baseURL
                let status = try ClinicDeliveryStatus(store: store, clinic: clinic)
                print(Terminal.printable("clinic: \(clinic) (device \(pairing.deviceID), \(pairing.deviceName))"))
                print("delivered: \(status.delivered)")
                print("pending: \(status.pending)")
                print("refused: \(status.refused)")
                if let last = status.lastError {
                    print(Terminal.printable("last error (session \(last.sessionID)): \(last.message)"))
                }
                for refused in try store.deliveries(clinic: clinic) where refused.refused && refused.deliveredAt == nil {
                    print(Terminal.printable("refused: session \(refused.sessionId): \(refused.lastError ?? "")"))
                }
            } catch {
                Terminal.error("gait: \(error)")
                throw ExitCode(74)
            }
        }
    }

    /// `gait clinic retry`.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the sessions the clinic refused again at gaitd's next push (after the clinic fixed what it refused them for).")

        @OptionGroup var data: DataOptions

        @Option(help: "Only this session (its id in `gait clinic status`).")
        var session: Int64?

        func run() throws {
            guard let pairing = try ClinicCommand.pairing(data) else { return }
            let store = try StoreCommandSupport.open(data.databasePath)
            do {
                let clinic = try ClinicEndpoint(pairing.clinicURL).baseURL
                let refused = try store.deliveries(clinic: clinic).filter {
                    $0.refused && $0.deliveredAt == nil && (session == nil || $0.sessionId == session)
                }
                if let session, refused.isEmpty {
                    Terminal.error("gait: session \(session) was not refused by \(clinic) (gait clinic status lists the refused ones)")
                    throw ExitCode(65)
                }
                for record in refused {
                    // A failure that is not permanent: the session is pending again, its earlier reason kept in the message.
                    try store.recordDeliveryFailure(clinic: clinic, sessionID: record.sessionId,
                                                    reason: "to be sent again (refused before: \(record.lastError ?? "no reason given"))",
                                                    permanent: false, at: Date())
                }
                print("\(refused.count) refused session(s) will be sent again at gaitd's next push")
            } catch let exit as ExitCode {
                throw exit
            } catch {
                Terminal.error("gait: \(error)")
                throw ExitCode(74)
            }
        }
    }

    /// The pairing gaitd has (nil, after saying so, when there is none); exit 66 when it cannot be read.
    static func pairing(_ data: DataOptions) throws -> ClinicPairing? {
        do {
            guard let found = try ClinicPairing.load(path: data.pairingPath) else {
                print("not paired with a clinic (gait clinic pair URL CODE)")
                return nil
            }
            return found
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(66)
        }
    }

    /// `gait clinic unpair`.
    struct Unpair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop pushing to the clinic: removes the pairing file (revoke the device on the clinic's site too).")

        @OptionGroup var data: DataOptions

        func run() throws {
            if ClinicPairing.remove(path: data.pairingPath) {
                print("unpaired; revoke this device on the clinic's site (Devices) so its token is refused there too")
            } else {
                print("not paired with a clinic")
            }
        }
    }
}

/// Runs async work from a synchronous command (the main thread is not part of the cooperative pool).
enum AsyncBridge {
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws(ClinicPushError) -> T) -> Result<T, ClinicPushError> {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do throws(ClinicPushError) { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return box.result!
    }

    private final class ResultBox<T>: @unchecked Sendable {
        // Written by the task before it signals, read after the wait: the semaphore orders them.
        var result: Result<T, ClinicPushError>?
    }
}
