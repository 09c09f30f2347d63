import Foundation
import GaitDSP
import SessionStore
import Testing

/// CSV files dropped into the inbox of the real `gaitd` (no clip).
@Suite struct GaitdInboxTests {
    @Test func aDroppedCSVIsImportedAnalysedAndMovedToDone() throws {
        let data = try temporaryDirectory() + "/data"
        let gaitd = try GaitdProcess(dataDirectory: data, arguments: ["--runner", "ana", "--shoe", "pegasus-41"])
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching the inbox") }, "\(gaitd.log)")
        // Copied in under a temporary name, then renamed, as a careful sender does.
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/walk-run-walk.csv"), toPath: data + "/inbox/.incoming")
        try FileManager.default.moveItem(atPath: data + "/inbox/.incoming", toPath: data + "/inbox/walk-run-walk.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/walk-run-walk.csv") }, "\(gaitd.log)")
        #expect(!FileManager.default.fileExists(atPath: data + "/inbox/walk-run-walk.csv"))
        // Stored and analysed in the SQLite store; the attribution stays in a file (the store has no runner or shoe API).
        let stored = try storedRows(data)
        #expect(stored.count == 1)
        let row = try #require(stored.first).row
        #expect(row.source == .csv)
        #expect(row.primaryActivity == ActivityKind.running.rawValue)
        #expect((row.stepCount ?? 0) > 0)
        let analysis = try #require(try SQLiteSessionStore(path: storePath(data)).analysis(id: row.id))
        #expect(analysis.summary.primaryActivity == .running)
        #expect(analysis.summary.stepCount == row.stepCount && analysis.steps.count >= analysis.summary.stepCount)
        let attributionFile = try #require(try FileManager.default.contentsOfDirectory(atPath: data + "/imports")
            .first { $0.hasPrefix("walk-run-walk-") && $0.hasSuffix(".attribution.json") })
        let attribution = try String(contentsOfFile: data + "/imports/" + attributionFile, encoding: .utf8)
        #expect(attribution.contains("pegasus-41") && attribution.contains("ana"))
        #expect(gaitd.log.contains("notification: run from walk-run-walk.csv"), "\(gaitd.log)")

        // The same file again is filed away but stored only once.
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/walk-run-walk.csv"), toPath: data + "/inbox/walk-run-walk.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/walk-run-walk 2.csv") }, "\(gaitd.log)")
        #expect(try storedRows(data).count == 1)
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }

    /// `--file-sink`: the earlier layout, no database; the CSV is copied to `<data>/imports` with its analysis beside it.
    @Test func theFileSinkKeepsAnalysesAsFilesAndNoDatabase() throws {
        let data = try temporaryDirectory() + "/data"
        let gaitd = try GaitdProcess(dataDirectory: data, arguments: ["--file-sink", "--runner", "ana"])
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching the inbox") }, "\(gaitd.log)")
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/walk-run-walk.csv"), toPath: data + "/inbox/walk-run-walk.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/walk-run-walk.csv") }, "\(gaitd.log)")
        let stored = try analyses(in: data + "/imports", dataExtension: "csv")
        #expect(stored.count == 1)
        #expect(stored.values.first?.summary.primaryActivity == .running)
        #expect(!FileManager.default.fileExists(atPath: storePath(data)))
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
}
