import BackstrideTestSupport
import Foundation
import Synchronization
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionStore
import Testing

/// Reports and the API's session document are made once per store revision and revalidated by
/// ETag (issue 14: the session report took 1.56 s at p50 under load, re-decoding every step per
/// request); whatever changes what they show makes them anew.
@Suite("Report cache", .serialized, .ownThreads)
struct ReportCacheTests {
    @Test("a second request is served from the cache; If-None-Match answers 304; a pain entry makes it anew")
    func reportsAreCachedUntilTheStoreChanges() async throws {
        let fixture = try ServerFixture()
        let cache = RenderCache()
        let session = fixture.anaSessions[0]
        try await fixture.application(cache: cache).test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            let uri = "/sessions/\(session)/report"
            let first = try await client.execute(uri: uri, method: .get, headers: ana.headers)
            #expect(first.status == .ok)
            let tag = try #require(first.headers[.eTag])
            #expect(first.headers[.cacheControl] == "private, no-cache")
            let missesAfterFirst = cache.statistics.misses
            let second = try await client.execute(uri: uri, method: .get, headers: ana.headers)
            #expect(String(buffer: second.body) == String(buffer: first.body))
            #expect(second.headers[.eTag] == tag)
            #expect(cache.statistics.misses == missesAfterFirst, "the second request rendered again")
            var conditional = ana.headers
            conditional[.ifNoneMatch] = tag
            let revalidated = try await client.execute(uri: uri, method: .get, headers: conditional)
            #expect(revalidated.status == .notModified)
            #expect(revalidated.body.readableBytes == 0)

            // The runner logs pain through the API: the report shows it, under a new tag.
            let token = try await client.apiToken("ana")
            let logged = try await client.execute(uri: "/api/v1/sessions/\(session)/pain", method: .post,
                                                  headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                                  body: ByteBuffer(string: #"{"pain_score": 3, "note": "stiff after the hills"}"#))
            #expect(logged.status == .created)
            let after = try await client.execute(uri: uri, method: .get, headers: conditional)
            #expect(after.status == .ok)
            #expect(after.headers[.eTag] != tag)
            #expect(String(buffer: after.body).contains("stiff after the hills"))
        }
    }

    @Test("the API's session document carries an ETag, answers 304, and changes after a re-analysis written by another connection")
    func theAPIDocumentFollowsWritesOfOtherProcesses() async throws {
        let fixture = try ServerFixture()
        let session = fixture.anaSessions[0]
        try await fixture.application().test(.router) { client in
            let token = try await client.apiToken("ana")
            let uri = "/api/v1/sessions/\(session)"
            let first = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(first.status == .ok)
            let tag = try #require(first.headers[.eTag])
            let same = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)", .ifNoneMatch: "W/\(tag)"])
            #expect(same.status == .notModified)

            // `gait` on the same file is another connection (another process in real use).
            let other = try SQLiteSessionStore(path: fixture.folder + "/store.sqlite")
            let before = try other.revision()
            var analysis = try #require(try other.analysis(id: session))
            analysis.summary.stepCount += 1
            #expect(try other.replaceAnalysis(sessionID: session, analysis: analysis))
            #expect(try other.revision() > before)
            let changed = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)", .ifNoneMatch: tag])
            #expect(changed.status == .ok)
            #expect(changed.headers[.eTag] != tag)
        }
    }

    @Test("a write about one runner keeps another's report and dashboard row; a write about every runner makes both anew")
    func aRunnersReportFollowsThatRunnersWritesOnly() async throws {
        let fixture = try ServerFixture()
        let cache = RenderCache()
        try await fixture.application(cache: cache).test(.router) { client in
            let ada = try #require(try await client.browserLogin("ada").login)
            func get(_ uri: String, ifNoneMatch tag: String? = nil) async throws -> (status: HTTPResponse.Status, tag: String?) {
                var headers = ada.headers
                if let tag { headers[.ifNoneMatch] = tag }
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                return (response.status, response.headers[.eTag])
            }
            let anaTag = try #require(try await get("/runners/\(fixture.ana)/report").tag)
            let benTag = try #require(try await get("/runners/\(fixture.ben)/report").tag)
            #expect(try await get("/dashboard").status == .ok)
            let madeBefore = cache.statistics.misses

            // Ben logs pain (another connection, as `gait` would): Ana's report and dashboard row
            // stay, Ben's are made anew.
            let other = try SQLiteSessionStore(path: fixture.folder + "/store.sqlite")
            _ = try other.addPain(PainLogEntry(sessionId: fixture.benSession, painScore: 4, location: "lower back", note: "after the long run"))
            #expect(try await get("/runners/\(fixture.ana)/report", ifNoneMatch: anaTag).status == .notModified)
            let ben = try await get("/runners/\(fixture.ben)/report", ifNoneMatch: benTag)
            #expect(ben.status == .ok && ben.tag != benTag)
            #expect(try await get("/dashboard").status == .ok)
            #expect(cache.statistics.misses == madeBefore + 2, "made again: more than Ben's report and Ben's dashboard row")

            // A session moves from Ana to Ben: both change. An account changes: every runner's report is made anew.
            let anaNow = try #require(try await get("/runners/\(fixture.ana)/report").tag)
            let revisions = try other.runnerRevisions([fixture.ana, fixture.ben])
            let session = try #require(try other.session(id: fixture.anaSessions[1]))
            try other.assign(sessionID: fixture.anaSessions[1], runnerID: fixture.ben, shoeID: nil, distanceKm: session.distanceKm, startedAt: nil)
            let moved = try other.runnerRevisions([fixture.ana, fixture.ben])
            #expect(moved[fixture.ana]! > revisions[fixture.ana]! && moved[fixture.ben]! > revisions[fixture.ben]!)
            #expect(try await get("/runners/\(fixture.ana)/report", ifNoneMatch: anaNow).status == .ok)
            let anaAfterMove = try #require(try await get("/runners/\(fixture.ana)/report").tag)
            let benAfterMove = try #require(try await get("/runners/\(fixture.ben)/report").tag)
            let pia = try #require(try other.account(username: "pia"))
            try other.changePasswordHash(accountID: pia.id!, passwordHash: pia.passwordHash + "-changed", keepingTokenHash: nil)
            #expect(try await get("/runners/\(fixture.ana)/report", ifNoneMatch: anaAfterMove).status == .ok)
            #expect(try await get("/runners/\(fixture.ben)/report", ifNoneMatch: benAfterMove).status == .ok)
        }
    }

    @Test("requests that miss one entry at once make it once; the others wait for it, and make it themselves if that fails")
    func concurrentMissesMakeOnce() throws {
        let cache = RenderCache()
        let made = Mutex(0)
        let results = Mutex([String]())
        inThreads(8) {
            let text = cache.text("runner-1.html", revision: 7) {
                made.withLock { $0 += 1 }
                Thread.sleep(forTimeInterval: 0.3)
                return "the report"
            }
            results.withLock { $0.append(text) }
        }
        #expect(made.withLock { $0 } == 1)
        #expect(results.withLock { $0 } == Array(repeating: "the report", count: 8))
        #expect(cache.statistics.waits == 7 && cache.statistics.misses == 1)

        struct Refused: Error {}
        let attempts = Mutex(0)
        inThreads(4) {
            _ = try? cache.text("runner-2.html", revision: 7) { () throws -> String in
                let attempt = attempts.withLock { $0 += 1; return $0 }
                Thread.sleep(forTimeInterval: 0.2)
                if attempt == 1 { throw Refused() }
                return "made by a later request"
            }
        }
        #expect(attempts.withLock { $0 } >= 2, "when the first making failed, no one made it again")
        #expect(cache.text("runner-2.html", revision: 7) { "made again" } == "made by a later request")
    }

    @Test("the warmer makes every runner's row and report before a request, again only for the runner a write changed, and stops at half the cache")
    func theWarmerMakesReportsAhead() async throws {
        let fixture = try ServerFixture()
        let cache = RenderCache()
        let warmer = ReportWarmer(store: fixture.store, cache: cache)
        var seen: [Int64: Int64] = [:]
        #expect(try warmer.warmChanged(seen: &seen) == 2)
        #expect(Set(seen.keys) == [fixture.ana, fixture.ben])
        #expect(try warmer.warmChanged(seen: &seen) == 0, "nothing changed, yet it made reports again")
        let made = cache.statistics.misses
        try await fixture.application(cache: cache).test(.router) { client in
            let ada = try #require(try await client.browserLogin("ada").login)
            let report = try await client.execute(uri: "/runners/\(fixture.ana)/report", method: .get, headers: ada.headers)
            #expect(report.status == .ok)
            #expect(try await client.execute(uri: "/dashboard", method: .get, headers: ada.headers).status == .ok)
            #expect(cache.statistics.misses == made, "a request made what the warmer had made")
        }
        _ = try fixture.store.addPain(PainLogEntry(sessionId: fixture.benSession, painScore: 2))
        #expect(try warmer.warmChanged(seen: &seen) == 1)
        #expect(cache.statistics.misses == made + 2, "more than Ben's row and report were made again")

        let small = RenderCache(capacityBytes: 8_192)
        var none: [Int64: Int64] = [:]
        #expect(try ReportWarmer(store: fixture.store, cache: small).warmChanged(seen: &none) < 2, "warming filled more than half the cache")
    }

    @Test("the cache keeps to its size, dropping the least recently used")
    func theCacheIsBounded() {
        let cache = RenderCache(capacityBytes: 4_000)
        for k in 0..<10 { _ = cache.text("report-\(k)", revision: 1) { String(repeating: "x", count: 900) } }
        #expect(cache.statistics.bytes <= 4_000)
        var made = false
        _ = cache.text("report-9", revision: 1) { made = true; return "" }
        #expect(!made, "the most recent entry was dropped")
        _ = cache.text("report-0", revision: 1) { made = true; return "" }
        #expect(made, "the oldest entry was kept beyond the capacity")
    }
}

/// Runs `body` on `count` threads of its own at once (GCD's `concurrentPerform` uses one per core)
/// and returns when all have finished.
private func inThreads(_ count: Int, _ body: @escaping @Sendable () -> Void) {
    let group = DispatchGroup()
    for _ in 0..<count {
        group.enter()
        Thread { body(); group.leave() }.start()
    }
    group.wait()
}
