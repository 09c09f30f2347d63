import BackstrideTestSupport
import Foundation
import GaitSynth
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionIngest
import SessionStore
import Testing

/// The runner's journey on the web: clips, the administrator's unassigned sessions, shoes, and
/// session files uploaded from the runner's page (through the same `SessionIngest` as the CLI).
@Suite("Web: clips, assignment, shoes and uploads", .serialized)
struct JourneyWebTests {
    @Test("a runner claims a clip by its serial; another runner's claim is refused with 409 without naming the owner; an administrator moves it")
    func clipsAreClaimedAndMoved() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            let ben = try #require(try await client.browserLogin("ben").login)
            let ada = try #require(try await client.browserLogin("ada").login)
            let pia = try #require(try await client.browserLogin("pia").login)
            #expect(try await client.postForm("/clips/claim", ["serial": "BSC-0001", "csrf_token": ana.csrf], login: ana).status == .seeOther)
            #expect(try fixture.store.clip(serial: "BSC-0001")?.runnerId == fixture.ana)
            let page = String(buffer: try await client.execute(uri: "/clips", method: .get, headers: ana.headers).body)
            #expect(page.contains("BSC-0001"))

            let refused = try await client.postForm("/clips/claim", ["serial": "BSC-0001", "csrf_token": ben.csrf], login: ben)
            #expect(refused.status == .conflict)
            let message = String(buffer: refused.body)
            #expect(message.contains("belongs to another runner") && !message.contains("Ana"))
            #expect(try fixture.store.clip(serial: "BSC-0001")?.runnerId == fixture.ana)
            // Bad serials and forms without the CSRF token change nothing.
            #expect(try await client.postForm("/clips/claim", ["serial": "BSC 0001; DROP", "csrf_token": ben.csrf], login: ben).status == .badRequest)
            #expect(try await client.postForm("/clips/claim", ["serial": "BSC-0002"], login: ben).status == .forbidden)
            #expect(try fixture.store.clip(serial: "BSC-0002") == nil)
            // A physiotherapist has no clips page; a runner cannot use the administrator's form.
            #expect(try await client.execute(uri: "/clips", method: .get, headers: pia.headers).status == .notFound)
            #expect(try await client.postForm("/clips/assign", ["serial": "BSC-0001", "runner": "\(fixture.ben)", "move": "yes", "csrf_token": ben.csrf],
                                              login: ben).status == .notFound)

            // The administrator sees the owner, is refused without "move", and moves it with it.
            let adminPage = String(buffer: try await client.execute(uri: "/clips", method: .get, headers: ada.headers).body)
            #expect(adminPage.contains("BSC-0001") && adminPage.contains("Ana &lt;script&gt;"))
            #expect(try await client.postForm("/clips/assign", ["serial": "BSC-0001", "runner": "\(fixture.ben)", "csrf_token": ada.csrf],
                                              login: ada).status == .conflict)
            #expect(try await client.postForm("/clips/assign", ["serial": "BSC-0001", "runner": "\(fixture.ben)", "move": "yes", "csrf_token": ada.csrf],
                                              login: ada).status == .seeOther)
            #expect(try fixture.store.clip(serial: "BSC-0001")?.runnerId == fixture.ben)
            #expect(try await client.postForm("/clips/assign", ["serial": "BSC-0001", "runner": "99999", "csrf_token": ada.csrf],
                                              login: ada).status == .notFound)
            // Ben gives it up; nobody owns it.
            #expect(try await client.postForm("/clips/release", ["serial": "BSC-0001", "csrf_token": ben.csrf], login: ben).status == .seeOther)
            #expect(try fixture.store.clip(serial: "BSC-0001")?.runnerId == nil)
            #expect(try await client.postForm("/clips/release", ["serial": "BSC-0001", "csrf_token": ana.csrf], login: ana).status == .notFound)
        }
    }

    @Test("a session nobody owns is listed for the administrator only; given to Ana it is hers with flags against her history")
    func administratorAssignsUnassignedSessions() async throws {
        let fixture = try ServerFixture()
        let path = try ServerFixture.csv(in: fixture.folder, seed: 42, asymmetry: 0)
        let unassigned = try SessionIngest(store: fixture.store).ingestFile(path: path).id
        #expect(try fixture.store.session(id: unassigned)?.runnerId == nil)
        try await fixture.application().test(.router) { client in
            let ada = try #require(try await client.browserLogin("ada").login)
            let pia = try #require(try await client.browserLogin("pia").login)
            let ana = try #require(try await client.browserLogin("ana").login)
            let list = String(buffer: try await client.execute(uri: "/admin/unassigned", method: .get, headers: ada.headers).body)
            #expect(list.contains("/sessions/\(unassigned)\""))
            #expect(!list.contains("/sessions/\(fixture.benSession)\""))
            #expect(try await client.execute(uri: "/sessions/\(unassigned)", method: .get, headers: ada.headers).status == .ok)
            for login in [pia, ana] {
                #expect(try await client.execute(uri: "/admin/unassigned", method: .get, headers: login.headers).status == .notFound)
                #expect(try await client.execute(uri: "/sessions/\(unassigned)", method: .get, headers: login.headers).status == .notFound)
                #expect(try await client.postForm("/sessions/\(unassigned)/runner", ["runner": "\(fixture.ana)", "csrf_token": login.csrf],
                                                  login: login).status == .notFound)
            }
            #expect(try await client.postForm("/sessions/\(unassigned)/runner", ["runner": "99999", "csrf_token": ada.csrf], login: ada).status == .notFound)
            #expect(try await client.postForm("/sessions/\(unassigned)/runner", ["runner": "\(fixture.ana)", "csrf_token": ada.csrf],
                                              login: ada).status == .seeOther)
            #expect(try fixture.store.session(id: unassigned)?.runnerId == fixture.ana)
            #expect(try fixture.store.sessionsWithoutInference().isEmpty)
            #expect(try fixture.store.history(runnerID: fixture.ana).map(\.sessionKey).contains("\(unassigned)"))
            // Now Ana and her physiotherapist see it; the administrator's list no longer has it.
            #expect(try await client.execute(uri: "/sessions/\(unassigned)", method: .get, headers: pia.headers).status == .ok)
            let after = String(buffer: try await client.execute(uri: "/admin/unassigned", method: .get, headers: ada.headers).body)
            #expect(!after.contains("/sessions/\(unassigned)\""))
        }
    }

    @Test("a runner's current shoes are set on the web and new sessions get them; one session's shoes are corrected; others get 404")
    func shoesOnTheWeb() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            let paul = try #require(try await client.browserLogin("paul").login)
            let use = try await client.postForm("/runners/\(fixture.ana)/shoes/current",
                                                ["shoe": "Pegasus 41", "distance_so_far_km": "120", "csrf_token": ana.csrf], login: ana)
            #expect(use.status == .seeOther)
            let shoe = try #require(try fixture.store.shoes(runnerID: fixture.ana).first { $0.name == "Pegasus 41" })
            #expect(shoe.distanceSoFarKm == 120)
            #expect(try fixture.store.runner(id: fixture.ana)?.currentShoeId == shoe.id)
            let page = String(buffer: try await client.execute(uri: "/runners/\(fixture.ana)", method: .get, headers: ana.headers).body)
            #expect(page.contains("Pegasus 41 <strong>(current)</strong>"))
            #expect(try await client.postForm("/runners/\(fixture.ana)/shoes/current", ["shoe": "", "csrf_token": ana.csrf], login: ana).status == .badRequest)
            #expect(try await client.postForm("/runners/\(fixture.ana)/shoes/current", ["shoe": "X", "distance_so_far_km": "-3", "csrf_token": ana.csrf],
                                              login: ana).status == .badRequest)
            #expect(try await client.postForm("/runners/\(fixture.ana)/shoes/current", ["shoe": "Evil", "csrf_token": paul.csrf], login: paul).status == .notFound)

            // A new session of Ana's is in them.
            let path = try ServerFixture.csv(in: fixture.folder, seed: 77, asymmetry: 0)
            let id = try SessionIngest(store: fixture.store).ingestFile(path: path, attribution: Attribution(runner: fixture.store.runner(id: fixture.ana)!.name)).id
            #expect(try fixture.store.session(id: id)?.shoeId == shoe.id)

            // An earlier session's shoes are corrected; its facts carry the shoe.
            let earlier = fixture.anaSessions[0]
            #expect(try await client.postForm("/sessions/\(earlier)/shoe", ["shoe": "Pegasus 41", "csrf_token": ana.csrf], login: ana).status == .seeOther)
            #expect(try fixture.store.session(id: earlier)?.shoeId == shoe.id)
            #expect(try fixture.store.history(runnerID: fixture.ana).first { $0.sessionKey == "\(earlier)" }?.shoeKey == "\(shoe.id!)")
            #expect(try await client.postForm("/sessions/\(earlier)/shoe", ["shoe": "Never heard of", "csrf_token": ana.csrf], login: ana).status == .notFound)
            #expect(try await client.postForm("/sessions/\(earlier)/shoe", ["shoe": "Pegasus 41", "csrf_token": paul.csrf], login: paul).status == .notFound)
        }
    }

    /// POSTs a file as the upload API does.
    static func upload(_ client: some TestClientProtocol, runner: Int64, bytes: [UInt8], name: String, headers: HTTPFields) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/octet-stream"
        headers[.init("X-File-Name")!] = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
        return try await client.execute(uri: "/api/v1/runners/\(runner)/sessions", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try require2(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "a JSON object")
    }

    @Test("an uploaded CSV takes the one way in: Ana's, flags against her history, stored once; a physiotherapist with a grant may upload, one without gets 404")
    func uploadStoresOnce() async throws {
        let fixture = try ServerFixture()
        let csv = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ServerFixture.csv(in: fixture.folder, seed: 91, asymmetry: 0))))
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            let before = try fixture.store.allSessionIDs().count
            // With the cookie the CSRF header is needed.
            #expect(try await Self.upload(client, runner: fixture.ana, bytes: csv, name: "run.csv", headers: ana.headers).status == .forbidden)
            var headers = ana.headers
            headers[.init("X-CSRF-Token")!] = ana.csrf
            let created = try await Self.upload(client, runner: fixture.ana, bytes: csv, name: "../../etc/Morning run.csv", headers: headers)
            #expect(created.status == .created)
            let body = try Self.json(created)
            let id = try require2(body["id"] as? Int64 ?? (body["id"] as? Int).map(Int64.init), "id")
            #expect(body["runner_id"] as? Int == Int(fixture.ana))
            #expect(created.headers[.location] == "/sessions/\(id)")
            let stored = try require2(try fixture.store.session(id: id), "stored session")
            #expect(stored.runnerId == fixture.ana && stored.sourcePath == "Morning run.csv")
            #expect(try fixture.store.history(runnerID: fixture.ana).contains { $0.sessionKey == "\(id)" })
            #expect(try fixture.store.storedDocument(sessionID: id)?.inference.historySessionCount == 2)

            // The same file again, now by the physiotherapist's API token: not stored twice.
            let pia = try await client.apiToken("pia")
            let again = try await Self.upload(client, runner: fixture.ana, bytes: csv, name: "copy.csv", headers: [.authorization: "Bearer \(pia)"])
            #expect(again.status == .ok)
            #expect(try Self.json(again)["inserted"] as? Bool == false)
            #expect(try fixture.store.allSessionIDs().count == before + 1)
            // A physiotherapist without a grant cannot upload for Ana, nor learn she exists.
            let paul = try await client.apiToken("paul")
            #expect(try await Self.upload(client, runner: fixture.ana, bytes: csv, name: "x.csv", headers: [.authorization: "Bearer \(paul)"]).status == .notFound)
            #expect(try await Self.upload(client, runner: fixture.ana, bytes: csv, name: "x.csv", headers: [:]).status == .unauthorized)
        }
    }

    @Test("a whole copy of a clip session uploaded after a cut one replaces it under the same id: 200 with what it replaced, not 201")
    func wholeCopyAfterACutOneSaysReplaced() async throws {
        let fixture = try ServerFixture()
        let whole = ClipSessionFile.bytes(durationS: 60, rateHz: 200, seed: 4, serial: "BSC-0077", sessionID: 3)
        let cut = ClipSessionFile.truncated(whole, blocks: 120, extraBytes: 200)
        try await fixture.application().test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer \(try await client.apiToken("ana"))"]
            let first = try await Self.upload(client, runner: fixture.ana, bytes: cut, name: "cut.bsession", headers: bearer)
            #expect(first.status == .created)
            let firstBody = try Self.json(first)
            #expect(firstBody["replaced"] == nil)
            let id = try require2(firstBody["id"] as? Int, "id")
            let second = try await Self.upload(client, runner: fixture.ana, bytes: whole, name: "whole.bsession", headers: bearer)
            #expect(second.status == .ok, "a replacement is not a new session")
            let body = try Self.json(second)
            #expect(body["id"] as? Int == id && body["inserted"] as? Bool == true)
            let replaced = try require2(body["replaced"] as? [String: Any], "replaced")
            let before = try require2(replaced["previous_sample_count"] as? Int, "previous_sample_count")
            let after = try require2(replaced["sample_count"] as? Int, "sample_count")
            #expect(before < after, "\(replaced)")
            #expect(try fixture.store.session(id: Int64(id))?.sampleCount == after)
            // The whole copy again: already stored, nothing replaced.
            let third = try await Self.upload(client, runner: fixture.ana, bytes: whole, name: "again.bsession", headers: bearer)
            #expect(third.status == .ok)
            #expect(try Self.json(third)["inserted"] as? Bool == false && Self.json(third)["replaced"] == nil)
        }
    }

    @Test("an upload that is empty, not a session file, malformed at a line, or over the limit is refused with its reason; nothing is stored; the server keeps serving")
    func badUploadsStoreNothing() async throws {
        let fixture = try ServerFixture()
        let csv = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ServerFixture.csv(in: fixture.folder, seed: 92, asymmetry: 0))))
        try await fixture.application(maxUploadBytes: 200_000).test(.router) { client in
            let token = try await client.apiToken("ana")
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            let before = try fixture.store.allSessionIDs()

            let empty = try await Self.upload(client, runner: fixture.ana, bytes: [], name: "empty.csv", headers: bearer)
            #expect(empty.status == .badRequest)
            #expect(String(buffer: empty.body).contains("empty.csv: the file is empty"))

            let photo = try await Self.upload(client, runner: fixture.ana, bytes: [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 7, count: 5000),
                                              name: "holiday.jpg", headers: bearer)
            #expect(photo.status == .badRequest)
            #expect(String(buffer: photo.body).contains("holiday.jpg"))

            // A CSV that breaks at its third data line: the message names the file and the line, as `gait import` does.
            var lines = String(decoding: csv.prefix(100_000), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let header = try require2(lines.firstIndex { $0.hasPrefix("t_s,") }, "the CSV header")
            lines[header + 3] = "0.03,abc,0.1,0.9,1,2,3"
            let brokenLine = header + 4
            let broken = try await Self.upload(client, runner: fixture.ana, bytes: Array(lines.dropLast().joined(separator: "\n").utf8),
                                               name: "broken.csv", headers: bearer)
            #expect(broken.status == .badRequest)
            let message = String(buffer: broken.body)
            #expect(message.contains("broken.csv:\(brokenLine): field 'ax_g'"), "\(message)")
            #expect(!message.contains(fixture.folder))

            let large = try await Self.upload(client, runner: fixture.ana, bytes: csv, name: "long run.csv", headers: bearer)
            #expect(large.status == .contentTooLarge)
            #expect(String(buffer: large.body).contains("200000 bytes"))

            #expect(try fixture.store.allSessionIDs() == before)
            // Nothing of the uploads is left on disk.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.folder).filter { $0.hasPrefix("backstride-upload-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
            #expect(try await client.execute(uri: "/api/v1/runners", method: .get, headers: bearer).status == .ok)
        }
    }

    @Test("a watch file posted for a stored session is paired and its flags recomputed; another run's is refused; others get 404")
    func watchFileForAStoredSession() async throws {
        let fixture = try ServerFixture()
        let config = SynthConfig(sampleRateHz: 100, seed: 12, segments: [
            .walking(durationS: 120, cadenceSpm: 110, speedMps: 1.4), .running(durationS: 300, cadenceSpm: 164, speedMps: 3.0),
            .running(durationS: 240, cadenceSpm: 182, speedMps: 3.8), .walking(durationS: 90, cadenceSpm: 108, speedMps: 1.3),
        ])
        let start = 1_781_000_000.0
        let csv = try SyntheticRun.csv(config, in: fixture.folder, name: "intervals")
        let anaName = try #require(try fixture.store.runner(id: fixture.ana)?.name)
        let id = try SessionIngest(store: fixture.store).ingestFile(path: csv, attribution: Attribution(
            runner: anaName, startedAt: Date(timeIntervalSince1970: start))).id
        let good = try [UInt8](Data(SyntheticWatch.gpx(config, startUTC: start + 8).utf8))
        let other = SynthConfig(sampleRateHz: 100, seed: 13, segments: [
            .running(durationS: 400, cadenceSpm: 184, speedMps: 3.9), .walking(durationS: 100, cadenceSpm: 110, speedMps: 1.4),
            .running(durationS: 250, cadenceSpm: 160, speedMps: 2.9),
        ])
        let wrong = try [UInt8](Data(SyntheticWatch.gpx(other, startUTC: start).utf8))
        try await fixture.application().test(.router) { client in
            let ana = try await client.apiToken("ana"), paul = try await client.apiToken("paul")
            func post(_ bytes: [UInt8], name: String, token: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/sessions/\(id)/watch", method: .post,
                                         headers: [.authorization: "Bearer \(token)", .contentType: "application/octet-stream",
                                                   .init("X-File-Name")!: name],
                                         body: ByteBuffer(bytes: bytes))
            }
            #expect(try await post(good, name: "watch.gpx", token: paul).status == .notFound)
            let refused = try await post(wrong, name: "other.gpx", token: ana)
            #expect(refused.status == .badRequest && String(buffer: refused.body).contains("other.gpx"), "\(String(buffer: refused.body))")
            #expect(try fixture.store.sessionSpeed(sessionID: id) == nil)
            let paired = try await post(good, name: "watch.gpx", token: ana)
            #expect(paired.status == .ok, "\(String(buffer: paired.body))")
            let body = try Self.json(paired)
            #expect(abs((body["offset_s"] as? Double ?? 0) - start - 8) < 3)
            #expect(try fixture.store.sessionSpeed(sessionID: id)?.source.contains("watch.gpx") == true)
            #expect(try fixture.store.history(runnerID: fixture.ana).first { $0.sessionKey == "\(id)" }?.speedMPS != nil)
            #expect(try await post([], name: "empty.gpx", token: ana).status == .badRequest)
            let login = try #require(try await client.browserLogin("ana").login)
            let page = String(buffer: try await client.execute(uri: "/sessions/\(id)", method: .get, headers: login.headers).body)
            #expect(page.contains("Watch: GPX") && page.contains("watch.gpx"), "\(page)")
        }
    }
}
