import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// Who may write what: the pain log is the runner's; a physiotherapist writes notes of their own,
/// shown as theirs; every entry records its author.
@Suite("Pain log authorship", .serialized)
struct PainAuthorshipTests {
    @Test("a physiotherapist with read access cannot write the runner's pain log (403, flags untouched), by API or form (before: 201)")
    func physiotherapistCannotWritePain() async throws {
        let fixture = try ServerFixture()
        let session = fixture.anaSessions[1]
        let flagsBefore = try fixture.store.storedFlags(sessionID: session).map(\.id)
        try await fixture.application().test(.router) { client in
            let token = try await client.apiToken("pia")
            let api = try await client.execute(uri: "/api/v1/sessions/\(session)/pain", method: .post,
                                               headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                               body: ByteBuffer(string: "{\"pain_score\": 9, \"symptoms\": [\"numbness\"]}"))
            #expect(api.status == .forbidden)
            let pia = try #require(try await client.browserLogin("pia").login)
            for fields in [["pain_score": "9"], ["location": "lower back"], ["next_day": "yes"], ["symptom_numbness": "yes"], ["pain_score": "2", "note": "x"]] {
                let response = try await client.postForm("/sessions/\(session)/notes", fields.merging(["csrf_token": pia.csrf]) { a, _ in a }, login: pia)
                #expect(response.status == .forbidden, "\(fields)")
            }
            #expect(try fixture.store.painLog(sessionID: session).isEmpty)
            #expect(try fixture.store.redFlagAlert(runnerID: fixture.ana) == nil)
            #expect(try fixture.store.storedFlags(sessionID: session).map(\.id) == flagsBefore)
            // The physiotherapist's page offers a note of their own, not the pain questions.
            let page = String(buffer: try await client.execute(uri: "/sessions/\(session)", method: .get, headers: pia.headers).body)
            #expect(page.contains("Your note"))
            #expect(!page.contains("name=\"pain_score\""))
        }
    }

    @Test("a physiotherapist's note is stored as theirs and shown as theirs; the runner's pain as the runner's")
    func entriesRecordTheirAuthor() async throws {
        let fixture = try ServerFixture()
        let session = fixture.anaSessions[0]
        try await fixture.application().test(.router) { client in
            let pia = try #require(try await client.browserLogin("pia").login)
            #expect(try await client.postForm("/sessions/\(session)/notes", ["note": "check hip drop next visit", "csrf_token": pia.csrf], login: pia).status == .seeOther)
            let token = try await client.apiToken("pia")
            let apiNote = try await client.execute(uri: "/api/v1/sessions/\(session)/notes", method: .post,
                                                   headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                                   body: ByteBuffer(string: "{\"note\": \"cadence drill\"}"))
            #expect(apiNote.status == .created)
            #expect(String(buffer: apiNote.body).contains("\"author\":\"pia (physiotherapist)\""))
            let ana = try #require(try await client.browserLogin("ana").login)
            #expect(try await client.postForm("/sessions/\(session)/notes", ["pain_score": "4", "csrf_token": ana.csrf], login: ana).status == .seeOther)
            let entries = try fixture.store.painLog(sessionID: session)
            let piaID = try #require(try fixture.store.account(username: "pia")?.id)
            let anaID = try #require(try fixture.store.account(username: "ana")?.id)
            #expect(entries.map(\.authorAccountId) == [piaID, piaID, anaID])
            #expect(entries.map(\.painScore) == [nil, nil, 4])
            let page = String(buffer: try await client.execute(uri: "/sessions/\(session)", method: .get, headers: pia.headers).body)
            #expect(page.contains("check hip drop next visit</td><td>pia (physiotherapist)"))
            #expect(page.contains("ana (runner)"))
            let log = String(buffer: try await client.execute(uri: "/api/v1/sessions/\(session)/pain", method: .get,
                                                              headers: [.authorization: "Bearer \(token)"]).body)
            #expect(log.contains("\"author\":\"ana (runner)\""))
            // The reports say whose a note is too.
            let report = String(buffer: try await client.execute(uri: "/sessions/\(session)/report.json", method: .get, headers: pia.headers).body)
            #expect(report.contains("Note by pia (physiotherapist): check hip drop next visit"))
        }
    }
}
