import BackstrideTestSupport
import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionIngest
import SessionStore
import Testing

/// The journey as people meet it, in a real chromium against the live server: Ana uploads a run
/// from her page and sees it with its flags compared with her own normal; her physiotherapist sees
/// it and the runner report; a physiotherapist without her grant gets 404; a file that cannot be
/// read is refused on the page with its line and nothing is stored.
@Suite("The journey in a real browser", .ownThreads, .serialized, .tags(.slow))
struct BrowserJourneyTests {
    static let artefacts = BrowserReportTests.artefacts

    /// Runs blocking browser work on its own thread, off the cooperative pool the server uses.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    @Test("Ana uploads a run in chromium; it is hers with flags against her own normal; her physiotherapist sees it, another gets 404; a broken file stores nothing")
    func uploadAndSeeInChromium() async throws {
        let fixture = try ServerFixture()
        let anaName = try #require(try fixture.store.runner(id: fixture.ana)?.name)
        // Five earlier runs of 6 min make a personal baseline (the fixture's are 2.5 min: too short to count).
        for k in 0..<5 {
            let path = try SyntheticRun.steadyCSV(in: fixture.folder, name: "six-minutes-\(20 + k)", durationS: 360, seed: UInt64(20 + k))
            _ = try SessionIngest(store: fixture.store).ingestFile(path: path, attribution: Attribution(
                runner: anaName, startedAt: Date(timeIntervalSince1970: 1_780_300_000 + Double(k) * 86_400)))
        }
        let upload = try SyntheticRun.steadyCSV(in: fixture.folder, name: "six-minutes-31", durationS: 360, seed: 31)
        let brokenPath = fixture.folder + "/broken run.csv"
        var lines = try String(contentsOfFile: upload, encoding: .utf8).split(separator: "\n").prefix(2000).map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("t_s,") })
        lines[header + 3] = "0.03,abc,0.1,0.9,1,2,3"
        try lines.joined(separator: "\n").write(toFile: brokenPath, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: Self.artefacts, withIntermediateDirectories: true)
        let shots = Self.artefacts.path

        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let before = try fixture.store.allSessionIDs().count
            let store = fixture.store, ana = fixture.ana, password = ServerFixture.password
            let sessionPath = try await Self.onThread { () throws -> String in
                let browser = try HeadlessBrowser()
                defer { browser.quit() }
                try browser.logIn(base: base, username: "ana", password: password)
                guard browser.location.hasSuffix("/runners/\(ana)") else { throw HeadlessBrowser.Failure(description: "Ana landed on \(browser.location)") }

                // A file that cannot be read: the page says where, and nothing is stored.
                try browser.chooseFile(brokenPath, for: "#upload input[type=file]")
                try browser.click("#upload button")
                try browser.waitUntil("the upload's error") { browser.text.contains("field 'ax_g'") }
                let refused = browser.text
                guard refused.contains("broken_run.csv:\(header + 4): field 'ax_g'") || refused.contains("broken run.csv:\(header + 4): field 'ax_g'") else {
                    throw HeadlessBrowser.Failure(description: "the refusal does not name the file and line: \(refused)")
                }
                guard try store.allSessionIDs().count == before else { throw HeadlessBrowser.Failure(description: "a broken upload was stored") }

                try browser.chooseFile(upload, for: "#upload input[type=file]")
                try browser.expectingNewDocument(timeoutS: 60) { try browser.click("#upload button") }
                try browser.screenshot(to: shots + "/journey-uploaded-session.png")
                let text = browser.text
                guard browser.location.contains("/sessions/"), text.contains("compared with your own normal: your last 5 runs") else {
                    throw HeadlessBrowser.Failure(description: "after the upload: \(browser.location): \(text.prefix(800))")
                }
                return browser.location
            }
            let id = try #require(Int64(URL(string: sessionPath)?.lastPathComponent ?? ""), "\(sessionPath)")
            let stored = try #require(try store.session(id: id))
            #expect(stored.runnerId == ana)
            #expect(try store.allSessionIDs().count == before + 1)

            // Ana's page lists it; her physiotherapist sees it and the runner report; another gets 404.
            try await Self.onThread {
                let browser = try HeadlessBrowser()
                defer { browser.quit() }
                try browser.logIn(base: base, username: "pia", password: password)
                try browser.open(base + "/runners/\(ana)")
                guard browser.html.contains("href=\"/sessions/\(id)\"") else { throw HeadlessBrowser.Failure(description: "pia does not see session \(id)") }
                try browser.open(base + "/sessions/\(id)")
                guard browser.text.contains("own normal") else { throw HeadlessBrowser.Failure(description: "pia: \(browser.text.prefix(600))") }
                try browser.open(base + "/runners/\(ana)/report")
                try browser.screenshot(to: shots + "/journey-runner-report.png")
                guard browser.html.contains("plot-asymmetry-trend") else { throw HeadlessBrowser.Failure(description: "no runner report for pia") }

                let other = try HeadlessBrowser()
                defer { other.quit() }
                try other.logIn(base: base, username: "paul", password: password)
                for page in ["/sessions/\(id)", "/runners/\(ana)", "/runners/\(ana)/report"] {
                    try other.open(base + page)
                    guard other.text.contains("404") else { throw HeadlessBrowser.Failure(description: "paul sees \(page): \(other.text.prefix(300))") }
                }
            }
        }
    }
}
