import GaitDSP
import GaitInference

/// The distribution of step times per side: counts of left and right steps in equal bins.
/// A side that takes longer steps shows as a shifted distribution; a wide one as irregular timing.
public struct StepTimeHistogram: Sendable, Codable, Equatable {
    /// Lower edge of the first bin, s.
    public var lowerS: Double
    /// Width of each bin, s.
    public var binWidthS: Double
    /// Left steps per bin.
    public var leftCounts: [Int]
    /// Right steps per bin.
    public var rightCounts: [Int]
    /// Steps outside the range (below the first or above the last bin), both sides.
    public var outsideCount: Int
    /// Median step time of left steps, s.
    public var leftMedianS: Double?
    /// Median step time of right steps, s.
    public var rightMedianS: Double?

    /// Number of bins.
    public static let binCount = 24

    /// The histogram of the primary activity's step times with a confident side; the range spans
    /// the 1st to 99th percentile of all of them, so a few pauses do not squash the plot.
    public init(analysis: GaitAnalysis) {
        let primary = analysis.summary.primaryActivity
        var left: [Double] = [], right: [Double] = []
        for step in analysis.steps where step.activity == primary && step.sideConfidence >= SessionReport.minimumSideConfidence {
            guard let t = step.stepTimeS, t > 0 else { continue }
            switch step.side {
            case .left: left.append(Double(t))
            case .right: right.append(Double(t))
            case nil: break
            }
        }
        let all = (left + right).sorted()
        guard !all.isEmpty else {
            self.init(lowerS: 0, binWidthS: 0, leftCounts: [], rightCounts: [], outsideCount: 0, leftMedianS: nil, rightMedianS: nil)
            return
        }
        let low = all[Int(Double(all.count - 1) * 0.01)], high = all[Int(Double(all.count - 1) * 0.99)]
        let span = max(high - low, 0.01)
        let width = span * 1.1 / Double(Self.binCount)
        let lower = low - span * 0.05
        var leftCounts = [Int](repeating: 0, count: Self.binCount), rightCounts = leftCounts
        var outside = 0
        func add(_ values: [Double], to counts: inout [Int]) {
            for v in values {
                let i = Int(((v - lower) / width).rounded(.down))
                if i >= 0 && i < Self.binCount { counts[i] += 1 } else { outside += 1 }
            }
        }
        add(left, to: &leftCounts)
        add(right, to: &rightCounts)
        self.init(lowerS: lower, binWidthS: width, leftCounts: leftCounts, rightCounts: rightCounts, outsideCount: outside,
                  leftMedianS: RobustStatistics.median(left), rightMedianS: RobustStatistics.median(right))
    }

    /// Creates a histogram from its parts.
    public init(lowerS: Double, binWidthS: Double, leftCounts: [Int], rightCounts: [Int], outsideCount: Int,
                leftMedianS: Double?, rightMedianS: Double?) {
        self.lowerS = lowerS
        self.binWidthS = binWidthS
        self.leftCounts = leftCounts
        self.rightCounts = rightCounts
        self.outsideCount = outsideCount
        self.leftMedianS = leftMedianS
        self.rightMedianS = rightMedianS
    }

    /// Whether any step was counted.
    public var isEmpty: Bool { leftCounts.allSatisfy { $0 == 0 } && rightCounts.allSatisfy { $0 == 0 } }

    enum CodingKeys: String, CodingKey {
        case lowerS = "lower_s"
        case binWidthS = "bin_width_s"
        case leftCounts = "left_counts"
        case rightCounts = "right_counts"
        case outsideCount = "outside_count"
        case leftMedianS = "left_median_s"
        case rightMedianS = "right_median_s"
    }
}
