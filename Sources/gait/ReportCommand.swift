import ArgumentParser
import Foundation
import GaitReport
import GaitServer
import SessionStore

/// `gait report ID --html FILE` or `gait report --runner NAME --html FILE`: a report for a
/// physiotherapist, as HTML with plots, CSV and JSON.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a session's or a runner's report: HTML with plots (printable to A4), CSV and JSON.",
        discussion: """
        A session report (`gait report ID`) has the summary, the flags with their evidence and advice, \
        the left/right table and plots of the run (impact per side, cadence and impact over time with \
        the late-run onset, step time per side, pelvis tilt, symmetry over the run). A runner report \
        (`gait report --runner NAME`) has asymmetry and each flagged measure across sessions with the \
        pain log on the same time axis, shoe impact against each shoe's first runs, weekly running time \
        and the sessions with their flags. The HTML is one self-contained file: no script, nothing \
        fetched. Files are overwritten in place.
        """
    )

    @Argument(help: "The session's id (as `gait sessions` lists it); omit with --runner.")
    var id: Int64?

    @Option(help: "Report on this runner across their sessions (as given to `gait import --runner`) instead of one session.")
    var runner: String?

    @Option(help: "Write the HTML report to this file.")
    var html: String?

    @Option(help: "Write the report's numbers as CSV to this file.")
    var csv: String?

    @Option(help: "Write the report as JSON to this file.")
    var json: String?

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func validate() throws {
        switch (id, runner) {
        case (nil, nil): throw ValidationError("give a session id, or --runner NAME for a runner's report.")
        case (.some, .some): throw ValidationError("give either a session id or --runner, not both.")
        default: break
        }
        if let runner, runner.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--runner needs a name.") }
        let outputs = [html, csv, json].compactMap { $0 }
        guard !outputs.isEmpty else { throw ValidationError("nothing to write: give --html, --csv or --json (or several).") }
        if outputs.contains(where: \.isEmpty) { throw ValidationError("--html, --csv and --json need a file path.") }
        if Set(outputs).count != outputs.count { throw ValidationError("--html, --csv and --json must be different files.") }
        try Terminal.refuseOverwriting(outputs, protected: Terminal.databaseFiles(database ?? SQLiteSessionStore.defaultPath))
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        let texts: (html: () -> String, csv: () -> String, json: () throws -> String)
        let what: String
        do {
            if let id {
                guard let report = try StoredReports.session(id, in: store) else {
                    Terminal.error("gait: no session with id \(id) in \(StoreCommandSupport.name(store))")
                    throw ExitCode(66)
                }
                texts = (report.html, report.csv, { try report.json() })
                what = "session \(id)"
            } else {
                let name = runner!.trimmingCharacters(in: .whitespaces)
                guard let record = try store.runner(named: name, create: false), let runnerID = record.id,
                      let report = try StoredReports.runner(runnerID, in: store) else {
                    Terminal.error("gait: no runner named '\(name)' in \(StoreCommandSupport.name(store)); `gait history` lists them")
                    throw ExitCode(66)
                }
                texts = (report.html, report.csv, { try report.json() })
                what = "runner \(name)"
            }
        } catch let exit as ExitCode {
            throw exit
        } catch let error as StoredReports.Failure {
            Terminal.error("gait: \(error)")
            throw ExitCode(66)
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
        var written: [String] = []
        if let html {
            guard Terminal.writeFile(texts.html(), toPath: html) else { throw ExitCode(73) }
            written.append(html)
        }
        if let csv {
            guard Terminal.writeFile(texts.csv(), toPath: csv) else { throw ExitCode(73) }
            written.append(csv)
        }
        if let json {
            let text: String
            do {
                text = try texts.json()
            } catch {
                Terminal.error("gait: cannot encode the report as JSON: \(error)")
                throw ExitCode(70)
            }
            guard Terminal.writeFile(text + "\n", toPath: json) else { throw ExitCode(73) }
            written.append(json)
        }
        print("\(what): report written to \(written.joined(separator: ", "))")
    }
}
