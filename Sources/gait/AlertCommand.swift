import ArgumentParser
import Foundation
import GaitInference
import SessionStore

/// `gait alert show|clear --runner NAME`: the runner's red-flag alert ("see a doctor now"), shown
/// on every page and report until cleared here or on the web.
struct AlertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "Show or clear a runner's red-flag alert (symptoms reported with pain that need a doctor).",
        subcommands: [Show.self, Clear.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the runner's red-flag alert, if any.")
        @Option(help: "The runner.") var runner: String
        @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite).") var database: String?

        func run() throws {
            let store = try StoreCommandSupport.open(database)
            do {
                guard let id = try store.runner(named: runner, create: false)?.id else { throw SessionStoreError.noSuchRunner(runner) }
                if let alert = try store.redFlagAlert(runnerID: id) {
                    print("!! " + alert.message)
                    print("   reported with session(s) \(alert.sessionIDs.map(String.init).joined(separator: ", ")); clear with `gait alert clear --runner \(Terminal.printable(runner))` once a doctor has seen them")
                } else {
                    print("\(Terminal.printable(runner)): no red-flag alert")
                }
            } catch {
                throw StoreCommandSupport.fail(error)
            }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear the runner's red-flag alert (a doctor has seen them).")
        @Option(help: "The runner.") var runner: String
        @Option(help: "Who clears it (recorded).") var by: String = "the command line"
        @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite).") var database: String?

        func run() throws {
            let store = try StoreCommandSupport.open(database)
            do {
                guard let id = try store.runner(named: runner, create: false)?.id else { throw SessionStoreError.noSuchRunner(runner) }
                try store.clearRedFlags(runnerID: id, by: by)
                print("\(Terminal.printable(runner)): red-flag alert cleared")
            } catch {
                throw StoreCommandSupport.fail(error)
            }
        }
    }
}
