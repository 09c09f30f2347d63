import BackstrideTestSupport
import Dispatch
import Foundation
import GaitInference
import SessionStore
import Testing

/// The PostgreSQL store's reads of a whole runner at once (`storedFlags(runnerID:)`, `painLogs(runnerID:)`, `arrivals(runnerID:)`), its connection
/// pool, and the benchmark's bulk copies (`copySessions`).
@Suite("PostgreSQL session store: runner-wide reads, connections, bulk copies")
struct PostgresBulkReadsTests {
    /// A runner with three sessions: flags on two, pain on two (one with two entries), one with neither.
    static func runnerWithSessions(_ store: PostgresSessionStore) throws -> (runner: Int64, sessions: [SessionID]) {
        let runner = try #require(try store.runner(named: "Pia", create: true)?.id)
        let flagged = try ContractFixtures.insert(store, hash: "a", startedAt: ContractFixtures.time(0), runnerID: runner,
                                                  inference: ContractFixtures.inference(flags: [ContractFixtures.flag(), ContractFixtures.flag(id: "posture.trunk_lean")]))
        let painful = try ContractFixtures.insert(store, hash: "b", startedAt: ContractFixtures.time(86_400), runnerID: runner,
                                                  inference: ContractFixtures.inference(flags: [ContractFixtures.flag()]))
        let quiet = try ContractFixtures.insert(store, hash: "c", startedAt: nil, runnerID: runner)
        _ = try ContractFixtures.insert(store, hash: "someone else's", startedAt: ContractFixtures.time(0), runnerID: nil)
        _ = try store.addPain(PainLogEntry(sessionId: painful, painScore: 3, recordedAt: ContractFixtures.time(90_000)))
        _ = try store.addPain(PainLogEntry(sessionId: painful, painScore: 5, note: "worse", recordedAt: ContractFixtures.time(90_100), nextDay: true))
        _ = try store.addPain(PainLogEntry(sessionId: flagged, painScore: 1, recordedAt: ContractFixtures.time(3_600)))
        return (runner, [flagged, painful, quiet])
    }

    @Test("a runner's flags, pain logs and arrivals read at once equal the per-session reads, in the same order")
    func runnerWideReadsEqualPerSessionReads() throws {
        let store = try PostgresSessionStore(url: PostgresTestServer.freshDatabaseURL())
        let (runner, sessions) = try Self.runnerWithSessions(store)
        let flags = try store.storedFlags(runnerID: runner)
        let pain = try store.painLogs(runnerID: runner)
        for id in sessions {
            #expect(flags[id] ?? [] == (try store.storedFlags(sessionID: id)))
            #expect(pain[id] ?? [] == (try store.painLog(sessionID: id)))
        }
        #expect(Set(flags.keys).union(pain.keys).isSubset(of: sessions))
        #expect(try store.arrivals(runnerID: runner) == (try store.sessions(runnerID: runner).map(\.importedAt)))
        #expect(try store.storedFlags(runnerID: runner + 100).isEmpty && store.arrivals(runnerID: runner + 100).isEmpty)
    }

    @Test("many threads at once share the connections: every read and write succeeds, with one connection or several", arguments: [1, 4])
    func concurrentCallsShareTheConnections(connectionCount: Int) throws {
        let url = try PostgresTestServer.freshDatabaseURL()
        let store = try PostgresSessionStore(location: PostgresStoreLocation(url: url), connectionCount: connectionCount)
        let (runner, sessions) = try Self.runnerWithSessions(store)
        let expected = try store.history(runnerID: runner)
        let lock = NSLock()
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 24) { index in
            do {
                if index % 3 == 0 {
                    _ = try store.addPain(PainLogEntry(sessionId: sessions[2], painScore: index % 11, recordedAt: ContractFixtures.time(Double(index))))
                } else {
                    let history = try store.history(runnerID: runner)
                    if history.map(\.sessionKey) != expected.map(\.sessionKey) { throw SessionStoreError.invalidValue(field: "history", reason: "\(history.count) sessions") }
                }
            } catch {
                lock.lock()
                failures.append("\(error)")
                lock.unlock()
            }
        }
        #expect(failures == [])
        #expect(try store.painLog(sessionID: sessions[2]).count == 8)
    }

    @Test("a store opens no more connections than it was given, however many threads call it at once", arguments: [1, 2])
    func connectionsStayWithinTheirCount(connectionCount: Int) throws {
        let url = try PostgresTestServer.freshDatabaseURL()
        let location = try PostgresStoreLocation(url: url)
        let database = location.database
        let store = try PostgresSessionStore(location: location, connectionCount: connectionCount)
        let (runner, _) = try Self.runnerWithSessions(store)
        let lock = NSLock()
        nonisolated(unsafe) var most = 0
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            do {
                _ = try store.history(runnerID: runner)
                if index % 4 == 0 {
                    let open = try Int(PostgresTestServer.value(of: "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)'")) ?? -1
                    lock.lock()
                    most = max(most, open)
                    lock.unlock()
                }
            } catch {
                lock.lock()
                failures.append("\(error)")
                lock.unlock()
            }
        }
        #expect(failures == [])
        #expect(most >= 1 && most <= connectionCount, "\(most) connections to \(database) open at once, given \(connectionCount)")
    }

    @Test("bulk copies get their own ids, hashes, runner and starts, with the template's summary, flags and facts; steps and raw samples only where planned")
    func copiesOfAnalysedSessions() throws {
        let store = try PostgresSessionStore(url: PostgresTestServer.freshDatabaseURL())
        let (_, sessions) = try Self.runnerWithSessions(store)
        let template = sessions[0]
        let copier = try #require(try store.runner(named: "Ravi", create: true)?.id)
        let latest = ContractFixtures.time(1_000_000)
        try store.copySessions(.init(runnerID: copier, templateIDs: [template], count: 5, latestStart: latest, spacingS: 86_400,
                                     withSteps: 2, withRawSamples: 1, redFlagOnLatest: true))
        let copies = try store.sessions(runnerID: copier)
        #expect(copies.count == 5)
        #expect(copies.map(\.startedAt) == (0..<5).map { latest.addingTimeInterval(-86_400 * Double($0)) })
        let original = try #require(try store.session(id: template))
        #expect(Set(copies.map(\.contentHash)).count == 5 && !copies.contains { $0.contentHash == original.contentHash })
        #expect(copies.allSatisfy { $0.id != template && $0.sampleCount == original.sampleCount && $0.durationS == original.durationS })
        for (slot, copy) in copies.enumerated() {
            let id = try #require(copy.id)
            #expect(try store.storedFlags(sessionID: id) == (try store.storedFlags(sessionID: template)))
            #expect(try store.analysis(id: id)?.steps.count == (slot < 2 ? (try store.analysis(id: template)?.steps.count) : 0))
            var reader = try store.rawSamples(id: id)
            #expect((try reader.next() != nil) == (slot < 1))
        }
        #expect(Set(try store.sessionsWithoutInference()).isDisjoint(with: copies.compactMap(\.id)))
        #expect(try store.history(runnerID: copier).count == 5)
        #expect(try store.redFlagAlert(runnerID: copier) != nil)
        #expect(try store.tableSizes().contains { $0.table == "session" && $0.bytes > 0 })
    }
}
