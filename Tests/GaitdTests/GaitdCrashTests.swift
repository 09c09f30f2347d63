import BackstrideTestSupport
import Foundation
import Testing

/// SIGKILL of the real `gaitd` at random moments of syncing and analysing.
@Suite(.ownThreads, .tags(.slow)) struct GaitdCrashTests {
    /// 20 rounds over five clips, four kills each: a clip holding every session, gaitd started on
    /// the same data directory, killed after a random delay that falls before, during or after the
    /// sync and the analyses (each clip's later rounds resume what the earlier ones left). After
    /// each kill every archived session is whole (its bytes verify against its checksum and are
    /// what the clip recorded), no session is archived twice, and the SQLite store holds each clip
    /// session at most once, analysed, and only sessions the archive committed. A last run with
    /// the five clips plugged in at once stores and analyses everything, each session exactly once.
    ///
    /// Each round serves a fresh virtual clip (the next one is prepared while a round runs): after
    /// a preloaded client is SIGKILLed mid-transfer, umockdev may block the next client's ioctls
    /// on the same virtual clip, so a clip is never reused after a kill.
    @Test func killingGaitdAtRandomLeavesOnlyWholeSessionsAndTheNextRunFinishes() throws {
        let serials = (1...5).map { String(format: "BSC-%04d", 100 + $0) }
        let options = ["--sessions", "3", "--session-duration", "150", "--rate", "400"]
        let data = try temporaryDirectory() + "/data"
        var expected: [String: [UInt32: [UInt8]]] = [:]
        for serial in serials { expected[serial] = VirtualClipServer.expectedSessions(serial: serial, sessions: 3, durationS: 150, rateHz: 400) }
        var generator = SystemRandomNumberGenerator()
        let rounds = (0..<20).map { serials[$0 / 4] }
        var next = try VirtualClipServer(["--serial", rounds[0]] + options)
        var phases: [String] = []
        for (round, serial) in rounds.enumerated() {
            let clip = try next.ready()
            if round + 1 < rounds.count { next = try VirtualClipServer(["--serial", rounds[round + 1]] + options) }
            let gaitd = try GaitdProcess(dataDirectory: data, clip: clip)
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...1.6, using: &generator))
            gaitd.killHard()
            clip.stop()
            let folder = data + "/sessions/" + serial
            let stored = try verifiedArchive(folder)
            for (id, bytes) in stored { #expect(bytes == expected[serial]?[id], "round \(round): \(serial) session \(id) is not what the clip recorded") }
            // The store holds each session at most once, analysed, and only sessions the archive committed.
            let analysed = try checkedClipSessions(data, serial: serial)
            #expect(analysed.isSubset(of: Set(stored.keys)), "round \(round): \(serial) has stored sessions the archive lacks")
            let partial = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains { $0.hasSuffix(".partial") }
            phases.append("\(stored.count)s\(analysed.count)a\(partial ? "+p" : "")")
        }
        // Which phase each kill hit: sessions stored, analysed, and whether a download was cut off.
        print("gaitd SIGKILL rounds (stored s, analysed a, +p partial download): \(phases.joined(separator: " "))")

        let clip = try VirtualClipServer(serials.flatMap { ["--serial", $0] } + options).ready()
        defer { clip.stop() }
        let gaitd = try GaitdProcess(dataDirectory: data, clip: clip)
        #expect(waitUntil(timeoutS: 90) { serials.allSatisfy { storedCount(data, serial: $0) == 3 } }, "\(gaitd.log)")
        #expect(waitUntil(timeoutS: 10) { gaitd.log.components(separatedBy: "erased on the clip").count - 1 == serials.count }, "\(gaitd.log)")
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
        // Each clip session exactly once in the store, and nothing else.
        #expect(try storedRows(data).count == serials.count * 3)
        for serial in serials {
            let folder = data + "/sessions/" + serial
            #expect(try verifiedArchive(folder) == expected[serial], "\(serial)")
            #expect(try checkedClipSessions(data, serial: serial) == Set(expected[serial]!.keys), "\(serial)")
            #expect(analysisCount(in: folder) == 0, "\(serial): analysis files beside the archive")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".partial") || $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "\(serial): \(leftovers)")
        }
    }
}
