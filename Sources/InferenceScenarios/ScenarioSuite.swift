import Dispatch
import Foundation
import GaitInference

/// Runs scenarios on all cores and sums them up: the false-positive rate over healthy runs and
/// the detection rate per flag kind.
public struct ScenarioSuite: Sendable {
    /// Every outcome, in the scenarios' order.
    public var outcomes: [ScenarioOutcome]
    /// Wall-clock time, seconds.
    public var elapsedS: Double

    /// Runs `scenarios` (in parallel; outcomes do not depend on the order).
    public static func run(_ scenarios: [Scenario]) -> ScenarioSuite {
        let start = DispatchTime.now()
        let results = ResultSlots(count: scenarios.count)
        DispatchQueue.concurrentPerform(iterations: scenarios.count) { i in
            results.set(i, scenarios[i].run())
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return ScenarioSuite(outcomes: results.values, elapsedS: elapsed)
    }

    /// Healthy runs that raised at least one warning (observations and information excluded), over
    /// all healthy runs (with and without history).
    public var falsePositiveRate: Double? {
        let healthy = outcomes.filter { $0.expected == nil }
        guard !healthy.isEmpty else { return nil }
        return Double(healthy.filter { !$0.passed }.count) / Double(healthy.count)
    }

    /// Healthy runs that showed at least one observation, over all healthy runs.
    public var observationRate: Double? {
        let healthy = outcomes.filter { $0.expected == nil }
        guard !healthy.isEmpty else { return nil }
        return Double(healthy.filter { $0.flags.contains { $0.kind == .observation } }.count) / Double(healthy.count)
    }

    /// Per flag kind: runs with the condition that raised it at the required severity, over all such runs.
    public var detectionRates: [(kind: FlagKind, detected: Int, total: Int)] {
        FlagKind.allCases.compactMap { kind in
            let runs = outcomes.filter { $0.expected == kind }
            guard !runs.isEmpty else { return nil }
            return (kind, runs.filter(\.passed).count, runs.count)
        }
    }

    /// A readable table of the results, with the healthy runs' false flags and the missed conditions named.
    public func report() -> String {
        var lines: [String] = []
        for (label, withHistory) in [("healthy runs, no history", false), ("healthy runs with history", true)] {
            let healthy = outcomes.filter { $0.expected == nil && $0.hasHistory == withHistory }
            guard !healthy.isEmpty else { continue }
            let flagged = healthy.filter { !$0.passed }
            let observed = healthy.filter { $0.flags.contains { $0.kind == .observation } }
            lines.append(String(format: "%@: %d, raising any warning: %d (%.1f %%); showing an observation: %d (%.1f %%)", label, healthy.count,
                                flagged.count, 100 * Double(flagged.count) / Double(healthy.count),
                                observed.count, 100 * Double(observed.count) / Double(healthy.count)))
            var byKind: [String: Int] = [:]
            for o in healthy { for f in o.flags where f.kind != .information { byKind[f.id + (f.kind == .warning ? " (warning)" : " (observation)"), default: 0] += 1 } }
            for (id, n) in byKind.sorted(by: { $0.key < $1.key }) { lines.append("  \(id): \(n) run(s)") }
        }
        for (kind, detected, total) in detectionRates {
            lines.append(String(format: "%@ detected %3d / %3d (%.1f %%)", kind.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0), detected, total,
                                100 * Double(detected) / Double(total)))
            for o in outcomes where o.expected == kind && !o.passed {
                lines.append("  missed \(o.name): raised [\(o.flags.map { "\($0.id) \($0.severity.rawValue)" }.joined(separator: ", "))]")
            }
        }
        let samples = outcomes.map(\.sampleCount).reduce(0, +)
        lines.append(String(format: "%d scenarios, %.1f M samples, %.1f s", outcomes.count, Double(samples) / 1e6, elapsedS))
        return lines.joined(separator: "\n")
    }
}

/// Slots written once each from concurrent iterations.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ScenarioOutcome?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: ScenarioOutcome) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    var values: [ScenarioOutcome] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
