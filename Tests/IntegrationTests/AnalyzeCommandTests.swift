import BackstrideTestSupport
import Foundation
import GaitDSP
import Testing

/// The real `gait analyze` executable: output contract, formats, and bad input.
@Suite(.ownThreads) struct AnalyzeCommandTests {
    static let sample = Products.sample("synthetic/walk-run-walk.csv")

    @Test func jsonFollowsTheAnalysisContract() throws {
        let result = try runGait(["analyze", Self.sample, "--format", "json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        #expect(object["schema"] as? String == "backstride.analysis/1")
        #expect(object["input"] is [String: Any])
        #expect(object["sample_rate_hz"] as? Double == 100)
        #expect(object["summary"] is [String: Any])
        let bouts = try #require(object["bouts"] as? [[String: Any]])
        // The 30 s traffic-light stop stays inside the run, recorded as a pause.
        #expect(bouts.map { $0["kind"] as? String } == ["walking", "running", "walking"])
        #expect((bouts[1]["paused_s"] as? Double ?? 0) >= 20)
        for bout in bouts {
            #expect(bout["start_s"] is Double && bout["end_s"] is Double)
            #expect(bout["cadence_spm"] is Double)
        }
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count > 1800)
        #expect(steps.allSatisfy { $0["t_s"] is Double && ($0["side"] as? String).map { ["left", "right"].contains($0) } == true })
        // The document reads back into the same analysis.
        let decoded = try GaitAnalysis.decode(json: Data(result.standardOutput.utf8))
        #expect(decoded.steps.count == steps.count)
        #expect(decoded.schema == GaitAnalysis.schemaIdentifier)
    }

    @Test func contactsInTheJsonMatchTheSampleGroundTruth() throws {
        struct Truth: Decodable { struct Step: Decodable { var initialContactS: Double; var intensity: Double }; var steps: [Step] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let truth = try decoder.decode(Truth.self, from: Data(contentsOf: URL(fileURLWithPath: Products.sample("synthetic/walk-run-walk.truth.json"))))
        let result = try runGait(["analyze", Self.sample, "--format", "json"])
        let analysis = try GaitAnalysis.decode(json: Data(result.standardOutput.utf8))
        let match = EventMatch.match(detected: analysis.steps.map(\.initialContactS),
                                     reference: truth.steps.filter { $0.intensity >= 1 }.map(\.initialContactS), toleranceS: 0.05)
        #expect(match.recall > 0.97 && match.precision > 0.95, "P \(match.precision) R \(match.recall)")
    }

    @Test func csvHasOneRowPerStep() throws {
        let json = try GaitAnalysis.decode(json: Data(try runGait(["analyze", Self.sample, "--format", "json"]).standardOutput.utf8))
        let result = try runGait(["analyze", Self.sample, "--format", "csv"])
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first.map(String.init) == GaitAnalysis.stepCSVHeader)
        #expect(lines.count == json.steps.count + 1)
    }

    @Test func textSummaryIsReadableAndPipesGetNoProgress() throws {
        let result = try runGait(["analyze", Self.sample])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("Running:"))
        #expect(result.standardOutput.contains("steps/min"))
        #expect(result.standardError.isEmpty, "stderr: \(result.standardError)")
    }

    @Test func streamingGivesTheSameSummaryAsBatch() throws {
        let batch = try runGait(["analyze", Self.sample])
        let stream = try runGait(["stream", Self.sample, "--block-size", "13"])
        #expect(stream.status == 0)
        #expect(stream.standardOutput.hasSuffix(batch.standardOutput), "stream's final summary differs from analyze's")
        #expect(stream.standardOutput.contains("running"))
    }

    /// Bad inputs, each with the text the error must name.
    static let badInputs: [(name: String, content: [UInt8], mustName: String)] = [
        ("empty.csv", [], "empty"),
        ("header-only.csv", Array("t_s,ax_g,ay_g,az_g\n".utf8), "no samples"),
        ("missing-column.csv", Array("t_s,ax_g,ay_g\n0,0,0\n".utf8), "az_g"),
        ("not-a-number.csv", Array("t_s,ax_g,ay_g,az_g\n0,0,0,1\n0.01,0,abc,1\n0.02,0,0,1\n".utf8), ":3:"),
        ("nan.csv", Array("t_s,ax_g,ay_g,az_g\n0,0,0,1\n0.01,0,NaN,1\n0.02,0,0,1\n".utf8), ":3:"),
        ("backwards.csv", Array("t_s,ax_g,ay_g,az_g\n0,0,0,1\n0.02,0,0,1\n0.01,0,0,1\n0.03,0,0,1\n".utf8), ":4:"),
        ("garbage.csv", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }, "garbage.csv"),
        ("long-line.csv", Array("t_s,ax_g,ay_g,az_g\n0,0,0,1\n".utf8) + [UInt8](repeating: UInt8(ascii: "1"), count: 1_000_000), ":3:"),
    ]

    @Test(arguments: 0..<badInputs.count)
    func badInputGetsOneClearLineAndANonZeroExit(index: Int) throws {
        let bad = Self.badInputs[index]
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + bad.name
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bad.content)))
        let result = try runGait(["analyze", path])
        #expect(result.status != 0)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.standardError)")
        #expect(result.standardError.contains(bad.name) && result.standardError.contains(bad.mustName), "stderr: \(result.standardError)")
        #expect(!result.standardError.contains("Fatal error") && !result.standardError.contains("Backtrac"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func aMissingFileIsReportedWithItsPath() throws {
        let result = try runGait(["analyze", "/nonexistent/run.csv"])
        #expect(result.status == 66)
        #expect(result.standardError.contains("/nonexistent/run.csv"))
    }

    @Test func benchPrintsEveryFigure() throws {
        let result = try runGait(["bench", "--duration", "30", "--rate", "200", "--repeats", "1", "--store-sessions", "20", "--clip-megabytes", "1"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        for figure in ["CSV parse", "MB/s", "DSP (from memory)", "M samples/s", "gait analyze", "peak memory",
                       "clip block decode", "store listing"] {
            #expect(result.standardOutput.contains(figure), "missing \(figure) in: \(result.standardOutput)")
        }
    }
}

/// Every per-step key of the JSON contract is spelled as the README documents it.
@Suite(.ownThreads) struct AnalysisContractKeysTests {
    @Test func stepKeysMatchTheDocumentedContract() throws {
        let result = try runGait(["analyze", Products.sample("synthetic/walk-run-walk.csv"), "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
        let steps = try #require(object["steps"] as? [[String: Any]])
        let keys = Set(steps.flatMap(\.keys))
        let documented: Set<String> = ["t_s", "side", "side_confidence", "activity", "step_time_s", "impact_peak_g",
                                       "loading_rate_g_per_s", "braking_peak_g", "braking_velocity_loss_mps",
                                       "ground_contact_time_s", "vertical_oscillation_cm", "pelvis_tilt_deg",
                                       "pelvic_rotation_deg", "pelvic_obliquity_deg", "final_contact_s", "contact_time_quality",
                                       "peak_vertical_force_bw"]
        #expect(keys == documented, "undocumented: \(keys.subtracting(documented)), missing: \(documented.subtracting(keys))")
    }
}

/// `gait analyze` shows the flags of the inference layer in text and JSON.
@Suite(.ownThreads) struct AnalyzeFlagsTests {
    @Test func asymmetricSampleRaisesTheStepTimeFlagWithEvidenceInJsonAndText() throws {
        let sample = Products.sample("synthetic/asymmetric-run-random-mount.csv")
        let json = try runGait(["analyze", sample, "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as! [String: Any]
        let flags = try #require(object["flags"] as? [[String: Any]])
        let flag = try #require(flags.first { $0["id"] as? String == "asymmetry.step_time_s" }, "flags: \(flags.map { $0["id"] ?? "?" })")
        // The sample's intervals from a left contact are longer: those are right steps.
        #expect(flag["side"] as? String == "right")
        let evidence = try #require(flag["evidence"] as? [[String: Any]])
        let si = try #require(evidence.first { $0["measure"] as? String == "step_time_s.symmetry_index_pct" })
        #expect((si["value"] as? Double).map { $0 < -10 && $0 > -14 } == true)
        #expect((flag["advice"] as? [String])?.isEmpty == false)
        // Asymmetry has no link to injury in the literature: an observation, graded none, with its source.
        #expect(flag["kind"] as? String == "observation" && flag["evidence_grade"] as? String == "none" && flag["severity"] as? String == "low")
        #expect((flag["citations"] as? [String])?.contains { $0.contains("Malisoux") } == true)
        let inference = try #require(object["inference"] as? [String: Any])
        #expect(inference["baseline_trusted"] as? Bool == false)

        let text = try runGait(["analyze", sample])
        #expect(text.standardOutput.contains("Flags (1"))
        #expect(text.standardOutput.contains("[observation, low] Step time differs between sides: the right side is higher"))
        #expect(text.standardOutput.contains("evidence for back pain: none (Malisoux et al. 2024"))
    }

    @Test func symmetricWalkRunWalkRaisesNoFlag() throws {
        let text = try runGait(["analyze", Products.sample("synthetic/walk-run-walk.csv")])
        #expect(text.standardOutput.contains("Flags: none"))
    }
}
