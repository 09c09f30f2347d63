import ArgumentParser
import Foundation
import SessionIngest
import SessionStore

/// `gait assign ID --runner NAME [--shoe NAME]`: gives a stored session to a runner or corrects its shoes.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Give a stored session to a runner, or correct the shoes it was run in; flags are recomputed.",
        discussion: """
        The flags of the session and of the runner's later sessions are recomputed (they are compared \
        with the runner's history), and so are those of the runner it was taken from. Given to a runner \
        without --shoe, the session gets the runner's current shoes. Exit status 65 for an unknown \
        session, runner or shoe.
        """
    )

    @Argument(help: "The session's id (as `gait sessions` lists it).")
    var id: Int64

    @Option(help: "The runner who ran it (must exist).")
    var runner: String?

    @Option(help: "The shoes it was run in (one of the runner's shoes: `gait shoe list`).")
    var shoe: String?

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func validate() throws {
        if runner == nil && shoe == nil { throw ValidationError("give --runner NAME and/or --shoe NAME.") }
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        do {
            try StoreCommandSupport.ingest(store).assign(sessionID: id, runner: runner, shoe: shoe)
            let session = try store.session(id: id)
            let runnerName = try session?.runnerId.flatMap { try store.runner(id: $0)?.name } ?? "nobody"
            let shoeName = try session?.shoeId.flatMap { shoeID in try store.shoeInfo(shoeID: shoeID)?.name }
            print(Terminal.printable("session \(id): \(runnerName)" + (shoeName.map { ", in \($0)" } ?? "") + "; flags recomputed"))
        } catch {
            throw StoreCommandSupport.fail(error)
        }
    }
}
