import Foundation
import GaitInference
import InferenceScenarios
import Testing

/// Every flag in the JSON document carries its evidence, reference and advice, and reads back.
@Suite("Flags in the analysis document")
struct FlagDocumentTests {
    @Test("Each finding reads back from the JSON with its kind, evidence grade and citations, evidence, reference and advice", arguments: FlagKind.allCases)
    func flagReadsBackWithEvidenceAndAdvice(kind: FlagKind) throws {
        let scenario = try #require(ScenarioCatalogue.condition(kind, count: 1, seed: 21).first)
        let document = scenario.analyse().document
        let json = try document.jsonData()
        // Generic reading, as any consumer of the document would.
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["schema"] as? String == "backstride.analysis/1")
        let flags = try #require(object["flags"] as? [[String: Any]])
        let flag = try #require(flags.first { $0["topic"] as? String == kind.rawValue }, "no \(kind) flag in \(flags.map { $0["id"] ?? "?" })")
        #expect((flag["id"] as? String)?.hasPrefix(kind.rawValue) == true)
        #expect(FlagSeverity(rawValue: flag["severity"] as? String ?? "") != nil)
        let confidence = try #require(flag["confidence"] as? Double)
        #expect(confidence > 0 && confidence <= 1)
        #expect((flag["title"] as? String)?.isEmpty == false)
        #expect((flag["explanation"] as? String)?.isEmpty == false)
        let reference = try #require(flag["reference"] as? [String: Any])
        #expect(FlagReferenceKind(rawValue: reference["kind"] as? String ?? "") != nil)
        #expect((reference["description"] as? String)?.isEmpty == false)
        let evidence = try #require(flag["evidence"] as? [[String: Any]])
        #expect(!evidence.isEmpty)
        #expect(evidence.allSatisfy { $0["measure"] is String && $0["value"] is Double && $0["unit"] is String && $0["crossed"] is Bool })
        #expect(evidence.contains { $0["crossed"] as? Bool == true }, "no evidence crossed its threshold")
        let advice = try #require(flag["advice"] as? [String])
        #expect(advice.allSatisfy { !$0.isEmpty })
        // The evidence grade and its sources; a finding graded "none" is an observation, low at most, never "see a physiotherapist".
        let grade = try #require(EvidenceGrade(rawValue: flag["evidence_grade"] as? String ?? ""))
        let findingKind = try #require(FindingKind(rawValue: flag["kind"] as? String ?? ""))
        #expect((flag["citations"] as? [String])?.isEmpty == false)
        if grade == .none {
            #expect(findingKind != .warning && flag["severity"] as? String == "low")
            #expect(!advice.contains { $0.contains("physiotherapist") })
        }
        if findingKind == .warning { #expect(!advice.isEmpty) }
        #expect((flag["see_professional"] as? Bool) == (kind == .pain))
        // And the typed reading gives back the same document.
        #expect(try InferredAnalysis.decode(json: json) == document)
        // The steps are written apart from JSONEncoder (GaitAnalysis+StepsJSON.swift), byte for byte as it writes them.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        #expect(!document.analysis.steps.isEmpty)
        #expect(json == (try encoder.encode(document)))
    }

    @Test("The same finding keeps the same id in another run")
    func idsAreStableAcrossRuns() {
        let ids = ScenarioCatalogue.condition(.asymmetry, count: 6, seed: 3).map { scenario in
            Set(scenario.run().flags.filter { $0.topic == .asymmetry }.map(\.id))
        }
        // Runs 0 and 3 have step-time asymmetry, 1 and 4 impact, 2 and 5 contact time.
        #expect(ids[0].contains("asymmetry.step_time_s") && ids[3].contains("asymmetry.step_time_s"))
        #expect(ids[2].contains("asymmetry.ground_contact_time_s") && ids[5].contains("asymmetry.ground_contact_time_s"))
    }
}
