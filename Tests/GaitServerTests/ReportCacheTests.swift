import Foundation
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
@Suite("Report cache", .serialized)
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
