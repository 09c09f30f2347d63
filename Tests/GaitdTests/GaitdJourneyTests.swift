import BackstrideTestSupport
import Foundation
import GaitDSP
import SessionIngest
import SessionStore
import Testing

/// The runner's journey through the real parts: Ana has five runs in her history, her clip is
/// assigned to her, and she plugs it into a running gaitd.
@Suite(.tags(.slow)) struct GaitdJourneyTests {
    /// Five earlier 6 min runs of Ana's, one every other day until yesterday.
    static func importHistory(into store: SQLiteSessionStore, folder: String) throws {
        for k in 0..<5 {
            let path = try SyntheticRun.steadyCSV(in: folder, name: "earlier-\(k)", durationS: 360, seed: 60 + UInt64(k))
            let start = Date().addingTimeInterval(-Double(9 - 2 * k) * 86_400)
            _ = try SessionIngest(store: store).ingestFile(path: path, attribution: Attribution(runner: "Ana", createRunner: true, startedAt: start))
        }
    }

    @Test func aClipAssignedToAnaSyncsIntoHerHistoryWithTrueDatesAndHerBaseline() throws {
        let folder = try temporaryDirectory()
        let data = folder + "/data"
        let store = try SQLiteSessionStore(path: storePath(data))
        try Self.importHistory(into: store, folder: folder)
        let ana = try #require(try store.runner(named: "Ana", create: false)?.id)
        let shoe = try #require(try store.shoe(named: "Pegasus 41", runnerID: ana, create: true, distanceSoFarKm: nil)?.id)
        try store.setCurrentShoe(runnerID: ana, shoeID: shoe)
        _ = try store.assignClip(serial: "BSC-0001", runnerID: ana, moveFromAnotherRunner: false)

        let clip = try VirtualClipServer(["--start-unplugged", "--sessions", "2", "--session-duration", "120", "--rate", "100"]).ready()
        defer { clip.stop() }
        let gaitd = try GaitdProcess(dataDirectory: data, clip: clip)
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching for clips") }, "\(gaitd.log)")
        try clip.send("plug 1")
        #expect(waitUntil(timeoutS: 40) { storedCount(data, serial: "BSC-0001") == 2 }, "\(gaitd.log)")
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")

        // Both runs are Ana's, in her current shoes, dated by the host's clock (the clip's says 2026-01-01).
        let rows = try store.sessions(limit: 10, filter: .runner(ana))
        #expect(rows.count == 7)
        #expect(try store.sessions(limit: 10, filter: .unassigned).isEmpty)
        for row in try storedClipRows(data, serial: "BSC-0001") {
            let session = try #require(try store.session(id: row.row.id))
            #expect(session.runnerId == ana && session.shoeId == shoe)
            let start = try #require(session.startedAt)
            #expect(abs(start.timeIntervalSinceNow) < 2 * 86_400, "start \(start)")
            let document = try #require(try store.storedDocument(sessionID: row.row.id))
            #expect(document.analysis.input.clockCorrectionS != nil)
            // Compared with her own normal: a trusted baseline of her five earlier runs.
            #expect(document.inference.baselineTrusted && document.inference.baselineSessionCount >= 5, "\(document.inference)")
        }
    }
}
