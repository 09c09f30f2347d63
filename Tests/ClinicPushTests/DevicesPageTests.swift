import ClinicPush
import Foundation
import GaitServer
import SessionStore
import Testing

/// The clinic's Devices page: a pairing code shown, the device it paired listed, revoked by a button.
@Suite("Devices page", .serialized)
struct DevicesPageTests {
    @Test func theRunnerGetsACodeOnThePageSeesTheDeviceAndRevokesIt() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        let token = try await fixture.login(port: port)
        let page = String(decoding: try await fixture.request(port: port, .GET, "devices", token: token, expect: 200), as: UTF8.self)
        #expect(page.contains("Show a pairing code"))
        let csrf = try #require(page.components(separatedBy: "name=\"csrf_token\" value=\"").dropFirst().first?.components(separatedBy: "\"").first)
        let form = [("Content-Type", "application/x-www-form-urlencoded")]
        let shown = String(decoding: try await fixture.request(port: port, .POST, "devices/pairing-code",
                                                                body: Array("csrf_token=\(csrf)&runner_id=\(fixture.ana)".utf8),
                                                                headers: form, token: token, expect: 200), as: UTF8.self)
        let code = try #require(shown.components(separatedBy: "letter-spacing:.1em\">").dropFirst().first?.components(separatedBy: "<").first)
        #expect(shown.contains("gait clinic pair"))
        let client = ClinicClient(endpoint: try ClinicEndpoint("http://127.0.0.1:\(port)/"), deviceToken: nil)
        let paired = try await client.pair(code: code, deviceName: "Ana's <laptop>")
        let listed = String(decoding: try await fixture.request(port: port, .GET, "devices", token: token, expect: 200), as: UTF8.self)
        #expect(listed.contains("Ana&#39;s &lt;laptop&gt;") || listed.contains("Ana's &lt;laptop&gt;"))
        #expect(listed.contains("/devices/\(paired.deviceID)/revoke"))
        // A form without the CSRF token is refused; with it the device is revoked.
        try await fixture.request(port: port, .POST, "devices/\(paired.deviceID)/revoke", body: Array("runner_id=\(fixture.ana)".utf8),
                                  headers: form, token: token, expect: 403)
        #expect(try fixture.clinicStore.devices(runnerID: fixture.ana).first?.revokedAt == nil)
        // 303 to the page, which the client follows.
        let after = String(decoding: try await fixture.request(port: port, .POST, "devices/\(paired.deviceID)/revoke",
                                                                body: Array("csrf_token=\(csrf)&runner_id=\(fixture.ana)".utf8),
                                                                headers: form, token: token, expect: 200), as: UTF8.self)
        #expect(after.contains("revoked"))
        #expect(try fixture.clinicStore.devices(runnerID: fixture.ana).first?.revokedAt != nil)
    }

    @Test func theRunnersOwnGaitdShowsWhatItDeliveredAndWhatIsPending() async throws {
        let fixture = try ClinicFixture()
        let delivered = try fixture.runnerSession(seed: 8), failing = try fixture.runnerSession(seed: 9)
        let clinic = "https://clinic.example/"
        try fixture.runnerStore.recordDelivered(clinic: clinic, sessionID: delivered, clinicSessionID: 41, painLogMaxID: 1_000_000, at: Date())
        try fixture.runnerStore.recordDeliveryFailure(clinic: clinic, sessionID: failing, reason: "the clinic cannot be reached: <refused>",
                                                      permanent: false, at: Date())
        // Ana's own gaitd, paired with the clinic, on her own store (her account there).
        let runner = try fixture.runnerStore.runner(named: "Ana", create: false)!.id!
        _ = try fixture.runnerStore.addAccount(AccountRecord(username: "ana", role: .runner,
                                                             passwordHash: try GaitServer.hashPassword(ClinicFixture.password, cost: 4), runnerId: runner))
        let (port, server) = try await fixture.startClinic(store: fixture.runnerStore, pairedClinic: clinic)
        defer { server.cancel() }
        let page = String(decoding: try await fixture.request(port: port, .GET, "devices", token: try await fixture.login(port: port), expect: 200),
                          as: UTF8.self)
        #expect(page.contains("https://clinic.example/</b>: 1 delivered, 1 pending, 0 refused"), "\(page)")
        #expect(page.contains("the clinic cannot be reached: &lt;refused&gt;"))
    }
}
