import BackstrideTestSupport
import Foundation
import GaitDSP
import GaitSynth
import SessionStore
import Testing

/// CSV files dropped into the inbox of the real `gaitd` (no clip).
@Suite(.ownThreads) struct GaitdInboxTests {
    @Test func aDroppedCSVIsImportedAnalysedAndMovedToDone() throws {
        let data = try temporaryDirectory() + "/data"
        let gaitd = try GaitdProcess(dataDirectory: data, arguments: ["--runner", "ana", "--shoe", "pegasus-41"])
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching the inbox") }, "\(gaitd.log)")
        // Copied in under a temporary name, then renamed, as a careful sender does.
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/walk-run-walk.csv"), toPath: data + "/inbox/.incoming")
        try FileManager.default.moveItem(atPath: data + "/inbox/.incoming", toPath: data + "/inbox/walk-run-walk.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/walk-run-walk.csv") }, "\(gaitd.log)")
        #expect(!FileManager.default.fileExists(atPath: data + "/inbox/walk-run-walk.csv"))
        // Stored and analysed in the SQLite store, as the default runner's, in the default shoes.
        let stored = try storedRows(data)
        #expect(stored.count == 1)
        let row = try #require(stored.first).row
        #expect(row.source == .csv)
        #expect(row.primaryActivity == ActivityKind.running.rawValue)
        #expect((row.stepCount ?? 0) > 0)
        let analysis = try #require(try SQLiteSessionStore(path: storePath(data)).analysis(id: row.id))
        #expect(analysis.summary.primaryActivity == .running)
        #expect(analysis.summary.stepCount == row.stepCount && analysis.steps.count >= analysis.summary.stepCount)
        let store = try SQLiteSessionStore(path: storePath(data))
        let ana = try #require(try store.runner(named: "ana", create: false))
        let session = try #require(try store.session(id: row.id))
        #expect(session.runnerId == ana.id)
        #expect(try session.shoeId.flatMap { try store.shoeInfo(shoeID: $0)?.name } == "pegasus-41")
        #expect(try store.history(runnerID: ana.id!).count == 1)
        #expect(gaitd.log.contains("notification: run from file walk-run-walk.csv"), "\(gaitd.log)")

        // The same file again is filed away but stored only once.
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/walk-run-walk.csv"), toPath: data + "/inbox/walk-run-walk.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/walk-run-walk 2.csv") }, "\(gaitd.log)")
        #expect(try storedRows(data).count == 1)
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }

    @Test func aBadCSVIsMovedToFailedWithItsErrorAndTheDaemonGoesOn() throws {
        let data = try temporaryDirectory() + "/data"
        let gaitd = try GaitdProcess(dataDirectory: data)
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching the inbox") }, "\(gaitd.log)")
        try Data("t_s,ax_g,ay_g,az_g\n0.00,0.01,0.02,1.00\n0.01,0.01,abc,1.00\n".utf8).write(to: URL(fileURLWithPath: data + "/inbox/broken.csv"))
        let errorFile = data + "/inbox/failed/broken.csv.error.txt"
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: errorFile) }, "\(gaitd.log)")
        #expect(FileManager.default.fileExists(atPath: data + "/inbox/failed/broken.csv"))
        let reason = try String(contentsOfFile: errorFile, encoding: .utf8)
        #expect(reason.contains("broken.csv:3: field 'ay_g': 'abc' is not a number"), "\(reason)")
        #expect(gaitd.log.contains("inbox: broken.csv failed"))
        // Nothing of it entered the store.
        #expect(try storedRows(data).isEmpty)

        // Still running: the next good file goes through.
        #expect(gaitd.isRunning)
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/fatiguing-run-phone.csv"), toPath: data + "/inbox/good.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/good.csv") }, "\(gaitd.log)")
        #expect(try storedRows(data).count == 1)
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }

    @Test func aWatchFileDroppedBeforeItsSessionWaitsThenPairs() throws {
        let folder = try temporaryDirectory()
        let data = folder + "/data"
        let gaitd = try GaitdProcess(dataDirectory: data, arguments: ["--runner", "ana"])
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching the inbox") }, "\(gaitd.log)")
        let config = SynthConfig(sampleRateHz: 100, seed: 31, segments: [
            .walking(durationS: 120, cadenceSpm: 110, speedMps: 1.4), .running(durationS: 300, cadenceSpm: 164, speedMps: 3.0),
            .running(durationS: 240, cadenceSpm: 182, speedMps: 3.8), .walking(durationS: 90, cadenceSpm: 108, speedMps: 1.3),
        ])
        let start = 1_781_500_000.0
        // The watch file arrives first: it waits in the inbox.
        let gpx = try SyntheticWatch.write(config, startUTC: start + 5, in: folder, name: "morning")
        try FileManager.default.moveItem(atPath: gpx, toPath: data + "/inbox/morning.gpx")
        Thread.sleep(forTimeInterval: 1)
        #expect(FileManager.default.fileExists(atPath: data + "/inbox/morning.gpx"), "\(gaitd.log)")
        // Then the session, a CSV that states its start.
        let csv = try SyntheticRun.csv(config, in: folder, name: "morning")
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        try ("# start_utc=\(Int(start))\n" + text).write(toFile: data + "/inbox/.morning", atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(atPath: data + "/inbox/.morning", toPath: data + "/inbox/morning.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/morning.gpx") }, "\(gaitd.log)")
        let store = try SQLiteSessionStore(path: storePath(data))
        let id = try #require(try storedRows(data).first?.row.id)
        let speed = try #require(try store.sessionSpeed(sessionID: id))
        #expect(abs(speed.offsetS - start - 5) < 3, "\(speed.offsetS - start)")
        #expect(gaitd.log.contains("morning.gpx paired with session \(id)"), "\(gaitd.log)")
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }
}
