import ClinicPush
import Foundation
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
}
