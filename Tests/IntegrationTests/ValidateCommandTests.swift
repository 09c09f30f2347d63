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

    /// `--development-only` leaves the held-out recordings out altogether (not analysed, not
    /// printed); a folder with nothing else is one clear line and exit 66.
    @Test func developmentOnlyLeavesTheHeldOutRecordingsOut() throws {
        let folder = try temporaryDirectory(prefix: "validate-command")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["alc_sub02_tr00_v250_up10", "alc_sub02_tr02_v250_level00"] {
            for suffix in [".csv", ".json"] {
                try FileManager.default.copyItem(atPath: Products.sample("realrun/\(name)\(suffix)"), toPath: folder + "/\(name)\(suffix)")
            }
        }
        try "alc_sub02_tr02_v250_level00\n".write(toFile: folder + "/held-out.txt", atomically: true, encoding: .utf8)
        let both = try runGait(["validate", folder])
        #expect(both.status == 0 && both.standardOutput.contains("tr02_v250_level00") && both.standardOutput.contains("held-out (1)"), "\(both.standardOutput)")
        let development = try runGait(["validate", folder, "--development-only", "--json", folder + "/d.json"])
        #expect(development.status == 0, "\(development.standardError)")
        #expect(development.standardOutput.contains("tr00_v250_up10") && !development.standardOutput.contains("tr02_v250_level00"), "\(development.standardOutput)")
        let json = try String(contentsOfFile: folder + "/d.json", encoding: .utf8)
        #expect(json.contains("\"development_only\" : true") || json.contains("\"development_only\":true"), "\(json.prefix(600))")
        // Corrupt the held-out recording: with --development-only it is not even read.
        try "t_s,ax_g\nnot a number\n".write(toFile: folder + "/alc_sub02_tr02_v250_level00.csv", atomically: true, encoding: .utf8)
        #expect(try runGait(["validate", folder, "--development-only"]).status == 0)
        #expect(try runGait(["validate", folder]).status != 0)
        try "alc_sub02_tr00_v250_up10\nalc_sub02_tr02_v250_level00\n".write(toFile: folder + "/held-out.txt", atomically: true, encoding: .utf8)
        let none = try runGait(["validate", folder, "--development-only"])
        #expect(none.status == 66)
        #expect(none.standardError == "gait: \(folder): every recording with a reference is listed in held-out.txt; nothing to validate with --development-only\n", "\(none.standardError)")
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
