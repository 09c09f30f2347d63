import BackstrideTestSupport
import Foundation
import Testing

/// The reported cases of issue 13 through the real `gait`: absurd times are one clear error, fast;
/// names from outside never reach the terminal raw; no output replaces an input or the database.
@Suite(.ownThreads) struct InputSafetyCommandTests {
    static let sample = Products.sample("synthetic/walk-run-walk.csv")

    /// The sample with its time column changed by `change(rowIndex, rowCount, time)`, written to `name` in `folder`.
    static func editedSample(_ name: String, in folder: String, change: (Int, Int, String) -> String) throws -> String {
        let lines = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines.prefix { $0.hasPrefix("#") || $0.hasPrefix("t_s") }
        let rows = lines.dropFirst(header.count).filter { !$0.isEmpty }
        var text = header.joined(separator: "\n") + "\n"
        for (i, row) in rows.enumerated() {
            var fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[0] = change(i, rows.count, fields[0])
            text += fields.joined(separator: ",") + "\n"
        }
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [1e12, 1e14])
    func aTimeJumpOfOneEditedDigitIsOneClearErrorInUnderASecondOfProcessorTime(jumpS: Double) throws {
        let folder = try temporaryDirectory(prefix: "input-safety")
        let path = try Self.editedSample("jump.csv", in: folder) { i, n, t in i >= n / 2 ? String(Double(t)! + jumpS) : t }
        // Under a second of processor time (98 s before for 10¹² s): a bound on the work, whatever
        // else the machine runs; the wall-clock bound only catches a hang.
        let result = try runGait(["analyze", path], cpuLimitS: 1)
        #expect(result.status == 65, "status \(result.status) (24 or 9: stopped after 1 s of processor time)")
        #expect(result.elapsedMs < 30_000, "took \(result.elapsedMs) ms")
        #expect(result.standardError.contains("jump.csv:"), "\(result.standardError)")
        #expect(result.standardError.contains("at most 7 days"), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test(arguments: ["text", "json"])
    func aTimeOf1e300IsAnErrorNamingTheLineNotAnEncodingFailure(format: String) throws {
        let folder = try temporaryDirectory(prefix: "input-safety")
        let path = try Self.editedSample("huge.csv", in: folder) { i, n, t in i == n - 1 ? "1e300" : t }
        let result = try runGait(["analyze", path, "--format", format])
        #expect(result.status == 65)
        #expect(!result.standardError.contains("EncodingError") && !result.standardError.contains("nan"), "\(result.standardError)")
        #expect(result.standardError.contains("huge.csv:"), "\(result.standardError)")
        #expect(!result.standardOutput.contains(":-"), "\(result.standardOutput)")
    }

    @Test func escapeSequencesInAFileNameAndDeviceNeverReachTheTerminalRaw() throws {
        let folder = try temporaryDirectory(prefix: "input-safety")
        var text = try String(contentsOfFile: Self.sample, encoding: .utf8)
        text = text.replacingOccurrences(of: "# device=GaitSynth", with: "# device=Evil\u{1B}]0;owned\u{07}\u{1B}[2J")
        let path = folder + "/run\u{1B}[31m\r.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runGait(["analyze", path])
        #expect(result.status == 0)
        for output in [result.standardOutput, result.standardError] {
            #expect(!output.contains("\u{1B}") && !output.contains("\r") && !output.contains("\u{07}"))
        }
        #expect(result.standardOutput.contains("\\u{1b}[31m\\u{d}.csv"), "\(result.standardOutput.prefix(300))")
        let missing = try runGait(["analyze", folder + "/gone\u{1B}[2J.csv"])
        #expect(missing.status != 0 && !missing.standardError.contains("\u{1B}") && missing.standardError.contains("\\u{1b}[2J"))
    }

    @Test func analyseRefusesToWriteOverTheRecordingItReads() throws {
        let folder = try temporaryDirectory(prefix: "input-safety")
        let path = folder + "/run.csv"
        try FileManager.default.copyItem(atPath: Self.sample, toPath: path)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.csv", withDestinationPath: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for output in [path, folder + "/./run.csv", folder + "/link.csv"] {
            let result = try runGait(["analyze", path, "-o", output])
            #expect(result.status == 64, "\(output): exit \(result.status)")
            #expect(result.standardError.contains("refusing to write"), "\(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(output) replaced the recording")
        }
        let fine = try runGait(["analyze", path, "-o", folder + "/summary.txt"])
        #expect(fine.status == 0)
    }

    @Test func reportRefusesToWriteOverTheSessionDatabase() throws {
        let folder = try temporaryDirectory(prefix: "input-safety")
        let database = folder + "/db.sqlite"
        let imported = try runGait(["import", Self.sample, "--database", database, "--runner", "Dana"])
        #expect(imported.status == 0, "\(imported.standardError)")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        for option in ["--csv", "--html", "--json"] {
            let result = try runGait(["report", "1", option, database, "--database", database])
            #expect(result.status == 64, "\(option): exit \(result.status)")
            #expect(result.standardError.contains("the session database"), "\(result.standardError)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before, "\(option) replaced the database")
        }
        let listed = try runGait(["sessions", "--database", database])
        #expect(listed.status == 0 && listed.standardOutput.contains("Dana"))
    }

    @Test func validateAndSimulateRefuseToWriteOverWhatTheyRead() throws {
        let folder = try temporaryDirectory(prefix: "input-safety")
        let reference = folder + "/trial.reference.json"
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: reference))
        let validate = try runGait(["validate", folder, "--json", reference])
        #expect(validate.status == 64, "exit \(validate.status): \(validate.standardError)")
        #expect(validate.standardError.contains("a file of the data set"), "\(validate.standardError)")
        let config = folder + "/config.json"
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: config))
        let simulate = try runGait(["simulate", "--config", config, "-o", config])
        #expect(simulate.status == 64, "exit \(simulate.status): \(simulate.standardError)")
        for path in [reference, config] { #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}\n") }
    }
}
