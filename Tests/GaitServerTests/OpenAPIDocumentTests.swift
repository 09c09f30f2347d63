import BackstrideTestSupport
import Foundation
import GaitInference
import Testing

/// The OpenAPI document in the repository describes every API route the server has.
@Suite struct OpenAPIDocumentTests {
    @Test func everyAPIRouteIsDocumented() throws {
        let root = Products.root
        let document = try String(contentsOf: root.appendingPathComponent("Docs/openapi.yaml"), encoding: .utf8)
        let routes = ["/api/v1/tokens:", "/api/v1/runners:", "/api/v1/runners/{id}:", "/api/v1/runners/{id}/sessions:", "/api/v1/sessions/{id}:", "/api/v1/sessions/{id}/watch:", "/api/v1/sessions/{id}/pain:",
                      "/api/v1/sessions/{id}/notes:", "/api/v1/account/password:", "/api/v1/account/logout-everywhere:", "/api/v1/account/views:",
                      "/api/v1/pairing-codes:", "/api/v1/devices:", "/api/v1/devices/{id}:", "/api/v1/uploads:", "/api/v1/uploads/{id}:",
                      "/api/v1/uploads/{id}/complete:"]
        for route in routes { #expect(document.contains("  " + route), "\(route) is not in Docs/openapi.yaml") }
        // And the server has no API route the document leaves out.
        let source = try ["APIController.swift", "ClinicController.swift"].map {
            try String(contentsOf: root.appendingPathComponent("Sources/GaitServer/" + $0), encoding: .utf8)
        }.joined()
        let registered = source.components(separatedBy: "api.").dropFirst()
            .filter { $0.hasPrefix("get(") || $0.hasPrefix("post(") || $0.hasPrefix("delete(") || $0.hasPrefix("put(") || $0.hasPrefix("patch(") }
            .compactMap { $0.split(separator: "\"").dropFirst().first }
            .map { "/api/v1/" + $0.replacingOccurrences(of: ":id", with: "{id}") + ":" }
        #expect(Set(registered) == Set(routes), "registered: \(registered)")
    }

    /// The flag's enumerations in the document are the ones the code writes (schemathesis found the
    /// document still listing the topics of before issue 11 as `kind`).
    @Test func theFlagEnumerationsAreTheCodes() throws {
        let document = try String(contentsOf: Products.root.appendingPathComponent("Docs/openapi.yaml"), encoding: .utf8)
        let flag = try #require(document.components(separatedBy: "\n    Flag:\n").dropFirst().first)
            .components(separatedBy: "\n    PainEntry:").first ?? ""
        func enumeration(_ property: String) -> [String] {
            guard let line = flag.components(separatedBy: "\n").drop(while: { !$0.hasPrefix("        \(property):") })
                .first(where: { $0.contains("enum: [") }),
                let list = line.components(separatedBy: "enum: [").last?.components(separatedBy: "]").first else { return [] }
            return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(Set(enumeration("topic")) == Set(FlagKind.allCases.map(\.rawValue)))
        #expect(Set(enumeration("kind")) == Set(FindingKind.allCases.map(\.rawValue)))
        #expect(Set(enumeration("evidence_grade")) == Set(EvidenceGrade.allCases.map(\.rawValue)))
        #expect(Set(enumeration("severity")) == Set(FlagSeverity.allCases.map(\.rawValue)))
    }
}
