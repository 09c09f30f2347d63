import ArgumentParser
import Foundation
import GaitDSP
import GaitInference
import SessionStore

/// `gait show ID`: prints a stored session's analysis.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the stored analysis of a session (a readable summary, or the analysis document)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The session's id (as `gait sessions` lists it).")
    var id: Int64

    @Option(help: "Output format: text (a readable summary) or json (the backstride.analysis/1 document).")
    var format: Format = .text

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        // The analysis with the flags the store computed (against the runner's history at the time).
        let stored: InferredAnalysis?
        do {
            stored = try store.storedDocument(sessionID: id)
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
        guard let document = stored else {
            Terminal.error("gait: no analysed session with id \(id) in \(StoreCommandSupport.name(store))")
            throw ExitCode(66)
        }
        switch format {
        case .text:
            print(Terminal.printableLines(document.textSummary()))
            if let speed = try? store.sessionSpeed(sessionID: id) {
                print(ImportCommand.pairing(speed, sessionStart: (try? store.session(id: id))??.startedAt))
            } else {
                print("No watch file paired: comparisons with other runs are not matched for speed or slope (gait import --watch, or drop it in gaitd's inbox).")
            }
        case .json: print(String(decoding: try document.jsonData(), as: UTF8.self))
        }
    }
}
