import BackstrideTestSupport
import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A real headless browser (Debian's chromium) renders the session and runner reports the server
/// serves: the DOM after rendering has every plot as non-empty SVG, and the screenshots and A4
/// PDFs are kept in `artefacts/screenshots/` (CI keeps that folder).
@Suite("Reports in a real browser", .ownThreads, .serialized, .tags(.slow))
struct BrowserReportTests {
    static let repository = Products.root
    static let artefacts = repository.appendingPathComponent("artefacts/screenshots")

    /// Runs chromium headless with `arguments` on `file`; returns its standard output.
    static func chromium(_ arguments: [String], file: URL) throws -> String {
        let process = Process()
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                                      "chromium is not installed: scripts/install-system-packages.sh installs it")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                             "--no-first-run", "--user-data-dir=" + NSTemporaryDirectory() + "chromium-\(UUID().uuidString)"]
            + arguments + [file.absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "chromium \(arguments) exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }

    /// The `<svg …>…</svg>` element with this id in a DOM dump, or nil.
    static func svg(id: String, in dom: String) -> String? {
        guard let start = dom.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = dom[..<start.lowerBound].range(of: "<svg", options: .backwards),
              let close = dom[start.upperBound...].range(of: "</svg>") else { return nil }
        return String(dom[open.lowerBound..<close.upperBound])
    }

    /// How many data marks an SVG draws (circles, bars, polylines, paths; not its frame).
    static func dataMarks(_ svg: String) -> Int {
        let marks = ["<circle", "<rect", "<polyline", "<path d=\"M"].map { svg.components(separatedBy: $0).count - 1 }
        return marks.reduce(0, +) - (svg.components(separatedBy: "<rect class=\"frame\"").count - 1)
    }

    func render(name: String, html: String, plots: [String], minimumMarks: Int) throws {
        try FileManager.default.createDirectory(at: Self.artefacts, withIntermediateDirectories: true)
        let page = Self.artefacts.appendingPathComponent(name + ".html")
        try Data(html.utf8).write(to: page)
        let dom = try Self.chromium(["--dump-dom"], file: page)
        #expect(dom.contains("</html>"), "the browser did not render \(name)")
        for id in plots {
            let svg = try #require(Self.svg(id: id, in: dom), "\(name): no SVG with id \(id) after rendering")
            #expect(Self.dataMarks(svg) >= minimumMarks, "\(name): plot \(id) draws \(Self.dataMarks(svg)) marks")
        }
        let png = Self.artefacts.appendingPathComponent(name + ".png")
        let pdf = Self.artefacts.appendingPathComponent(name + ".pdf")
        try? FileManager.default.removeItem(at: png)
        try? FileManager.default.removeItem(at: pdf)
        _ = try Self.chromium(["--window-size=1280,3000", "--screenshot=" + png.path], file: page)
        _ = try Self.chromium(["--no-pdf-header-footer", "--print-to-pdf=" + pdf.path], file: page)
        let pngBytes = try Data(contentsOf: png)
        #expect(pngBytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && pngBytes.count > 30_000, "\(name): screenshot of \(pngBytes.count) bytes")
        let pdfText = String(decoding: try Data(contentsOf: pdf), as: UTF8.self)
        #expect(pdfText.hasPrefix("%PDF"))
        // A4 is 595 × 842 points.
        #expect(pdfText.contains("/MediaBox [0 0 595") || pdfText.contains("/MediaBox [0 0 594"), "\(name): not A4")
    }

    @Test("the session and runner reports the server serves render in chromium with every plot drawn")
    func reportsRenderInChromium() async throws {
        let fixture = try ServerFixture()
        let (sessionHTML, runnerHTML) = try await fixture.application().test(.live) { client in
            let login = try #require(try await client.browserLogin("pia").login)
            let session = try await client.execute(uri: "/sessions/\(fixture.anaSessions[1])/report", method: .get, headers: login.headers)
            let runner = try await client.execute(uri: "/runners/\(fixture.ana)/report", method: .get, headers: login.headers)
            #expect(session.status == .ok && runner.status == .ok)
            // The same reports are not served to a physiotherapist without access.
            let paul = try #require(try await client.browserLogin("paul").login)
            #expect(try await client.execute(uri: "/sessions/\(fixture.anaSessions[1])/report", method: .get, headers: paul.headers).status == .notFound)
            #expect(try await client.execute(uri: "/runners/\(fixture.ana)/report.csv", method: .get, headers: paul.headers).status == .notFound)
            return (String(buffer: session.body), String(buffer: runner.body))
        }
        #expect(!sessionHTML.contains("<script"))
        try render(name: "session-report", html: sessionHTML,
                   plots: ["plot-impact-sides", "plot-cadence-impact", "plot-step-time-histogram", "plot-posture"], minimumMarks: 3)
        try render(name: "runner-report", html: runnerHTML, plots: ["plot-asymmetry-trend", "plot-weekly-running"], minimumMarks: 1)
    }
}
