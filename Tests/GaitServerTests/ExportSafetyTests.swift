import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SessionIngest
import SessionStore
import Testing

/// Exports safe to open: no formula reaches a spreadsheet, and a browser runs nothing in them.
@Suite("Export safety", .serialized)
struct ExportSafetyTests {
    @Test("a shoe named =HYPERLINK(…) reaches the CSV as text behind a quote (before: as a formula); numbers stay numbers")
    func csvFormulasAreNeutralised() async throws {
        let fixture = try ServerFixture()
        let hostile = "=HYPERLINK(\"http://attacker.example\",\"click\")"
        let ingest = SessionIngest(store: fixture.store)
        for (session, shoe) in [(fixture.anaSessions[0], hostile), (fixture.anaSessions[1], "@SUM(1+1)")] {
            _ = try ingest.useShoe(runnerID: fixture.ana, name: shoe)
            try ingest.assign(sessionID: session, runner: nil, shoe: shoe)
        }
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            let csv = String(buffer: try await client.execute(uri: "/runners/\(fixture.ana)/report.csv", method: .get, headers: ana.headers).body)
            #expect(csv.contains("\"'=HYPERLINK(\"\"http://attacker.example\"\",\"\"click\"\")\""))
            #expect(csv.contains("'@SUM(1+1)"))
            let cells = csv.split(separator: "\n").dropFirst().flatMap { $0.split(separator: ",") }
            #expect(!cells.contains { ["=", "+", "@", "\t", "\r"].contains($0.first.map(String.init) ?? "") })
            #expect(!cells.contains { $0.first == "-" && Double($0) == nil })
        }
    }

    @Test("CSV and JSON exports carry a sandboxing Content-Security-Policy and nosniff")
    func exportsCarryCSP() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let ana = try #require(try await client.browserLogin("ana").login)
            for uri in ["/runners/\(fixture.ana)/report.csv", "/sessions/\(fixture.anaSessions[0])/report.csv",
                        "/runners/\(fixture.ana)/report.json", "/sessions/\(fixture.anaSessions[0])/report.json"] {
                let response = try await client.execute(uri: uri, method: .get, headers: ana.headers)
                #expect(response.status == .ok)
                #expect(response.headers[.contentSecurityPolicy]?.contains("sandbox") == true, "\(uri)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(uri)")
                #expect(response.headers[.init("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true, "\(uri)")
            }
        }
    }
}
