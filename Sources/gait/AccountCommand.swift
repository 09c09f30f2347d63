import ArgumentParser
import Foundation
import GaitServer
import SessionStore

/// `gait account`: web accounts for runners and physiotherapists, and access grants.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Manage the web accounts gaitd serves: add runners and physiotherapists, grant access.",
        subcommands: [Add.self, Grant.self]
    )

    /// `gait account add USERNAME --role physio|runner|admin [--runner NAME]`, password on stdin.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account; the password is read from standard input (one line).")

        @Argument(help: "The login name.")
        var username: String

        @Option(help: "physio (sees the runners who grant access), runner (sees their own sessions) or admin (sees every runner, the unassigned sessions and the clips).")
        var role: String

        @Option(help: "For a runner account: the runner (as in `gait import --runner`), added if new.")
        var runner: String?

        @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
        var database: String?

        func validate() throws {
            guard let role = AccountRecord.Role(rawValue: role) else { throw ValidationError("--role must be physio, runner or admin, got '\(role)'.") }
            if role == .runner && runner == nil { throw ValidationError("a runner account needs --runner NAME.") }
            if role != .runner && runner != nil { throw ValidationError("--runner is for runner accounts.") }
        }

        func run() throws {
            let store = try StoreCommandSupport.open(database)
            guard let password = readLine(strippingNewline: true) else {
                Terminal.error("gait: give the password on standard input")
                throw ExitCode(65)
            }
            do {
                let hash = try GaitServer.hashPassword(password)
                let runnerID = try runner.flatMap { try store.runner(named: $0, create: true)?.id }
                let account = try store.addAccount(AccountRecord(username: username, role: AccountRecord.Role(rawValue: role)!,
                                                                 passwordHash: hash, runnerId: runnerID))
                print(Terminal.printable("account \(account.username) (\(account.role.rawValue)) added"))
            } catch {
                Terminal.error("gait: \(error)")
                throw ExitCode(65)
            }
        }
    }

    /// `gait account grant --runner NAME --physio USERNAME [--revoke]`.
    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a physiotherapist see a runner's sessions (or, with --revoke, stop it).")

        @Option(help: "The runner.")
        var runner: String

        @Option(help: "The physiotherapist's username.")
        var physio: String

        @Flag(help: "Withdraw the access instead.")
        var revoke = false

        @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
        var database: String?

        func run() throws {
            let store = try StoreCommandSupport.open(database)
            do {
                guard let runnerID = try store.runner(named: runner, create: false)?.id else {
                    Terminal.error("gait: no runner named '\(runner)'")
                    throw ExitCode(66)
                }
                guard let account = try store.account(username: physio), account.role == .physio, let id = account.id else {
                    Terminal.error("gait: no physiotherapist account '\(physio)'")
                    throw ExitCode(66)
                }
                if revoke { try store.revoke(runnerID: runnerID, physioAccountID: id) } else { try store.grant(runnerID: runnerID, physioAccountID: id) }
                print(Terminal.printable(revoke ? "\(physio) no longer sees \(runner)" : "\(physio) may see \(runner)"))
            } catch let exit as ExitCode {
                throw exit
            } catch {
                Terminal.error("gait: \(error)")
                throw ExitCode(74)
            }
        }
    }
}
