import BackstrideTestSupport
import ClinicPush
import Foundation
import GaitInference
import GaitServer
import SessionIngest
import SessionStore
import Testing

/// Pairing a runner's gaitd with a clinic and pushing its sessions there, over real HTTP to a
/// real GaitServer on a loopback port, with real SQLite stores on both sides.
@Suite("Clinic push", .serialized)
struct ClinicPushTests {
    @Test func aPairingCodePairsOneDeviceOnceAndNotAfterItExpires() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        let token = try await fixture.login(port: port)
        let code = try await fixture.pairingCode(port: port, token: token)
        #expect(code.count == 11 && code.contains("-"))
        let client = ClinicClient(endpoint: try ClinicEndpoint("http://127.0.0.1:\(port)/"), deviceToken: nil)
        let paired = try await client.pair(code: code.lowercased(), deviceName: "laptop")
        #expect(paired.runnerID == fixture.ana && paired.deviceToken.hasPrefix("bsd_"))

        await #expect(throws: ClinicPushError.self) { _ = try await client.pair(code: code, deviceName: "again") }
        do { _ = try await client.pair(code: code, deviceName: "again") } catch {
            #expect(error == .refused(status: 403, message: error.refusedMessage, url: client.endpoint.url("api/v1/devices")))
            #expect(error.refusedMessage.contains("used already"))
        }
        do { _ = try await client.pair(code: "ABCDE-FGHJK", deviceName: "guess") } catch {
            #expect(error.refusedMessage.contains("not known"))
        }
        let late = try await fixture.pairingCode(port: port, token: token)
        fixture.clock.advance(16 * 60)
        do { _ = try await client.pair(code: late, deviceName: "late") } catch {
            #expect(error.refusedMessage.contains("expired"))
        }
        #expect(try fixture.clinicStore.devices(runnerID: fixture.ana).count == 1)
    }

    @Test func plainHTTPIsRefusedExceptToThisMachine() throws {
        #expect(throws: ClinicPushError.insecureURL("http://clinic.example/")) { try ClinicEndpoint("http://clinic.example/") }
        #expect(throws: ClinicPushError.insecureURL("http://10.0.0.5:8480")) { try ClinicEndpoint("http://10.0.0.5:8480") }
        #expect(try ClinicEndpoint("https://clinic.example").baseURL == "https://clinic.example/")
        for url in ["http://127.0.0.1:8480/", "http://localhost:8480/", "http://[::1]:8480/"] {
            #expect(try ClinicEndpoint(url).baseURL == url)
        }
        #expect(throws: ClinicPushError.invalidURL("ftp://clinic.example/")) { try ClinicEndpoint("ftp://clinic.example/") }
    }

    @Test func thePairingFileIsReadableByItsOwnerOnly() throws {
        let folder = try temporaryDirectory(prefix: "backstride-pairing")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = ClinicPairing.path(dataDirectory: folder)
        let pairing = ClinicPairing(clinicURL: "https://clinic.example/", deviceToken: "bsd_" + String(repeating: "a", count: 64), deviceID: 3,
                                    runnerID: 1, deviceName: "laptop", pairedUTCS: 1)
        try pairing.save(path: path)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(try ClinicPairing.load(path: path) == pairing)
        chmod(path, 0o644)
        #expect(throws: ClinicPushError.self) { try ClinicPairing.load(path: path) }
    }

    @Test func aRevokedDeviceTokenIsRefusedWithTheReason() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        let pairing = try await fixture.pair(port: port)
        let session = try fixture.runnerSession(seed: 1)
        let token = try await fixture.login(port: port)
        try await fixture.request(port: port, .DELETE, "api/v1/devices/\(pairing.deviceID)", token: token, expect: 204)
        let pusher = try fixture.pusher(pairing)
        do {
            try await pusher.deliver(sessionID: session)
            Issue.record("a revoked device pushed")
        } catch {
            #expect(error.isUnauthorized && error.refusedMessage.contains("revoked"))
        }
        // A token past its lifetime (a year) is refused too, saying so.
        let other = try await fixture.pair(port: port, name: "old laptop")
        fixture.clock.advance(366 * 24 * 3600)
        do {
            try await fixture.pusher(other).deliver(sessionID: session)
            Issue.record("an expired device pushed")
        } catch let error as ClinicPushError {
            #expect(error.isUnauthorized && error.refusedMessage.contains("expired"))
        }
        #expect(try fixture.clinicSessionCount() == 0)
    }

    @Test func aSessionPushedTwiceIsStoredOnceWithItsPainOnce() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        let pairing = try await fixture.pair(port: port)
        // Recorded on her travels: the clinic shows the run in the zone she ran in, not its own.
        let session = try fixture.runnerSession(seed: 2, timeZone: "Asia/Tokyo")
        #expect(try fixture.runnerStore.session(id: session)?.timeZone == "Asia/Tokyo")
        // Her watch file was paired with it on her machine.
        let speed = SessionSpeed(source: "run.gpx", offsetS: 0, method: "clock", cadenceCorrelation: 0.9, cadenceDifferenceSPM: 1,
                                 overlap: 1, distanceKm: 0.2, minutes: [.init(startS: 0, speedMPS: 3.2, gradePct: 1.5, watchCadenceSPM: 170)])
        try fixture.runnerStore.setSessionSpeed(sessionID: session, speed: speed)
        let pusher = try fixture.pusher(pairing)
        let first = try await pusher.deliver(sessionID: session)
        let second = try await pusher.deliver(sessionID: session)
        // A second device of the same runner (gaitd installed again) pushes the same session.
        let other = try await fixture.pair(port: port, name: "new laptop")
        let third = try await fixture.pusher(other).deliver(sessionID: session)
        #expect(first == second && second == third)
        #expect(try fixture.clinicSessionCount() == 1)
        let stored = try #require(try fixture.clinicStore.session(id: first))
        #expect(stored.runnerId == fixture.ana && stored.timeZone == "Asia/Tokyo")
        #expect(stored.contentHash == (try fixture.runnerStore.session(id: session))?.contentHash)
        let pain = try fixture.clinicStore.painLog(sessionID: first)
        #expect(pain.count == 1 && pain.first?.location == "left knee" && pain.first?.painScore == 3)
        #expect(try fixture.clinicStore.analysis(id: first) != nil)
        #expect(try fixture.clinicStore.sessionSpeed(sessionID: first) == speed)
        let status = try ClinicDeliveryStatus(store: fixture.runnerStore, clinic: pusher.clinic)
        #expect(status.delivered == 1 && status.pending == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.folder + "/uploads/clinic-uploads").isEmpty)

        // Pain logged the next day makes the session pending again; the clinic attaches the new entry only.
        _ = try fixture.runnerStore.addPain(PainLogEntry(sessionId: session, painScore: 5, location: "left knee", nextDay: true))
        #expect(try fixture.runnerStore.sessionsAwaitingDelivery(clinic: pusher.clinic) == [session])
        #expect(await pusher.pushPending().isEmpty)
        #expect(try fixture.runnerStore.sessionsAwaitingDelivery(clinic: pusher.clinic).isEmpty)
        #expect(try fixture.clinicStore.painLog(sessionID: first).map(\.painScore) == [3, 5])
        #expect(try fixture.clinicSessionCount() == 1)
    }

    @Test func twoDevicesPushingTheSameSessionAtOnceStoreItOnce() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        let session = try fixture.runnerSession(seed: 7)
        let one = try fixture.pusher(try await fixture.pair(port: port, name: "one"))
        let two = try ClinicPusher(store: fixture.runnerStore, pairing: try await fixture.pair(port: port, name: "two"),
                                   workFolder: fixture.folder + "/push-two")
        async let first = one.deliver(sessionID: session)
        async let second = two.deliver(sessionID: session)
        let (a, b) = try await (first, second)
        #expect(a == b)
        #expect(try fixture.clinicSessionCount() == 1)
        #expect(try fixture.clinicStore.painLog(sessionID: a).count == 1)
    }

    @Test func aChunkWithAWrongHashIsRefusedAndTheUploadResumes() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        let pairing = try await fixture.pair(port: port)
        let session = try fixture.runnerSession(seed: 3)
        let export = try SessionExport.write(sessionID: session, store: fixture.runnerStore, folder: fixture.folder + "/export")
        let client = ClinicClient(endpoint: try ClinicEndpoint(pairing.clinicURL), deviceToken: pairing.deviceToken)
        let declared = try await client.declareUpload(sha256: export.sha256, size: export.size, manifest: export.manifest)
        let id = try #require(declared.uploadID)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: export.path)))
        let chunk = declared.chunkBytes ?? 65536
        var offset = 0
        offset = try await client.sendChunk(id: id, offset: 0, bytes: Array(bytes[0..<chunk]), sha256: ContentHash.of(Array(bytes[0..<chunk])))
        // The next chunk, damaged on the way: its hash names other bytes.
        var damaged = Array(bytes[offset..<(offset + chunk)])
        damaged[10] ^= 0xFF
        do {
            _ = try await client.sendChunk(id: id, offset: offset, bytes: damaged, sha256: ContentHash.of(Array(bytes[offset..<(offset + chunk)])))
            Issue.record("a damaged chunk was taken")
        } catch {
            #expect(error.refusedStatus == 400 && error.refusedMessage.contains("nothing was appended"))
        }
        #expect(try await client.uploadState(id: id).receivedBytes == chunk)
        // A chunk at the wrong offset is refused with the right one.
        do { _ = try await client.sendChunk(id: id, offset: 0, bytes: [1], sha256: ContentHash.of([1])) } catch {
            #expect(error.refusedStatus == 409 && error.refusedMessage.contains("\(chunk)"))
        }
        // The pusher resumes where the clinic's copy ends.
        let delivered = try await fixture.pusher(pairing).deliver(sessionID: session)
        #expect(try fixture.clinicStore.session(id: delivered) != nil)
        #expect(try fixture.clinicSessionCount() == 1)
    }

    @Test func aSessionTheClinicCannotReadIsRefusedAndNothingIsStored() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        let pairing = try await fixture.pair(port: port)
        let client = ClinicClient(endpoint: try ClinicEndpoint(pairing.clinicURL), deviceToken: pairing.deviceToken)
        let garbage = Array("t_s,ax_g\nnot,a,session\n".utf8)
        let manifest = PushManifest(contentHash: ContentHash.of(garbage), sourceName: "broken.csv", startedUTCS: nil, timeZone: nil, source: "csv",
                                    clipSerial: nil, clipSessionID: nil, distanceKm: nil, pain: [])
        let declared = try await client.declareUpload(sha256: ContentHash.of(garbage), size: garbage.count, manifest: manifest)
        let id = try #require(declared.uploadID)
        _ = try await client.sendChunk(id: id, offset: 0, bytes: garbage, sha256: ContentHash.of(garbage))
        do { _ = try await client.complete(id: id); Issue.record("an unreadable session was stored") } catch {
            #expect(error.refusedStatus == 422 && error.isPermanent)
        }
        #expect(try fixture.clinicSessionCount() == 0)
        // Oversized: a declared session beyond the limit, a chunk beyond the chunk size.
        do { _ = try await client.declareUpload(sha256: ContentHash.of(garbage), size: 2 << 30, manifest: manifest) } catch {
            #expect(error.refusedStatus == 413)
        }
        let again = try await client.declareUpload(sha256: ContentHash.of(garbage), size: garbage.count, manifest: manifest)
        let big = [UInt8](repeating: 65, count: (64 << 10) + 1)
        let againID = try #require(again.uploadID)
        do { _ = try await client.sendChunk(id: againID, offset: 0, bytes: big, sha256: ContentHash.of(big)) } catch {
            #expect(error.refusedStatus == 413)
        }
        // A wrong device token.
        let stranger = ClinicClient(endpoint: client.endpoint, deviceToken: "bsd_" + String(repeating: "0", count: 64))
        do { _ = try await stranger.declareUpload(sha256: ContentHash.of(garbage), size: garbage.count, manifest: manifest) } catch {
            #expect(error.isUnauthorized)
        }
        // The server keeps serving.
        _ = try await fixture.login(port: port)
    }

    @Test func whileTheClinicIsDownSessionsWaitAndAreDeliveredWhenItIsBack() async throws {
        let fixture = try ClinicFixture()
        let (port, first) = try await fixture.startClinic()
        let pairing = try await fixture.pair(port: port)
        first.cancel()
        _ = try? await first.value
        #expect(try await waitForPortClosed(port))
        let sessions = [try fixture.runnerSession(seed: 4), try fixture.runnerSession(seed: 5)]
        let pusher = try fixture.pusher(pairing)
        let pushing = Task { await pusher.run() }
        defer { pushing.cancel() }
        func attempts() throws -> Int { try fixture.runnerStore.deliveries(clinic: pusher.clinic).map(\.attempts).reduce(0, +) }
        // Wait for attempts, not for a time: on a loaded machine the first one may take seconds to start.
        #expect(try await waitFor(timeoutS: 60) { try attempts() >= 2 })
        let waiting = try ClinicDeliveryStatus(store: fixture.runnerStore, clinic: pusher.clinic)
        #expect(waiting.pending == 2 && waiting.delivered == 0)
        #expect(waiting.lastError?.message.contains("cannot be reached") == true)
        // Backoff (at most 0.4 s between attempts here): far fewer attempts in a second than a tight loop would make.
        let before = try attempts()
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let inOneSecond = try attempts() - before
        #expect(inOneSecond < 30, "\(inOneSecond) attempts in one second while the clinic was down")
        let (_, second) = try await fixture.startClinic(port: port)
        defer { second.cancel() }
        let delivered = try await waitFor(timeoutS: 120) {
            try ClinicDeliveryStatus(store: fixture.runnerStore, clinic: pusher.clinic).delivered == sessions.count
        }
        #expect(delivered)
        #expect(try fixture.clinicSessionCount() == sessions.count)
    }

    @Test func aConnectionCutInTheMiddleOfAChunkResumes() async throws {
        let fixture = try ClinicFixture()
        let (port, server) = try await fixture.startClinic()
        defer { server.cancel() }
        var pairing = try await fixture.pair(port: port)
        let session = try fixture.runnerSession(seed: 6)
        // The cut falls inside the third 64 KiB chunk.
        let relay = try CuttingRelay(upstreamPort: port, cutAfterBytes: 2 * 65536 + 40_000)
        defer { relay.stop() }
        pairing.clinicURL = "http://127.0.0.1:\(relay.port)/"
        let pusher = try fixture.pusher(pairing)
        let pushing = Task { await pusher.run() }
        defer { pushing.cancel() }
        let delivered = try await waitFor(timeoutS: 120) {
            try ClinicDeliveryStatus(store: fixture.runnerStore, clinic: pusher.clinic).delivered == 1
        }
        #expect(delivered && relay.hasCut)
        let record = try #require(try fixture.runnerStore.deliveries(clinic: pusher.clinic).first { $0.sessionId == session })
        #expect(record.attempts >= 2)
        #expect(try fixture.clinicSessionCount() == 1)
    }
}

extension ClinicPushError {
    /// The clinic's reason, for a refusal.
    var refusedMessage: String {
        if case .refused(_, let message, _) = self { return message }
        return description
    }

    var refusedStatus: Int? {
        if case .refused(let status, _, _) = self { return status }
        return nil
    }
}

/// Polls `condition` every 50 ms until it holds or `timeoutS` passes.
func waitFor(timeoutS: Double, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeoutS)
    while Date() < deadline {
        if try condition() { return true }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
    return try condition()
}

/// Whether the port stops accepting connections within 60 s.
func waitForPortClosed(_ port: Int) async throws -> Bool {
    try await waitFor(timeoutS: 60) { !canConnect(port) }
}
