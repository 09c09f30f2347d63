import ArgumentParser
import Foundation
import SessionStore

/// `gait clip`: which runner each clip belongs to.
struct ClipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clip",
        abstract: "Give a clip to a runner, or list the clips and their owners.",
        subcommands: [ClipAssignCommand.self, ClipListCommand.self]
    )
}

/// `gait clip assign SERIAL --runner NAME`: every session synced from the clip is then the runner's.
struct ClipAssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Give a clip (by the serial printed on it) to a runner: every session synced from it is then theirs.",
        discussion: """
        Sessions already stored from the clip keep their runner (`gait assign` moves one). A clip another \
        runner owns is refused unless --move is given. Exit status: 0 when assigned; 65 for an unknown \
        runner, a bad serial, or a clip another runner owns.
        """
    )

    @Argument(help: "The clip's serial, e.g. BSC-0001.")
    var serial: String

    @Option(help: "The runner who owns the clip from now on (must exist: `gait import --runner` or `gait account add` add runners).")
    var runner: String?

    @Flag(help: "Take the clip away from nobody: leave it without an owner.")
    var nobody = false

    @Flag(help: "Move the clip from the runner who owns it (an administrator's decision).")
    var move = false

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func validate() throws {
        if (runner == nil) == !nobody { throw ValidationError("give --runner NAME or --nobody.") }
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        do {
            var runnerID: Int64?
            if let runner {
                guard let record = try store.runner(named: runner, create: false) else { throw SessionStoreError.noSuchRunner(runner) }
                runnerID = record.id
            }
            let clip = try store.assignClip(serial: serial, runnerID: runnerID, moveFromAnotherRunner: move || nobody)
            print(Terminal.printable(runner.map { "clip \(clip.serial) belongs to \($0)" } ?? "clip \(clip.serial) belongs to nobody"))
        } catch {
            throw StoreCommandSupport.fail(error)
        }
    }
}

/// `gait clip list`: every clip the store knows with its owner.
struct ClipListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the clips the store knows, with their owners.")

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        do {
            let names = Dictionary(uniqueKeysWithValues: try store.runners().compactMap { runner in runner.id.map { ($0, runner.name) } })
            let clips = try store.clips(runnerID: nil)
            if clips.isEmpty { print("no clips yet (a clip is known once it has been synced or assigned)") }
            for clip in clips {
                let owner = clip.runnerId.map { names[$0] ?? "runner \($0)" } ?? "nobody"
                print(Terminal.printable(clip.serial) + "  firmware " + Terminal.printable(clip.firmware ?? "?") + "  owner " + Terminal.printable(owner))
            }
        } catch {
            throw StoreCommandSupport.fail(error)
        }
    }
}
