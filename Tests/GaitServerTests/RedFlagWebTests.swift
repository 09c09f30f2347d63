import Foundation
import GaitInference
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionIngest
import SessionStore
import Testing

/// Escalation comes from the runner: pain that is strong, rising or lasting says to see a
/// physiotherapist or doctor; a red-flag symptom on the pain form puts "see a doctor now" on every
/// page and report of the runner until someone who may see them clears it.
@Suite("Web: pain escalation and red flags", .serialized)
struct RedFlagWebTests {
    @Test("a red-flag symptom on the pain form shows 'see a doctor now' on the runner's pages, session pages and reports until cleared")
    func redFlagAlertUntilCleared() async throws {
        let fixture = try ServerFixture()
        let session = fixture.anaSessions[1], other = fixture.anaSessions[0]
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            let pia = try #require(try await client.browserLogin("pia").login)
            let paul = try #require(try await client.browserLogin("paul").login)
            let form = String(buffer: try await client.execute(uri: "/sessions/\(session)", method: .get, headers: ana.headers).body)
            #expect(form.contains("name=\"symptom_numbness\"") && form.contains("name=\"next_day\""))
            #expect(!form.contains("See a doctor now"))

            let posted = try await client.postForm("/sessions/\(session)/notes",
                                                   ["pain_score": "4", "symptom_numbness": "yes", "csrf_token": ana.csrf], login: ana)
            #expect(posted.status == .seeOther)
            let alert = try #require(try fixture.store.redFlagAlert(runnerID: fixture.ana))
            #expect(alert.symptoms == [.numbness] && alert.sessionIDs == [session])
            for (uri, login) in [("/runners/\(fixture.ana)", ana), ("/sessions/\(other)", ana), ("/sessions/\(session)", pia),
                                 ("/runners/\(fixture.ana)/report", pia), ("/sessions/\(other)/report", ana)] {
                let page = String(buffer: try await client.execute(uri: uri, method: .get, headers: login.headers).body)
                #expect(page.contains("See a doctor now") && page.contains("numbness, tingling or weakness in the legs"), "\(uri)")
            }
            // Ben's pages are not affected.
            let ben = try #require(try await client.browserLogin("ben").login)
            #expect(!String(buffer: try await client.execute(uri: "/runners/\(fixture.ben)", method: .get, headers: ben.headers).body).contains("See a doctor now"))

            // A physiotherapist without the grant cannot clear it; the form needs its token; Pia can.
            #expect(try await client.postForm("/runners/\(fixture.ana)/alert/clear", ["csrf_token": paul.csrf], login: paul).status == .notFound)
            #expect(try await client.postForm("/runners/\(fixture.ana)/alert/clear", [:], login: pia).status == .forbidden)
            #expect(try fixture.store.redFlagAlert(runnerID: fixture.ana) != nil)
            #expect(try await client.postForm("/runners/\(fixture.ana)/alert/clear", ["csrf_token": pia.csrf], login: pia).status == .seeOther)
            #expect(try fixture.store.redFlagAlert(runnerID: fixture.ana) == nil)
            #expect(try fixture.store.runner(id: fixture.ana)?.redFlagsClearedBy == "pia (physiotherapist)")
            #expect(!String(buffer: try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: ana.headers).body).contains("See a doctor now"))
            // A new report after the clearance raises it again.
            _ = try await client.postForm("/sessions/\(other)/notes", ["symptom_fever": "yes", "csrf_token": ana.csrf], login: ana)
            #expect(try fixture.store.redFlagAlert(runnerID: fixture.ana)?.symptoms == [.fever])
        }
    }

    @Test("pain of 5 says to see a physiotherapist or doctor; pain lasting into the next day too; the API takes both and refuses unknown symptoms")
    func painEscalatesOnThePages() async throws {
        let fixture = try ServerFixture()
        let session = fixture.anaSessions[1]
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            #expect(try await client.postForm("/sessions/\(session)/notes", ["pain_score": "6", "csrf_token": ana.csrf], login: ana).status == .seeOther)
            let pain = try #require(try fixture.store.storedFlags(sessionID: session).first { $0.topic == .pain })
            #expect(pain.seeProfessional && pain.kind == .warning && pain.evidenceGrade == .strong)
            let page = String(buffer: try await client.execute(uri: "/sessions/\(session)", method: .get, headers: ana.headers).body)
            #expect(page.contains("Your back pain needs a look") && page.contains("See a physiotherapist or doctor"))

            let token = try await client.apiToken("ana")
            let bearer: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let first = fixture.anaSessions[0]
            let ok = try await client.execute(uri: "/api/v1/sessions/\(first)/pain", method: .post, headers: bearer,
                                              body: ByteBuffer(string: "{\"pain_score\": 2, \"next_day\": true}"))
            #expect(ok.status == .created)
            #expect(try fixture.store.storedFlags(sessionID: first).first { $0.topic == .pain }?.explanation.contains("next day") == true)
            let bad = try await client.execute(uri: "/api/v1/sessions/\(first)/pain", method: .post, headers: bearer,
                                               body: ByteBuffer(string: "{\"symptoms\": [\"dizziness\"]}"))
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("Unknown symptom 'dizziness'"))
        }
    }
}
