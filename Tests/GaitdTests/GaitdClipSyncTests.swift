import BackstrideTestSupport
import Foundation
import SessionStore
import Testing

/// The real `gaitd` against virtual clips plugged in while it runs (umockdev, the real libusb):
/// every session is synced, stored whole and analysed.
@Suite(.ownThreads, .tags(.slow)) struct GaitdClipSyncTests {
    @Test func aClipPluggedInAtRunTimeIsSyncedAndBothSessionsAnalysed() throws {
        let clip = try VirtualClipServer(["--start-unplugged", "--sessions", "2", "--session-duration", "120", "--rate", "100"]).ready()
        defer { clip.stop() }
        let data = try temporaryDirectory() + "/data"
        let gaitd = try GaitdProcess(dataDirectory: data, clip: clip)
        // Started with no clip: nothing happens until the plug-in.
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching for clips") }, "\(gaitd.log)")
        #expect(storedCount(data, serial: "BSC-0001") == 0)
        try clip.send("plug 1")
        let folder = data + "/sessions/BSC-0001"
        #expect(waitUntil(timeoutS: 30) { storedCount(data, serial: "BSC-0001") == 2 }, "\(gaitd.log)")
        try clip.send("unplug 1")
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("clip left BSC-0001") }, "\(gaitd.log)")

        let expected = VirtualClipServer.expectedSessions(sessions: 2, durationS: 120, rateHz: 100)
        #expect(try verifiedArchive(folder) == expected)
        // Analysed in the SQLite store, each clip session once; no analysis files beside the archive.
        #expect(try checkedClipSessions(data, serial: "BSC-0001") == Set(expected.keys))
        #expect(analysisCount(in: folder) == 0)
        let store = try SQLiteSessionStore(path: storePath(data))
        for stored in try storedClipRows(data, serial: "BSC-0001") {
            let analysis = try #require(try store.analysis(id: stored.row.id))
            #expect(analysis.summary.primaryActivity == .running)
            #expect(abs(Double(analysis.summary.metrics?.cadenceSpm ?? 0) - 170) < 5)
            #expect(analysis.summary.stepCount == stored.row.stepCount && analysis.steps.count >= analysis.summary.stepCount)
        }
        #expect(gaitd.log.contains("notification: run of "), "\(gaitd.log)")
        #expect(gaitd.log.contains("steps/min — analysed"))
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }

    @Test func twoClipsPluggedInAtOnceAreBothSynced() throws {
        let clip = try VirtualClipServer(["--clips", "2", "--start-unplugged", "--sessions", "2", "--session-duration", "120", "--rate", "100"]).ready()
        defer { clip.stop() }
        let data = try temporaryDirectory() + "/data"
        let gaitd = try GaitdProcess(dataDirectory: data, clip: clip)
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching for clips") }, "\(gaitd.log)")
        try clip.send("plug")
        let serials = ["BSC-0001", "BSC-0002"]
        #expect(waitUntil(timeoutS: 40) { serials.allSatisfy { storedCount(data, serial: $0) == 2 } }, "\(gaitd.log)")
        try clip.send("unplug")
        for serial in serials {
            let folder = data + "/sessions/" + serial
            let expected = VirtualClipServer.expectedSessions(serial: serial, sessions: 2, durationS: 120, rateHz: 100)
            #expect(try verifiedArchive(folder) == expected, "\(serial)")
            #expect(try checkedClipSessions(data, serial: serial) == Set(expected.keys), "\(serial)")
        }
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }

    /// SIGTERM while a long sync is in flight: gaitd stops within seconds with status 0, logs
    /// its shutdown, leaves only whole sessions, and the next run resumes and finishes the job.
    @Test func sigtermMidSyncExitsCleanlyAndTheNextRunResumes() throws {
        let options = ["--start-unplugged", "--sessions", "2", "--session-duration", "900", "--rate", "1000"]
        let clip = try VirtualClipServer(options).ready()
        defer { clip.stop() }
        let data = try temporaryDirectory() + "/data"
        let folder = data + "/sessions/BSC-0001"
        let first = try GaitdProcess(dataDirectory: data, clip: clip)
        #expect(waitUntil(timeoutS: 10) { first.log.contains("watching for clips") })
        try clip.send("plug 1")
        #expect(waitUntil(timeoutS: 10) { first.log.contains("syncing clip BSC-0001") }, "\(first.log)")
        Thread.sleep(forTimeInterval: 0.7)
        let started = Date()
        let status = first.terminate(timeoutS: 5)
        let stopS = Date().timeIntervalSince(started)
        #expect(status == 0, "\(first.log)")
        #expect(stopS < 5)
        #expect(first.log.contains("shutdown requested"), "\(first.log)")
        #expect(first.log.contains("gaitd stopped"))
        let partial = try verifiedArchive(folder)
        #expect(partial.count < 2, "the sync was not in flight at SIGTERM: \(first.log)")

        // A graceful stop closes the clip properly, so the same virtual clip serves the next run.
        let second = try GaitdProcess(dataDirectory: data, clip: clip)
        #expect(waitUntil(timeoutS: 180) { storedCount(data, serial: "BSC-0001") == 2 }, "\(second.log)")
        let expected = VirtualClipServer.expectedSessions(sessions: 2, durationS: 900, rateHz: 1000)
        #expect(try verifiedArchive(folder) == expected)
        #expect(try checkedClipSessions(data, serial: "BSC-0001") == Set(expected.keys))
        #expect(second.log.contains("resumed") || partial.count == 1, "\(second.log)")
        #expect(second.terminate() == 0, "\(second.log)")
    }
}
