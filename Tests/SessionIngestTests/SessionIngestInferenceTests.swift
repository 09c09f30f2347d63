import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitInference
import GRDB
import SessionIO
import Testing
import SessionIngest
@testable import SessionStore

/// Runners, shoes, stored flags and the history the inference layer reads from the real store.
@Suite("SessionIngest: runners, shoes and flags")
struct SessionIngestInferenceTests {
    /// A CSV of a 7 min run with the given step-time asymmetry.
    static func run(in folder: String, seed: UInt64, stepTimeAsymmetryPct: Double) throws -> String {
        try SyntheticRun.steadyCSV(in: folder, durationS: 420, seed: seed, cadenceSpm: 172, stepTimeAsymmetryPct: stepTimeAsymmetryPct)
    }

    @Test("a session's flags are stored with their evidence, read back whole, and replaced (not duplicated) when recomputed")
    func flagsAreStoredAndReplaced() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let id = try StoreFixtures.ingest(store).ingestFile(path: try Self.run(in: folder, seed: 1, stepTimeAsymmetryPct: 13)).id
        let flags = try StoreFixtures.ingest(store).reinfer(sessionID: id)
        let asymmetry = try #require(flags.first { $0.id == "asymmetry.step_time_s" })
        #expect(asymmetry.reference.kind == .population)
        #expect(try store.storedFlags(sessionID: id) == flags)
        let records = try store.flags(sessionID: id)
        #expect(records.map(\.flagKey) == flags.map(\.id))
        #expect(records.first { $0.flagKey == "asymmetry.step_time_s" }?.severity == asymmetry.severity.rawValue)
        #expect(try StoreFixtures.ingest(store).reinfer(sessionID: id) == flags)
        #expect(try store.flags(sessionID: id).count == flags.count)
    }

    @Test("a runner's dated sessions make the baseline: an asymmetry new for this runner is flagged against it")
    func runnerHistoryDrivesTheBaseline() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let runner = try #require(try store.runner(named: "Ana", create: true))
        #expect(try store.runner(named: "Ana", create: true)?.id == runner.id)
        let shoe = try #require(try store.shoe(named: "Blue", runnerID: runner.id!, create: true, distanceSoFarKm: 120))
        var ids: [SessionID] = []
        for k in 0..<6 {
            let id = try StoreFixtures.ingest(store).ingestFile(path: try Self.run(in: folder, seed: UInt64(10 + k), stepTimeAsymmetryPct: k == 5 ? 13 : 0.5)).id
            // Imported out of order: the start times, not the ids, order the history.
            try store.assign(sessionID: id, runnerID: runner.id, shoeID: shoe.id, distanceKm: 5,
                             startedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(k) * 86_400))
            ids.append(id)
        }
        #expect(StoreFixtures.ingest(store).reinferRunner(runnerID: runner.id!) == 6)
        let history = try store.history(runnerID: runner.id!)
        #expect(history.map(\.sessionKey) == ids.map { String($0) })
        #expect(history.allSatisfy { $0.shoeKey == String(shoe.id!) && $0.distanceKm == 5 })
        #expect(history.prefix(5).allSatisfy { $0.flagIDs.isEmpty }, "\(history.map(\.flagIDs))")
        let flag = try #require(try store.storedFlags(sessionID: ids[5]).first { $0.id == "asymmetry.step_time_s" })
        #expect(flag.reference.kind == .runnerBaseline)
        #expect(flag.reference.sessionCount == 5)
        #expect(history[5].flagIDs.contains("asymmetry.step_time_s"))
        #expect(try store.shoeInfo(shoeID: shoe.id!) == ShoeInfo(key: String(shoe.id!), name: "Blue", declaredDistanceKm: 120))
    }

    @Test("pain logged for a session reaches the runner's history")
    func painReachesTheHistory() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let runner = try #require(try store.runner(named: "Ben", create: true))
        let id = try StoreFixtures.ingest(store).ingestFile(path: try Self.run(in: folder, seed: 3, stepTimeAsymmetryPct: 0)).id
        try store.assign(sessionID: id, runnerID: runner.id, shoeID: nil, distanceKm: nil, startedAt: nil)
        StoreFixtures.ingest(store).reinferRunner(runnerID: runner.id!)
        #expect(try store.history(runnerID: runner.id!).first?.painScore == nil)
        _ = try store.addPain(PainLogEntry(sessionId: id, painScore: 3))
        _ = try store.addPain(PainLogEntry(sessionId: id, painScore: 6, location: "lower back"))
        #expect(try store.history(runnerID: runner.id!).first?.painScore == 6)
    }

    @Test("re-analysis recomputes the flags of every session")
    func reanalysisRecomputesFlags() throws {
        let folder = StoreFixtures.folder()
        let store = try StoreFixtures.store()
        let id = try StoreFixtures.ingest(store).ingestFile(path: try Self.run(in: folder, seed: 4, stepTimeAsymmetryPct: 13)).id
        #expect(try store.storedFlags(sessionID: id).contains { $0.id == "asymmetry.step_time_s" })
        try store.database.write { db in _ = try FlagRecord.deleteAll(db) }
        #expect(try store.storedFlags(sessionID: id).isEmpty)
        _ = try StoreFixtures.ingest(store).reanalyzeAll(progress: nil)
        #expect(try store.storedFlags(sessionID: id).contains { $0.id == "asymmetry.step_time_s" })
    }

    @Test("runner and shoe names are required, distances checked")
    func badValuesAreRefusedWithTheField() throws {
        let store = try StoreFixtures.store()
        #expect(throws: SessionStoreError.self) { try store.runner(named: "  ", create: true) }
        let runner = try #require(try store.runner(named: "Cleo", create: true))
        #expect(throws: SessionStoreError.self) { try store.shoe(named: "X", runnerID: runner.id!, create: true, distanceSoFarKm: -3) }
        do {
            try store.assign(sessionID: 999, runnerID: runner.id, shoeID: nil, distanceKm: nil, startedAt: nil)
            Issue.record("assigning a missing session did not throw")
        } catch let error as SessionStoreError {
            #expect("\(error)" == "no session with id 999")
        }
    }
}
