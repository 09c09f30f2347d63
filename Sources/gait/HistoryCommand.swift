import ArgumentParser
import Foundation
import GaitInference
import SessionStore

/// `gait history --runner NAME`: a runner's trends across sessions, per shoe, with the pain log.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show a runner's trends across sessions: weekly running time, each measure's median and slope, shoes, flags and pain.",
        discussion: "Without --runner, lists the runners and how many sessions each has."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "The runner (as given to `gait import --runner`).")
    var runner: String?

    @Option(help: "Output format: text or json (the trends document).")
    var format: Format = .text

    @Option(help: "The session database (default: $XDG_DATA_HOME/backstride/backstride.sqlite or ~/.local/share/backstride/backstride.sqlite).")
    var database: String?

    func run() throws {
        let store = try StoreCommandSupport.open(database)
        do {
            guard let name = runner else {
                for r in try store.runners() {
                    print(Terminal.printable("\(r.name): \(try store.history(runnerID: r.id!).count) session(s)"))
                }
                return
            }
            guard let record = try store.runner(named: name, create: false), let runnerID = record.id else {
                Terminal.error("gait: no runner named '\(name)' in \(StoreCommandSupport.name(store)); `gait history` lists them")
                throw ExitCode(66)
            }
            let history = try store.history(runnerID: runnerID)
            let shoes = try store.shoes(runnerID: runnerID).compactMap { try store.shoeInfo(shoeID: $0.id!) }
            let trends = RunnerTrends(history: history, shoes: shoes)
            var flagCounts: [String: Int] = [:]
            for f in history { for id in f.flagIDs { flagCounts[id, default: 0] += 1 } }
            switch format {
            case .json:
                struct Document: Encodable {
                    let runner: String
                    let trends: RunnerTrends
                    let flagSessionCounts: [String: Int]
                    enum CodingKeys: String, CodingKey { case runner, trends; case flagSessionCounts = "flag_session_counts" }
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(Document(runner: name, trends: trends, flagSessionCounts: flagCounts)), as: UTF8.self))
            case .text:
                print(Terminal.printableLines(Self.text(name: name, trends: trends, flagCounts: flagCounts)))
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.error("gait: \(error)")
            throw ExitCode(74)
        }
    }

    static func text(name: String, trends: RunnerTrends, flagCounts: [String: Int]) -> String {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        var lines = ["Runner \(name): \(trends.sessionCount) session(s)"
            + (trends.firstDate.map { " from \(day.string(from: $0))" } ?? "") + (trends.lastDate.map { " to \(day.string(from: $0))" } ?? "")]
        if !trends.weeks.isEmpty {
            lines += ["", "Weekly running time"]
            for w in trends.weeks {
                lines.append(String(format: "  week of %@  %5.0f min  %d run(s)%@", day.string(from: w.start), w.runningMinutes, w.sessionCount,
                                    w.maximumPain.map { "  pain up to \($0)" } ?? ""))
            }
        }
        lines += ["", "Across sessions (median, spread, robust slope per 30 days\(trends.firstDate == nil ? " — undated: per 10 sessions" : ""), latest)"]
        for m in trends.metrics where !m.points.isEmpty {
            func f(_ v: Double?) -> String { v.map { String(format: abs($0) >= 100 ? "%9.0f" : "%9.2f", $0) } ?? "        –" }
            lines.append("  " + "\(m.words) (\(m.unit))".padding(toLength: 34, withPad: " ", startingAt: 0)
                + f(m.median) + f(m.spread) + f(m.slopePer30Days) + f(m.points.last?.value) + "   \(m.points.count) session(s)")
        }
        if !trends.shoes.isEmpty {
            lines += ["", "Shoes"]
            for s in trends.shoes {
                var line = String(format: "  %@: %d run(s), %.0f km", s.shoe.name, s.runCount, s.distanceKm)
                if let first = s.firstRunsImpactG, let recent = s.recentImpactG, let rise = s.impactRisePct {
                    line += String(format: "; impact %.2f g in its first runs, %.2f g lately (%+.1f %%)", first, recent, rise)
                } else {
                    line += "; impact trend after \(ShoeWearRule.firstRunCount + 1) comparable runs"
                }
                lines.append(line)
            }
        }
        if !flagCounts.isEmpty {
            lines += ["", "Flags across sessions"]
            for (id, n) in flagCounts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                lines.append("  \(id): \(n) of \(trends.sessionCount) session(s)")
            }
        }
        if !trends.pain.isEmpty {
            lines += ["", "Pain log: \(trends.pain.count) session(s) with a score, median \(Int(RobustStatistics.median(trends.pain.map(\.value)) ?? 0))"]
        }
        return lines.joined(separator: "\n")
    }
}
