import BackstrideTestSupport
import Foundation
import Testing

/// `gait sync` through the real ClipUSB and the real libusb against simulated clips served by
/// umockdev (`virtual-clip serve`): lossless, resumable, idempotent, crash-safe.
@Suite(.ownThreads, .serialized, .tags(.slow)) struct ClipSyncIntegrationTests {
    static func store() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bs-store-\(UUID().uuidString)").path
    }

    @Test func anHourAtOneKilohertzSyncsBitExact() throws {
        let server = try VirtualClipServer(["--sessions", "3", "--session-duration", "1200", "--rate", "1000"]).ready()
        defer { server.stop() }
        let store = Self.store()
        let result = try server.gait(["sync", "--store", store])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("3 stored, 3 erased"))
        let expected = VirtualClipServer.expectedSessions(sessions: 3, durationS: 1200, rateHz: 1000)
        let stored = try verifiedArchive(store + "/BSC-0001")
        #expect(stored.keys.sorted() == expected.keys.sorted())
        for (id, bytes) in expected { #expect(stored[id] == bytes, "session \(id) differs") }
        let totalBytes = expected.values.reduce(0) { $0 + $1.count }
        let hourOfBlocks = 3_600_000 / 40 * 512
        #expect(totalBytes > hourOfBlocks)
        // The clip is empty now, and a second sync finds nothing to do.
        let again = try server.gait(["sync", "--store", store])
        #expect(again.standardOutput.contains("0 session(s) on the clip"))
    }

    /// Unplug faults in each phase of a sync: HELLO going out, its answer, the session list,
    /// the middle of the downloads, and the acknowledgements at the end.
    static let unplugs: [[String]] = [
        ["--unplug-at-out-byte", "5"], ["--unplug-at-in-byte", "20"], ["--unplug-at-in-byte", "150"],
        ["--unplug-at-in-byte", "40000"], ["--unplug-at-in-byte", "150000"], ["--unplug-at-out-byte", "1250"],
    ]

    @Test(arguments: unplugs)
    func unplugInAnyPhaseThenReplugResumesWithNothingLostOrDuplicated(fault: [String]) throws {
        let server = try VirtualClipServer(["--sessions", "3", "--session-duration", "120", "--rate", "200",
                                            "--replug-after-disconnect-ms", "300"] + fault).ready()
        defer { server.stop() }
        let store = Self.store()
        let first = try server.gait(["sync", "--store", store, "--timeout-ms", "500"])
        #expect(first.status == 1, "the unplug did not interrupt the sync: \(first.standardOutput)")
        #expect(first.standardError.contains("unplugged"), "\(first.standardError)")
        try server.waitForClip()
        let second = try server.gait(["sync", "--store", store])
        #expect(second.status == 0, "\(second.standardError)")
        let expected = VirtualClipServer.expectedSessions(sessions: 3, durationS: 120, rateHz: 200)
        let stored = try verifiedArchive(store + "/BSC-0001")
        #expect(stored == expected)
        let third = try server.gait(["sync", "--store", store])
        #expect(third.standardOutput.contains("0 session(s) on the clip"), "\(third.standardOutput)")
    }

    @Test func aCorruptedBlockIsReadAgainAndStoredGood() throws {
        let server = try VirtualClipServer(["--sessions", "2", "--session-duration", "60", "--corrupt-read", "2:3000"]).ready()
        defer { server.stop() }
        let store = Self.store()
        let result = try server.gait(["sync", "--store", store])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("read again"))
        #expect(try verifiedArchive(store + "/BSC-0001") == VirtualClipServer.expectedSessions(sessions: 2, durationS: 60, rateHz: 100))
    }

    @Test func aBlockThatStaysBadIsReportedAndTheSessionStaysOnTheClip() throws {
        let server = try VirtualClipServer(["--sessions", "2", "--session-duration", "60", "--corrupt-read", "2:3000", "--corrupt-persistently"]).ready()
        defer { server.stop() }
        let store = Self.store()
        let result = try server.gait(["sync", "--store", store])
        #expect(result.status == 1)
        #expect(result.standardError.contains("session 2 not stored"), "\(result.standardError)")
        #expect(try verifiedArchive(store + "/BSC-0001").keys.sorted() == [1])
        let again = try server.gait(["sync", "--store", store, "--no-erase"])
        #expect(again.standardOutput.contains("1 session(s) on the clip"), "\(again.standardOutput)")
    }

    @Test func aSecondSyncStoresNothingTwice() throws {
        let server = try VirtualClipServer(["--sessions", "3", "--session-duration", "30"]).ready()
        defer { server.stop() }
        let store = Self.store()
        #expect(try server.gait(["sync", "--store", store, "--no-erase"]).status == 0)
        let second = try server.gait(["sync", "--store", store, "--no-erase"])
        #expect(second.standardOutput.contains("0 stored, 3 already stored"), "\(second.standardOutput)")
        let files = try FileManager.default.contentsOfDirectory(atPath: store + "/BSC-0001").filter { $0.hasSuffix(".bsession") }
        #expect(files.count == 3)
    }

    /// SIGKILL of `gait sync` at random moments, 20 times. Each round serves a fresh clip holding
    /// every session (a clip whose host was killed mid-transfer is not reused: umockdev's
    /// preload then blocks the next client's ioctls), so what this checks is the host's side: the
    /// archive never holds a session that is not whole, and resuming finishes with every session
    /// stored exactly once.
    @Test func killingTheHostMidSyncLeavesNoHalfSessionAndResumes() throws {
        let options = ["--sessions", "4", "--session-duration", "300", "--rate", "400"]
        let store = Self.store()
        let expected = VirtualClipServer.expectedSessions(sessions: 4, durationS: 300, rateHz: 400)
        var generator = SystemRandomNumberGenerator()
        var storedBeforeFinal = 0
        for round in 0..<20 {
            let server = try VirtualClipServer(options + ["--no-hotplug-events"]).ready()
            let child = try server.startGait(["sync", "--store", store, "--no-erase"])
            Thread.sleep(forTimeInterval: Double.random(in: 0.02...0.8, using: &generator))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            server.stop()
            let stored = try verifiedArchive(store + "/BSC-0001")
            for (id, bytes) in stored { #expect(bytes == expected[id], "round \(round): session \(id) is not what the clip recorded") }
            storedBeforeFinal = stored.count
        }
        let server = try VirtualClipServer(options).ready()
        defer { server.stop() }
        let final = try server.gait(["sync", "--store", store])
        #expect(final.status == 0, "\(final.standardError)")
        #expect(final.standardOutput.contains("\(storedBeforeFinal) already stored") || storedBeforeFinal == 0, "\(final.standardOutput)")
        #expect(try verifiedArchive(store + "/BSC-0001") == expected)
        #expect(try server.gait(["sync", "--store", store]).standardOutput.contains("0 session(s) on the clip"))
    }
}

/// Live streaming from a (virtual) clip through the real libusb.
@Suite(.ownThreads, .tags(.slow)) struct ClipStreamIntegrationTests {
    @Test func liveCadenceFromAClipMatchesItsActivity() throws {
        let server = try VirtualClipServer(["--sessions", "0"]).ready()
        defer { server.stop() }
        let result = try server.gait(["stream", "--clip", "--seconds", "30"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("steps/min"))
        let summary = try #require(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("Running:") })
        // The simulator's live activity is an easy run at 170 steps/min.
        let cadence = summary.split(separator: " ").compactMap { Double($0) }.last ?? 0
        #expect(abs(cadence - 170) < 3, "\(summary)")
    }
}
