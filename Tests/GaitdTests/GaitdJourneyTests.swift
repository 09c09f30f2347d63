import BackstrideTestSupport
import Foundation
import GaitDSP
import SessionIngest
import SessionStore
import Testing

/// The runner's journey through the real parts: Ana has five runs in her history, her clip is
/// assigned to her, and she plugs it into a running gaitd; a run also arrives through the inbox.
/// She, her physiotherapist and another physiotherapist then look in chromium at gaitd's pages.
@Suite(.ownThreads, .tags(.slow)) struct GaitdJourneyTests {
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

        // Her account, her physiotherapist's (with her grant) and another physiotherapist's.
        let password = "a long enough password"
        for arguments in [["add", "ana", "--role", "runner", "--runner", "Ana"], ["add", "pia", "--role", "physio"], ["add", "paul", "--role", "physio"],
                          ["grant", "--runner", "Ana", "--physio", "pia"]] {
            let result = try runProcess(Products.gait, ["account"] + arguments + ["--database", storePath(data)], input: Data((password + "\n").utf8))
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
        }

        let clip = try VirtualClipServer(["--start-unplugged", "--sessions", "2", "--session-duration", "120", "--rate", "100"]).ready()
        defer { clip.stop() }
        let port = try GaitdHTTPTests.freePort()
        let gaitd = try GaitdProcess(dataDirectory: data, clip: clip, arguments: ["--http-port", "\(port)", "--runner", "Ana"])
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching for clips") }, "\(gaitd.log)")
        try clip.send("plug 1")
        #expect(waitUntil(timeoutS: 40) { storedCount(data, serial: "BSC-0001") == 2 }, "\(gaitd.log)")
        // The same way in through the inbox: a 6 min run dropped there is the default runner's, Ana's.
        let dropped = try SyntheticRun.steadyCSV(in: folder, name: "dropped", durationS: 360, seed: 77)
        try FileManager.default.moveItem(atPath: dropped, toPath: data + "/inbox/dropped.csv")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/dropped.csv") }, "\(gaitd.log)")
        let inboxSession = try #require(try store.sessions(limit: 20, filter: .runner(ana)).first { $0.origin?.hasSuffix("dropped.csv") == true }?.id)

        // In a real browser, against gaitd's own web server.
        let base = "http://127.0.0.1:\(port)"
        let newSessions = try storedClipRows(data, serial: "BSC-0001").map(\.row.id) + [inboxSession]
        do {
            let browser = try HeadlessBrowser()
            defer { browser.quit() }
            try browser.logIn(base: base, username: "ana", password: password)
            #expect(browser.location.hasSuffix("/runners/\(ana)"), "\(browser.location)")
            let page = browser.html
            for id in newSessions { #expect(page.contains("href=\"/sessions/\(id)\""), "session \(id) is not on Ana's page") }
            for id in newSessions {
                try browser.open(base + "/sessions/\(id)")
                #expect(browser.text.contains("compared with your own normal: your last"), "session \(id): \(browser.text.prefix(600))")
            }
            try browser.screenshot(to: Products.root.appendingPathComponent("artefacts/screenshots").path + "/gaitd-journey-session.png")
        }
        do {
            let physio = try HeadlessBrowser()
            defer { physio.quit() }
            try physio.logIn(base: base, username: "pia", password: password)
            for id in newSessions {
                try physio.open(base + "/sessions/\(id)")
                #expect(physio.text.contains("own normal"), "pia, session \(id): \(physio.text.prefix(400))")
            }
            try physio.open(base + "/runners/\(ana)/report")
            #expect(physio.html.contains("plot-asymmetry-trend"))
            let other = try HeadlessBrowser()
            defer { other.quit() }
            try other.logIn(base: base, username: "paul", password: password)
            for page in ["/sessions/\(newSessions[0])", "/runners/\(ana)", "/runners/\(ana)/report"] {
                try other.open(base + page)
                #expect(other.text.contains("404"), "paul sees \(page)")
            }
        }
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")

        // Both runs are Ana's, in her current shoes, dated by the host's clock (the clip's says 2026-01-01).
        let rows = try store.sessions(limit: 10, filter: .runner(ana))
        #expect(rows.count == 8)
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
