import ArgumentParser
import Foundation
import GaitInference
import SessionIngest
import SessionStore

/// `gait pain SESSION SCORE`: logs pain after a run, then recomputes the runner's flags (the pain
/// link reads the log).
struct PainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pain",
        abstract: "Log pain (0–10) and a note for a stored session; the runner's flags are recomputed."
    )

    @Argument(help: "The session's id (as `gait sessions` lists it).")
    var id: Int64

    @Argument(help: "Pain from 0 (none) to 10 (worst imaginable).")
    var score: Int

    @Option(help: "Where it hurt, e.g. \"lower back, left\".")
    var location: String?

    @Option(help: "A note.")
    var note: String?

    @Option(name: .customLong("at"), help: "When in the run it started, minutes from the start.")
    var atMinutes: Double?

    @Flag(name: .customLong("next-day"), help: "The pain lasted into the next day.")
    var nextDay = false

    @Option(name: .customLong("symptom"), help: ArgumentHelp(
        "A red-flag symptom that came with the pain (repeatable): \(RedFlagSymptom.allCases.map(\.rawValue).joined(separator: ", ")). Any of them shows 'see a doctor now' until `gait alert clear`."))
    var symptoms: [String] = []

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func validate() throws {
        guard (0...10).contains(score) else { throw ValidationError("the pain score is 0 to 10, got \(score).") }
        if let at = atMinutes, !(at >= 0 && at < 24 * 60) { throw ValidationError("--at must be 0 to 1440 minutes, got \(at).") }
        for symptom in symptoms where RedFlagSymptom(rawValue: symptom) == nil {
            throw ValidationError("unknown --symptom '\(symptom)'; known: \(RedFlagSymptom.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        do {
            _ = try StoreCommandSupport.ingest(store).logPain(
                PainLogEntry(sessionId: id, painScore: score, location: location, atS: atMinutes.map { $0 * 60 }, note: note,
                             nextDay: nextDay ? true : nil, symptoms: symptoms.compactMap(RedFlagSymptom.init(rawValue:))))
            print("session \(id): pain \(score) logged")
            if let runner = try store.session(id: id)?.runnerId {
                for flag in try store.storedFlags(sessionID: id) where flag.seeProfessional { print("→ \(flag.title): \(flag.advice.first ?? "")") }
                if let alert = try store.redFlagAlert(runnerID: runner) { print("!! " + alert.message) }
            }
        } catch let error as SessionIngestError where error.storeError == .noSuchSession(id: id) {
            Terminal.error("gait: no session with id \(id) in \(StoreCommandSupport.name(store))")
            throw ExitCode(66)
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
    }
}
