import BackstrideTestSupport
import ClinicPush
import Foundation
import SessionIngest
import SessionStore
import Testing

/// `gait clinic pair`, `status` and `unpair` as a runner types them, against a live clinic.
@Suite("gait clinic", .ownThreads, .serialized)
struct ClinicCommandTests {
    @Test func pairStoresTheTokenOwnerOnlyStatusShowsItAndUnpairRemovesIt() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        let data = fixture.folder + "/runner-data"
        let code = try await fixture.pairingCode(port: port, token: try await fixture.login(port: port))

        let insecure = try runProcess(Products.gait, ["clinic", "pair", "http://clinic.example/", code, "--data-dir", data])
        #expect(insecure.status != 0 && insecure.standardError.contains("plain HTTP"), "\(insecure.standardError)")

        let wrong = try runProcess(Products.gait, ["clinic", "pair", "http://127.0.0.1:\(port)/", "WRONG-CODE1", "--data-dir", data])
        #expect(wrong.status == 77 && wrong.standardError.contains("403"), "\(wrong.standardError)")

        let pair = try runProcess(Products.gait, ["clinic", "pair", "http://127.0.0.1:\(port)/", code, "--name", "Ana's laptop", "--data-dir", data])
        #expect(pair.status == 0 && pair.standardOutput.contains("paired with"), "\(pair.standardError)")
        let path = ClinicPairing.path(dataDirectory: data)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try fixture.clinicStore.devices(runnerID: fixture.ana).map(\.name) == ["Ana's laptop"])

        let status = try runProcess(Products.gait, ["clinic", "status", "--data-dir", data])
        #expect(status.status == 0 && status.standardOutput.contains("clinic: http://127.0.0.1:\(port)/") && status.standardOutput.contains("pending: 0"),
                "\(status.standardOutput)\(status.standardError)")

        // A session the clinic refused for good is listed, and `retry` makes it pending again.
        let runnerStore = try SQLiteSessionStore(path: data + "/backstride.sqlite")
        let session = try SessionIngest(store: runnerStore).ingestFile(path: SyntheticRun.steadyCSV(in: fixture.folder, durationS: 40, seed: 8)).id
        try runnerStore.recordDeliveryFailure(clinic: "http://127.0.0.1:\(port)/", sessionID: session, reason: "the clinic answered 422: unreadable",
                                              permanent: true, at: Date())
        let refused = try runProcess(Products.gait, ["clinic", "status", "--data-dir", data]).standardOutput
        #expect(refused.contains("refused: 1") && refused.contains("pending: 0") && refused.contains("refused: session \(session): the clinic answered 422"), "\(refused)")
        let notRefused = try runProcess(Products.gait, ["clinic", "retry", "--session", "\(session + 1)", "--data-dir", data])
        #expect(notRefused.status == 65 && notRefused.standardError.contains("was not refused"), "\(notRefused.standardError)")
        let retry = try runProcess(Products.gait, ["clinic", "retry", "--data-dir", data])
        #expect(retry.status == 0 && retry.standardOutput.contains("1 refused session(s) will be sent again"), "\(retry.standardOutput)\(retry.standardError)")
        let after = try runProcess(Products.gait, ["clinic", "status", "--data-dir", data]).standardOutput
        #expect(after.contains("refused: 0") && after.contains("pending: 1"), "\(after)")
        #expect(try runnerStore.sessionsAwaitingDelivery(clinic: "http://127.0.0.1:\(port)/") == [session])

        let unpair = try runProcess(Products.gait, ["clinic", "unpair", "--data-dir", data])
        #expect(unpair.status == 0 && !FileManager.default.fileExists(atPath: path))
        #expect(try runProcess(Products.gait, ["clinic", "status", "--data-dir", data]).standardOutput.contains("not paired"))
    }
}
