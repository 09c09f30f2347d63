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
        let analysis: GaitAnalysis?
        do {
            analysis = try store.analysis(id: id)
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
        guard let analysis else {
            Terminal.error("gait: no analysed session with id \(id) in \(store.path)")
            throw ExitCode(66)
        }
        // The flags as the store computed them (against the runner's history at the time).
        let document: InferredAnalysis
        do {
            let session = try store.session(id: id)
            let history = try session?.runnerId.map { try store.history(runnerID: $0) } ?? []
            let earlier = InferenceContext(sessionKey: String(id), startedAt: session?.startedAt, history: history).earlierSessions
            let baseline = RunnerBaseline(history: earlier)
            document = InferredAnalysis(analysis: analysis, flags: try store.storedFlags(sessionID: id), inference: InferenceSummary(
                historySessionCount: earlier.count, baselineSessionCount: baseline.sessionCount, baselineTrusted: baseline.isTrusted,
                shoe: try session?.shoeId.flatMap { try store.shoeInfo(shoeID: $0)?.name }))
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
        switch format {
        case .text: print(document.textSummary())
        case .json: print(String(decoding: try document.jsonData(), as: UTF8.self))
        }
    }
}
