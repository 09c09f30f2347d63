import BackstrideTestSupport
import Foundation
import Testing

/// A file that fails never blocks gaitd's inbox: it goes to `failed/` with a reason file and the
/// next file is imported (issue 13: a CSV whose time jumped by 10¹² s held the inbox for minutes,
/// and stayed there across restarts).
@Suite(.ownThreads) struct GaitdInboxFailureTests {
    /// The sample run with its time column jumping by `jumpS` half-way, at `path`.
    static func writeJumpingCSV(_ path: String, jumpS: Double) throws {
        let lines = try String(contentsOfFile: Products.sample("synthetic/walk-run-walk.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            guard i > lines.count / 2, !line.hasPrefix("#"), !line.hasPrefix("t_s") else { out.append(line); continue }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[0] = String(Double(fields[0])! + jumpS)
            out.append(fields.joined(separator: ","))
        }
        try (out.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func aCSVWhoseTimeJumpsByAnEditedDigitFailsAtOnceAndTheNextFileIsImported() throws {
        let data = try temporaryDirectory() + "/data"
        let gaitd = try GaitdProcess(dataDirectory: data)
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching the inbox") }, "\(gaitd.log)")
        try Self.writeJumpingCSV(data + "/inbox/.jump", jumpS: 1e12)
        try FileManager.default.moveItem(atPath: data + "/inbox/.jump", toPath: data + "/inbox/a-jump.csv")
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/fatiguing-run-phone.csv"), toPath: data + "/inbox/b-good.csv")
        let errorFile = data + "/inbox/failed/a-jump.csv.error.txt"
        // Minutes before the fix; under a second alone (`gait analyze` of the same jump is held to
        // 1 s of processor time by InputSafetyCommandTests). 30 s leaves room for a loaded machine.
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: errorFile) }, "\(gaitd.log)")
        let reason = try String(contentsOfFile: errorFile, encoding: .utf8)
        #expect(reason.contains("a-jump.csv:") && reason.contains("at most 7 days"), "\(reason)")
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/b-good.csv") }, "\(gaitd.log)")
        #expect(try storedRows(data).count == 1)
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }

    @Test func aFileWhoseImportWasInterruptedTwiceIsMovedToFailedAndTheNextFileIsImported() throws {
        let data = try temporaryDirectory() + "/data"
        try FileManager.default.createDirectory(atPath: data + "/inbox", withIntermediateDirectories: true)
        // What two runs of gaitd killed while reading the file leave behind.
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/walk-run-walk.csv"), toPath: data + "/inbox/a-stuck.csv")
        try Data("2\n".utf8).write(to: URL(fileURLWithPath: data + "/inbox/.a-stuck.csv.importing"))
        try FileManager.default.copyItem(atPath: Products.sample("synthetic/fatiguing-run-phone.csv"), toPath: data + "/inbox/b-good.csv")
        let gaitd = try GaitdProcess(dataDirectory: data)
        let errorFile = data + "/inbox/failed/a-stuck.csv.error.txt"
        #expect(waitUntil(timeoutS: 15) { FileManager.default.fileExists(atPath: errorFile) }, "\(gaitd.log)")
        let reason = try String(contentsOfFile: errorFile, encoding: .utf8)
        #expect(reason.contains("interrupted 2 times"), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: data + "/inbox/.a-stuck.csv.importing"))
        #expect(waitUntil(timeoutS: 30) { FileManager.default.fileExists(atPath: data + "/inbox/done/b-good.csv") }, "\(gaitd.log)")
        #expect(!FileManager.default.fileExists(atPath: data + "/inbox/.b-good.csv.importing"))
        #expect(try storedRows(data).count == 1)
        #expect(gaitd.terminate() == 0, "\(gaitd.log)")
    }
}

/// gaitd stops within 2 s of SIGTERM even while it reads a long file (issue 13: over 40 s).
@Suite(.ownThreads, .tags(.slow)) struct GaitdInboxShutdownTests {
    @Test func sigtermDuringALongImportStopsGaitdWithinTwoSecondsAndLeavesTheFileInTheInbox() throws {
        let folder = try temporaryDirectory()
        let data = folder + "/data"
        // Six hours at 200 Hz: far longer to import than the test waits.
        let csv = try SyntheticRun.steadyCSV(in: folder, name: "long", durationS: 6 * 3_600, sampleRateHz: 200, seed: 13)
        let gaitd = try GaitdProcess(dataDirectory: data)
        #expect(waitUntil(timeoutS: 10) { gaitd.log.contains("watching the inbox") }, "\(gaitd.log)")
        try FileManager.default.moveItem(atPath: csv, toPath: data + "/inbox/long.csv")
        #expect(waitUntil(timeoutS: 15) { gaitd.log.contains("inbox: importing long.csv") }, "\(gaitd.log)")
        Thread.sleep(forTimeInterval: 1)
        let clock = ContinuousClock()
        let start = clock.now
        let status = gaitd.terminate(timeoutS: 2)
        #expect(status == 0, "gaitd did not stop within 2 s of SIGTERM: \(gaitd.log.suffix(2_000))")
        #expect(clock.now - start < .seconds(2))
        #expect(gaitd.log.contains("import of long.csv stopped by the shutdown"), "\(gaitd.log.suffix(2_000))")
        #expect(FileManager.default.fileExists(atPath: data + "/inbox/long.csv"))
        #expect(!FileManager.default.fileExists(atPath: data + "/inbox/.long.csv.importing"))
        #expect(try storedRows(data).isEmpty)
    }
}
