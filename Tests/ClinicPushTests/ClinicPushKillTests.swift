import BackstrideTestSupport
import ClinicPush
import Foundation
import GaitSynth
import SessionIngest
import SessionStore
import Testing

/// Both sides of the push as real gaitd processes — the clinic's server and the runner's gaitd
/// pushing to it — killed with SIGKILL at random moments, in a loop: every session ends up stored
/// at the clinic exactly once, with its pain entry once. The seed is printed (set
/// CLINIC_PUSH_SEED to replay a run).
@Suite("Clinic push under kill -9", .ownThreads, .serialized, .tags(.slow))
struct ClinicPushKillTests {
    @Test func killingEitherSideAtRandomMomentsLosesNothingAndStoresNothingTwice() async throws {
        let seed = ProcessInfo.processInfo.environment["CLINIC_PUSH_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...1_000_000)
        print("clinic push kill -9 loop: seed \(seed) (CLINIC_PUSH_SEED=\(seed) replays it)")
        var random = SplitMix(seed: seed)
        let fixture = try ClinicFixture(clinicFile: "clinic-gaitd/backstride.sqlite", runnerFile: "runner-gaitd/backstride.sqlite")
        let clinicData = fixture.folder + "/clinic-gaitd", runnerData = fixture.folder + "/runner-gaitd"
        let clinicStore = fixture.clinicStore, runnerStore = fixture.runnerStore
        let sessions = try (0..<5).map { try fixture.runnerSession(seed: 100 + UInt64($0), durationS: 120) }

        let port = try freePort()
        var clinic = try ChildGaitd(dataDirectory: clinicData, arguments: ["--http-port", String(port)])
        #expect(try await waitForPort(port, timeoutS: 120), "\(clinic.log)")
        let pairing = try await fixture.pair(port: port)
        try pairing.save(path: ClinicPairing.path(dataDirectory: runnerData))
        var runner = try ChildGaitd(dataDirectory: runnerData, arguments: [], config: "clinic_retry_max_s = 1\n")

        for round in 0..<8 {
            let delayMs = Int.random(in: 50...700, using: &random)
            let killClinic = Bool.random(using: &random)
            try await Task.sleep(nanoseconds: UInt64(delayMs) * 1_000_000)
            print("round \(round): kill -9 the \(killClinic ? "clinic" : "runner's gaitd") after \(delayMs) ms")
            if killClinic {
                clinic.killHard()
                clinic = try ChildGaitd(dataDirectory: clinicData, arguments: ["--http-port", String(port)])
                #expect(try await waitForPort(port, timeoutS: 120), "\(clinic.log)")
            } else {
                runner.killHard()
                runner = try ChildGaitd(dataDirectory: runnerData, arguments: [], config: "clinic_retry_max_s = 1\n")
            }
        }
        let clinicURL = pairing.clinicURL
        print("when the kills ended: \(try ClinicDeliveryStatus(store: runnerStore, clinic: clinicURL).delivered) of \(sessions.count) delivered")
        let delivered = try await waitFor(timeoutS: 180) {
            try ClinicDeliveryStatus(store: runnerStore, clinic: clinicURL).delivered == sessions.count
        }
        #expect(delivered, "runner's gaitd: \(runner.log)\nclinic: \(clinic.log)")
        let stored = try clinicStore.allSessionIDs()
        #expect(stored.count == sessions.count, "seed \(seed)")
        let hashes = try stored.compactMap { try clinicStore.session(id: $0)?.contentHash }
        let expected = try sessions.compactMap { try runnerStore.session(id: $0)?.contentHash }
        #expect(Set(hashes) == Set(expected) && hashes.count == expected.count, "seed \(seed)")
        for id in stored {
            #expect(try clinicStore.painLog(sessionID: id).count == 1, "session \(id), seed \(seed)")
        }
        // What the runner sees.
        let status = try runProcess(Products.gait, ["clinic", "status", "--data-dir", runnerData])
        #expect(status.standardOutput.contains("delivered: \(sessions.count)") && status.standardOutput.contains("pending: 0"), "\(status.standardOutput)")
        // SIGTERM stops gaitd promptly, pushing or not.
        let started = Date()
        #expect(runner.terminate() == 0)
        #expect(clinic.terminate() == 0)
        #expect(Date().timeIntervalSince(started) < 10)
    }
}

/// SplitMix64: a seeded generator, so a failing run can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The real gaitd as a child process on its own data folder, its log in a file.
final class ChildGaitd {
    let process = Process()
    let logPath: String

    init(dataDirectory: String, arguments: [String], config: String = "") throws {
        let configPath = dataDirectory + "/../gaitd-\(UUID().uuidString).conf"
        FileManager.default.createFile(atPath: configPath, contents: Data(config.utf8))
        logPath = dataDirectory + "/../gaitd-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: logPath, contents: Data())
        process.executableURL = Products.gaitd
        let http = arguments.contains("--http-port") ? [] : ["--http-port", "0"]
        process.arguments = ["--data-dir", dataDirectory, "--config", configPath, "--poll-interval-ms", "100", "--usb-watch", "polling"] + http + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = dataDirectory + "/../config"
        process.environment = environment
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func killHard() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    @discardableResult
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { killHard() } }
}
