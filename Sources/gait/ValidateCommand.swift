import ArgumentParser
import Foundation
import GaitValidation

/// `gait validate DIR…`: scores the analysis against the reference of every recording in the folders.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Score the analysis against reference data: every recording in a folder with a reference JSON beside it.",
        discussion: """
        A recording is NAME.csv (or NAME.bsession) with NAME.json beside it, in the format of \
        SampleData/realrun (Docs/validation.md). Prints, per recording and pooled: F1 of initial \
        contacts at 25/50/100/200 ms, their bias and spread, cadence error per bout, side agreement, \
        contact time and toe-off (Bland–Altman) and peak vertical force. Names listed in the \
        folder's held-out.txt are reported apart from the rest, or left out with --development-only.
        """
    )

    @Argument(help: "Folders of recordings with reference JSON files (one or more; each is a data set).")
    var folders: [String]

    @Option(help: "Also write the report as JSON (schema backstride.validation/1) to this file.")
    var json: String?

    @Option(help: "Also write an HTML page with the Bland–Altman and per-trial plots to this file.")
    var html: String?

    @Option(help: "Also write the report as Markdown (the README's accuracy section) to this file.")
    var markdown: String?

    @Flag(help: "Leave out the recordings held-out.txt lists: not analysed, not printed (for tuning without looking at them).")
    var developmentOnly = false

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("Give at least one folder of recordings with reference JSON files.") }
        let outputs = [json, html, markdown].compactMap { $0 }
        guard Set(outputs).count == outputs.count else { throw ValidationError("--json, --html and --markdown must name different files.") }
        for path in outputs where path.isEmpty { throw ValidationError("An output path is empty.") }
        // An output inside a data set must not replace one of its recordings or references.
        let dataSetFiles = folders.flatMap { folder in
            (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).map {
                (path: folder + "/" + $0, role: "a file of the data set \(folder)")
            }
        }
        try Terminal.refuseOverwriting(outputs, protected: dataSetFiles)
    }

    func run() throws {
        let report: ValidationReport
        do {
            var settings = ValidationSettings()
            settings.developmentOnly = developmentOnly
            report = try ValidationReport.run(folders: folders, settings: settings)
        } catch {
            Terminal.error("gait: \(error)")
            switch error {
            case .folderMissing, .noReferencedRecording, .onlyHeldOutRecordings: throw ExitCode(66)  // EX_NOINPUT
            case .analysisFailed(let failure): throw Terminal.fail(failure)
            default: throw ExitCode(65)  // EX_DATAERR
            }
        }
        FileHandle.standardOutput.write(Data(report.text().utf8))
        if let json {
            guard Terminal.writeFile(String(decoding: try report.jsonData(), as: UTF8.self) + "\n", toPath: json) else { throw ExitCode(73) }
        }
        if let html {
            guard Terminal.writeFile(report.html(), toPath: html) else { throw ExitCode(73) }
        }
        if let markdown {
            guard Terminal.writeFile(report.markdown(), toPath: markdown) else { throw ExitCode(73) }
        }
    }
}
