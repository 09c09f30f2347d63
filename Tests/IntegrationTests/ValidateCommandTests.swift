import BackstrideTestSupport
import Foundation
import Testing

/// The real `gait validate` and `gait simulate --validation-set`: reports, files, and one clear
/// line with a non-zero exit for a folder that cannot be validated.
@Suite(.ownThreads) struct ValidateCommandTests {
    @Test func theSyntheticSetIsWrittenAndValidatedWithEveryOutput() throws {
        let folder = try temporaryDirectory(prefix: "validate-command")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let simulate = try runGait(["simulate", "--validation-set", folder + "/synthetic"])
        #expect(simulate.status == 0, "\(simulate.standardError)")
        let result = try runGait(["validate", folder + "/synthetic", "--json", folder + "/r.json", "--html", folder + "/r.html",
                                  "--markdown", folder + "/r.md"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("synth_run_6mps_205spm") && result.standardOutput.contains("all (7)"))
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/r.json"))) as? [String: Any]
        #expect(document?["schema"] as? String == "backstride.validation/1")
        #expect(try String(contentsOfFile: folder + "/r.html", encoding: .utf8).contains("<svg"))
        #expect(try String(contentsOfFile: folder + "/r.md", encoding: .utf8).contains("| all (7) |"))
    }

    @Test func aMissingFolderOrOneWithoutReferencesExits66NamingIt() throws {
        let missing = try runGait(["validate", "/nonexistent/runs"])
        #expect(missing.status == 66)
        #expect(missing.standardError == "gait: /nonexistent/runs: no such folder\n")
        let synthetic = try runGait(["validate", Products.sample("synthetic")])
        #expect(synthetic.status == 66)
        #expect(synthetic.standardError.contains("no recording with a reference JSON"))
    }

    @Test func aMalformedReferenceExits65NamingFileAndField() throws {
        let folder = try temporaryDirectory(prefix: "validate-command")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = "alc_sub02_tr00_v250_up10"
        try FileManager.default.copyItem(atPath: Products.sample("realrun/\(name).csv"), toPath: folder + "/\(name).csv")
        let json = try String(contentsOfFile: Products.sample("realrun/\(name).json"), encoding: .utf8)
            .replacingOccurrences(of: "\"end_s\": 4.83", with: "\"end_s\": \"4.83\"")
        try json.write(toFile: folder + "/\(name).json", atomically: true, encoding: .utf8)
        let result = try runGait(["validate", folder])
        #expect(result.status == 65)
        #expect(result.standardError == "gait: \(folder)/\(name).json: reference.walking_bouts[0].end_s: not a number\n")
    }
}
