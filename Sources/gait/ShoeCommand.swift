import ArgumentParser
import Foundation
import SessionIngest
import SessionStore

/// `gait shoe`: a runner's shoes.
struct ShoeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shoe",
        abstract: "Set the shoes a runner runs in now, or list a runner's shoes.",
        subcommands: [ShoeUseCommand.self, ShoeListCommand.self]
    )
}

/// `gait shoe use NAME --runner NAME`: new sessions of the runner get these shoes.
struct ShoeUseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "use",
        abstract: "Run in these shoes from now on: every new session of the runner gets them (added when new).",
        discussion: "One session can be corrected afterwards with `gait assign ID --shoe NAME`. Exit status 65 for an unknown runner."
    )

    @Argument(help: "The shoes' name, e.g. \"Pegasus 41\".")
    var name: String

    @Option(help: "The runner.")
    var runner: String

    @Option(name: .customLong("distance-so-far"), help: "Distance already run in them before they were recorded here, km.")
    var distanceSoFarKm: Double?

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func validate() throws {
        if let km = distanceSoFarKm, !(km >= 0 && km < 100_000) { throw ValidationError("--distance-so-far must be 0 to 100000 km, got \(km).") }
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        do {
            guard let record = try store.runner(named: runner, create: false), let runnerID = record.id else { throw SessionStoreError.noSuchRunner(runner) }
            let shoe = try SessionIngest(store: store).useShoe(runnerID: runnerID, name: name, distanceSoFarKm: distanceSoFarKm)
            print(Terminal.printable("\(record.name) runs in \(shoe.name) from now on"))
        } catch {
            throw StoreCommandSupport.fail(error)
        }
    }
}

/// `gait shoe list --runner NAME`.
struct ShoeListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a runner's shoes; the current ones are marked.")

    @Option(help: "The runner.")
    var runner: String

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        do {
            guard let record = try store.runner(named: runner, create: false), let runnerID = record.id else { throw SessionStoreError.noSuchRunner(runner) }
            for shoe in try store.shoes(runnerID: runnerID) {
                let mark = shoe.id == record.currentShoeId ? "* " : "  "
                print(mark + Terminal.printable(shoe.name) + String(format: "  (%.0f km before recording)", shoe.distanceSoFarKm))
            }
        } catch {
            throw StoreCommandSupport.fail(error)
        }
    }
}
