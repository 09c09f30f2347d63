import ArgumentParser
import Foundation
import GaitServer
import SessionStore

/// `gait load-clinic` (hidden; scripts/bench-clinic.sh runs it): fills a PostgreSQL clinic store
/// for the clinic benchmark with runners, copies of the analysed sessions already in it,
/// physiotherapist accounts and their grants.
struct LoadClinicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-clinic",
        abstract: "Fill a PostgreSQL store with copies of its analysed sessions, for the clinic benchmark.",
        discussion: """
        The sessions already in the store (imported with `gait import`, so analysed by the real engine) are the \
        templates. Each runner ("Runner 001", …; the templates' runner is one of them) gets copies until it has \
        --sessions-per-runner runs, with their own ids, content hashes, starts --spacing-hours apart and pain \
        entries (PostgresSessionStore.copySessions). What one stored template takes on disk is measured first; \
        copies carry steps, then raw samples, only as far as --disk-budget-gb allows, and the command says how \
        many do. Then --physios accounts physio01, … with the password read from standard input, each granted \
        --runners-per-physio runners. Bench use only.
        """,
        shouldDisplay: false
    )

    @Option(help: "The store, postgres://user@host:port/database (or ?host=/socket/folder).")
    var database: String

    @Option(help: "Runners in the store when done.")
    var runners: Int = 100

    @Option(name: .customLong("sessions-per-runner"), help: "Sessions of each runner when done (the templates count for their runner).")
    var sessionsPerRunner: Int = 200

    @Option(name: .customLong("spacing-hours"), help: "Hours between the starts of a runner's consecutive runs.")
    var spacingHours: Double = 40

    @Option(name: .customLong("disk-budget-gb"), help: "Most the copies may add to the database, GB (10^9 bytes): steps, then raw samples, are copied only as far as it allows.")
    var diskBudgetGB: Double = 20

    @Option(help: "Physiotherapist accounts physio01, physio02, … (0: none).")
    var physios: Int = 50

    @Option(name: .customLong("runners-per-physio"), help: "Runners who grant each physiotherapist access (physio k gets runners k, k+1, … wrapping round).")
    var runnersPerPhysio: Int = 100

    func validate() throws {
        guard database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") else {
            throw ValidationError("--database must be a postgres:// URL.")
        }
        guard runners >= 1, runners <= 10_000 else { throw ValidationError("--runners must be 1 to 10000.") }
        guard sessionsPerRunner >= 1 else { throw ValidationError("--sessions-per-runner must be at least 1.") }
        guard spacingHours > 0 else { throw ValidationError("--spacing-hours must be positive.") }
        guard diskBudgetGB >= 0 else { throw ValidationError("--disk-budget-gb must not be negative.") }
        guard physios >= 0, physios <= 99 else { throw ValidationError("--physios must be 0 to 99.") }
        guard (1...runners).contains(runnersPerPhysio) else { throw ValidationError("--runners-per-physio must be 1 to --runners.") }
    }

    func run() throws {
        let password = physios > 0 ? readLine(strippingNewline: true) : nil
        if physios > 0, (password ?? "").isEmpty {
            Terminal.error("gait: give the physiotherapists' password on standard input")
            throw ExitCode(65)
        }
        let store: PostgresSessionStore
        do { store = try PostgresSessionStore(url: database) } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(73)
        }
        do {
            try load(store, password: password)
        } catch {
            throw StoreCommandSupport.fail(error)
        }
    }

    func load(_ store: PostgresSessionStore, password: String?) throws {
        let templates = try store.allSessionIDs()
        guard !templates.isEmpty else {
            Terminal.error("gait: the store has no session to copy; import a few first (gait import FILE --runner \"Runner 001\" --database URL)")
            throw ExitCode(65)
        }
        let pending = try store.sessionsWithoutInference()
        guard pending.isEmpty else {
            Terminal.error("gait: sessions \(pending.map(String.init).joined(separator: ", ")) have no flags yet; every template must be analysed")
            throw ExitCode(65)
        }
        var runnerIDs: [Int64] = []
        for index in 1...runners {
            guard let id = try store.runner(named: String(format: "Runner %03d", index), create: true)?.id else { continue }
            runnerIDs.append(id)
        }
        let existing = Dictionary(grouping: try store.sessions(limit: -1), by: { $0.runnerID ?? -1 }).mapValues(\.count)

        // What one stored template takes, by kind.
        let sizes = try store.tableSizes()
        func bytes(_ table: String) -> Double { Double(sizes.first { $0.table == table }?.bytes ?? 0) }
        let templateCount = Double(templates.count)
        let rawBytes = bytes("raw_chunk") / templateCount
        let stepBytes = bytes("step") / templateCount
        let restBytes = (Double(sizes.reduce(0) { $0 + $1.bytes }) - bytes("raw_chunk") - bytes("step")) / templateCount
        print(String(format: "one stored session (mean of %d templates): raw samples %.2f MB, steps %.2f MB, the rest (session, summary, flags, facts, pain) %.2f MB",
                     templates.count, rawBytes / 1e6, stepBytes / 1e6, restBytes / 1e6))

        let counts = runnerIDs.map { max(0, sessionsPerRunner - (existing[$0] ?? 0)) }
        let copies = counts.reduce(0, +)
        let budget = diskBudgetGB * 1e9
        let base = Double(copies) * restBytes
        guard base <= budget else {
            Terminal.error(String(format: "gait: %d copies need %.1f GB without steps or raw samples; the budget is %.1f GB", copies, base / 1e9, diskBudgetGB))
            throw ExitCode(65)
        }
        let withSteps = stepBytes > 0 ? min(copies, Int((budget - base) / stepBytes)) : copies
        let left = budget - base - Double(withSteps) * stepBytes
        let withRaw = rawBytes > 0 ? min(copies, Int(max(0, left) / rawBytes)) : copies
        print(String(format: "plan: %d copies within %.1f GB: all with summary, flags and facts (%.1f GB), %d with steps (%.1f GB), %d with raw samples (%.1f GB)",
                     copies, diskBudgetGB, base / 1e9, withSteps, Double(withSteps) * stepBytes / 1e9, withRaw, Double(withRaw) * rawBytes / 1e9))

        // Steps and raw samples go to the most recent runs of every runner, spread evenly.
        func share(_ total: Int, _ index: Int) -> Int { total / runnerIDs.count + (index < total % runnerIDs.count ? 1 : 0) }
        let start = Date()
        let latestStart = Date().addingTimeInterval(-6 * 3600)
        for (index, runnerID) in runnerIDs.enumerated() {
            let count = counts[index]
            try store.copySessions(.init(
                runnerID: runnerID, templateIDs: templates, count: count, latestStart: latestStart.addingTimeInterval(-Double(index) * 600),
                spacingS: spacingHours * 3600, withSteps: min(count, share(withSteps, index)), withRawSamples: min(count, share(withRaw, index)),
                redFlagOnLatest: index % 10 == 3))
            if (index + 1) % 10 == 0 || index + 1 == runnerIDs.count {
                print(String(format: "  %d/%d runners copied (%.0f s)", index + 1, runnerIDs.count, Date().timeIntervalSince(start)))
            }
        }

        if let password {
            let hash = try GaitServer.hashPassword(password)
            for physio in 1...max(1, physios) where physios > 0 {
                let name = String(format: "physio%02d", physio)
                let account = try store.account(username: name)
                    ?? store.addAccount(AccountRecord(username: name, role: .physio, passwordHash: hash, runnerId: nil))
                for offset in 0..<runnersPerPhysio {
                    try store.grant(runnerID: runnerIDs[(physio - 1 + offset) % runnerIDs.count], physioAccountID: account.id!)
                }
            }
            print("accounts: \(physios) physiotherapists (physio01…), each granted \(runnersPerPhysio) runners")
        }
        try store.analyzeTables()
        let total = try store.tableSizes().reduce(0) { $0 + $1.bytes }
        print(String(format: "store: %d runners, %d sessions, %.1f GB in PostgreSQL (%.0f s)", runnerIDs.count, try store.allSessionIDs().count,
                     Double(total) / 1e9, Date().timeIntervalSince(start)))
    }
}
