import GaitDSP

/// A runner's normal, learned from their own earlier sessions with robust statistics: the median
/// of each session-level measure and its session-to-session spread (1.4826 × MAD).
///
/// A baseline is trusted once it rests on `RunnerBaseline.minimumSessions` comparable runs; until
/// then the flags use population thresholds and say so.
public struct RunnerBaseline: Sendable, Equatable {
    /// One measure's normal.
    public struct Norm: Sendable, Equatable {
        /// Median over the sessions.
        public var median: Double
        /// Robust session-to-session spread (1.4826 × MAD), same unit.
        public var spread: Double
        /// Sessions with a value.
        public var count: Int
    }

    /// Runs needed before the baseline is trusted.
    public static let minimumSessions = 5
    /// At most this many of the most recent runs make the baseline, so it follows slow change.
    public static let maximumSessions = 20

    /// Norms of the session medians, keyed like `SessionFacts.medians`.
    public var medians: [String: Norm]
    /// Norms of the symmetry indices, keyed by `GaitMetric.rawValue`.
    public var symmetryIndexPct: [String: Norm]
    /// Norm of the pelvis tilt of runs measured against a standing calibration.
    public var standingTiltDeg: Norm?
    /// Number of runs the baseline was learned from.
    public var sessionCount: Int

    /// Whether there are enough runs to trust it.
    public var isTrusted: Bool { sessionCount >= RunnerBaseline.minimumSessions }

    /// Learns the baseline from the most recent comparable runs of `history` (running, ≥ 5 min).
    public init(history: [SessionFacts]) {
        let runs = Array(history.filter(\.isComparableRun).sortedByStart().suffix(RunnerBaseline.maximumSessions))
        func norm(_ values: [Double]) -> Norm? {
            guard let m = RobustStatistics.median(values) else { return nil }
            return Norm(median: m, spread: RobustStatistics.robustSD(values) ?? 0, count: values.count)
        }
        var medians: [String: Norm] = [:]
        // Impact measures only from recordings fast enough to measure them.
        let impactKeys = Set(ImpactMeasurement.metrics.map(\.rawValue))
        func usable(_ f: SessionFacts, _ key: String) -> Bool { f.measuresImpact || !impactKeys.contains(key) }
        for key in Set(runs.flatMap(\.medians.keys)) {
            medians[key] = norm(runs.filter { usable($0, key) }.compactMap { $0.medians[key] })
        }
        var symmetry: [String: Norm] = [:]
        for key in Set(runs.flatMap(\.symmetryIndexPct.keys)) {
            symmetry[key] = norm(runs.filter { usable($0, key) }.compactMap { $0.symmetryIndexPct[key] })
        }
        self.medians = medians
        self.symmetryIndexPct = symmetry
        self.standingTiltDeg = norm(runs.filter { $0.postureReference == "standing" }
            .compactMap { $0.median(.pelvisTiltDeg) })
        self.sessionCount = runs.count
    }

    /// The norm of a metric's session median.
    public func norm(_ metric: GaitMetric) -> Norm? { medians[metric.rawValue] }

    /// The norm of the session cadence.
    public var cadence: Norm? { medians[SessionFacts.cadenceKey] }
}

extension Array where Element == SessionFacts {
    /// Sessions in start order; sessions without a start keep their relative order at the front.
    public func sortedByStart() -> [SessionFacts] {
        enumerated().sorted { a, b in
            switch (a.element.startedAt, b.element.startedAt) {
            case let (x?, y?): x == y ? a.offset < b.offset : x < y
            case (nil, .some): true
            case (.some, nil): false
            case (nil, nil): a.offset < b.offset
            }
        }.map(\.element)
    }
}
