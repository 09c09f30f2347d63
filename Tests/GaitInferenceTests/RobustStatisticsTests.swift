import GaitInference
import Testing

@Suite("Robust statistics")
struct RobustStatisticsTests {
    @Test func medianAndRobustSpreadIgnoreOneOutlier() {
        let values = [10.0, 10.2, 9.8, 10.1, 9.9, 50]
        #expect(RobustStatistics.median(values) == 10.05)
        let spread = RobustStatistics.robustSD(values) ?? .infinity
        #expect(spread > 0.1 && spread < 0.4)
    }

    @Test("the median by selection equals the middle of the sorted values, for odd and even counts, ties, sorted, reversed and random input")
    func medianBySelectionMatchesTheSortedMiddle() {
        var generator = SystemRandomNumberGenerator()
        var cases: [[Double]] = [[1], [2, 1], [3, 3, 3, 3], Array(stride(from: 0.0, to: 101, by: 1)), Array(stride(from: 100.0, to: -1, by: -1)),
                                 [5, 1, 5, 1, 5, 1, 5, 1], [-0.0, 0.0, -1, 1], [.infinity, 1, -.infinity, 2]]
        for count in 1...300 {
            cases.append((0..<count).map { _ in Double(Int.random(in: -20...20, using: &generator)) / 4 })
            cases.append((0..<count).map { _ in Double.random(in: -1e6...1e6, using: &generator) })
        }
        for values in cases {
            let s = values.sorted()
            let m = s.count / 2
            let expected = s.count % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m])
            #expect(RobustStatistics.median(values) == expected, "\(values)")
        }
    }

    @Test func theilSenSlopeIgnoresOneOutlier() {
        let x = (0..<10).map(Double.init)
        var y = x.map { 2 * $0 + 1 }
        y[7] = 100
        #expect(RobustStatistics.theilSenSlope(x: x, y: y) == 2)
    }

    @Test func spearmanOfAMonotoneRelationIsOneAndTiesAreAveraged() {
        let x = [1.0, 2, 3, 4, 5, 6]
        #expect(abs((RobustStatistics.spearman(x, x.map { $0 * $0 * $0 }) ?? 0) - 1) < 1e-12)
        #expect(abs((RobustStatistics.spearman(x, x.map { -$0 }) ?? 0) + 1) < 1e-12)
        // Ties: ranks 1, 2.5, 2.5, 4 against 1, 2, 3, 4 → ρ = 0.9487.
        #expect(abs((RobustStatistics.spearman([1, 2, 2, 3], [1, 2, 3, 4]) ?? 0) - 0.9486832980505138) < 1e-9)
        #expect(RobustStatistics.spearman([1, 1, 1], [1, 2, 3]) == nil)
    }

    @Test func permutationPValueSeparatesAStrongLinkFromNoise() {
        let x = (0..<12).map(Double.init)
        let linked = x.map { $0 + [0.5, -0.3, 0.2, -0.4, 0.1, 0.3, -0.2, 0.4, -0.1, 0.2, -0.3, 0.1][Int($0)] }
        let shuffled = [5.0, 1, 9, 3, 11, 0, 7, 2, 10, 6, 4, 8]
        #expect((RobustStatistics.spearmanPermutationP(x, linked) ?? 1) < 0.01)
        #expect((RobustStatistics.spearmanPermutationP(x, shuffled) ?? 0) > 0.1)
    }
}
