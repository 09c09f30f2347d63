import Foundation
import GaitDSP

/// Small robust statistics used by the flags and baselines: medians, median absolute deviation,
/// Theil–Sen slopes and Spearman rank correlation. Inputs are short (minutes of a run, sessions
/// of a history), so clarity wins over speed, except in the median: a Theil–Sen slope over a
/// runner's 200 runs takes the median of 19,900 pairwise slopes.
public enum RobustStatistics {
    /// Median of the values; nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let m = values.count / 2
        guard !values.contains(where: \.isNaN) else {  // NaN has no order: as a sort leaves it
            let s = values.sorted()
            return s.count % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m])
        }
        // The middle order statistics by selection (the DSP's quickselect), not a sort: the same
        // values, in O(n) instead of O(n log n).
        var a = values
        return a.withUnsafeMutableBufferPointer { buffer in
            let upper = SignalKernels.selectInPlace(buffer, k: m)
            return buffer.count % 2 == 1 ? upper : 0.5 * (buffer[..<m].max()! + upper)
        }
    }

    /// Robust standard deviation: 1.4826 × the median absolute deviation (consistent with the SD
    /// for normal data; Rousseeuw & Croux 1993). Nil with fewer than two values.
    public static func robustSD(_ values: [Double]) -> Double? {
        guard values.count >= 2, let m = median(values) else { return nil }
        return median(values.map { abs($0 - m) }).map { 1.4826 * $0 }
    }

    /// Theil–Sen slope: the median of the slopes between all pairs of points with different x
    /// (Sen 1968); robust to outlying sessions. Nil with fewer than two distinct x.
    public static func theilSenSlope(x: [Double], y: [Double]) -> Double? {
        precondition(x.count == y.count)
        var slopes: [Double] = []
        slopes.reserveCapacity(x.count * (x.count - 1) / 2)
        for i in 0..<x.count {
            for j in (i + 1)..<x.count where x[j] != x[i] {
                slopes.append((y[j] - y[i]) / (x[j] - x[i]))
            }
        }
        return median(slopes)
    }

    /// Ranks with ties averaged (1-based).
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// Pearson correlation; nil when either side is constant or there are fewer than 3 pairs.
    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 3 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Spearman rank correlation ρ (Pearson correlation of the ranks); nil when a side is constant.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        pearson(ranks(x), ranks(y))
    }

    /// Two-sided permutation p-value of a Spearman ρ: the share of `permutations` random
    /// reorderings of `y` whose |ρ| is at least the observed |ρ| (deterministic: seeded).
    public static func spearmanPermutationP(_ x: [Double], _ y: [Double], permutations: Int = 2000, seed: UInt64 = 0x5EED) -> Double? {
        permutationP(ranks(x), ranks(y), permutations: permutations, seed: seed)
    }

    /// Two-sided permutation p-value of the Pearson correlation of `x` and `y`: the share of
    /// `permutations` random reorderings of `y` whose |r| is at least the observed |r|; nil when a
    /// side is constant.
    static func permutationP(_ x: [Double], _ y: [Double], permutations: Int, seed: UInt64) -> Double? {
        guard let observed = pearson(x, y) else { return nil }
        var y = y
        var state = seed
        var atLeast = 0
        for _ in 0..<permutations {
            // Fisher–Yates with a SplitMix64 generator: reproducible across platforms.
            for i in stride(from: y.count - 1, to: 0, by: -1) {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                y.swapAt(i, Int(z % UInt64(i + 1)))
            }
            if let r = pearson(x, y), abs(r) >= abs(observed) - 1e-12 { atLeast += 1 }
        }
        return Double(atLeast + 1) / Double(permutations + 1)
    }

    /// Residuals of `y` after a least-squares fit on `covariates` (each as long as `y`) and an
    /// intercept; nil when the fit is singular.
    static func residuals(_ y: [Double], on covariates: [[Double]]) -> [Double]? {
        let n = y.count, k = covariates.count + 1
        guard n > k else { return nil }
        // Normal equations (XᵀX) b = Xᵀy, solved by Gaussian elimination with partial pivoting.
        func x(_ row: Int, _ col: Int) -> Double { col == 0 ? 1 : covariates[col - 1][row] }
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for i in 0..<k {
            for j in 0..<k { a[i][j] = (0..<n).reduce(0) { $0 + x($1, i) * x($1, j) } }
            a[i][k] = (0..<n).reduce(0) { $0 + x($1, i) * y[$1] }
        }
        for col in 0..<k {
            guard let pivot = (col..<k).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-9 else { return nil }
            a.swapAt(col, pivot)
            for row in 0..<k where row != col {
                let f = a[row][col] / a[col][col]
                for c in col...k { a[row][c] -= f * a[col][c] }
            }
        }
        let b = (0..<k).map { a[$0][k] / a[$0][$0] }
        return (0..<n).map { i in y[i] - (0..<k).reduce(0) { $0 + b[$1] * x(i, $1) } }
    }

    /// Partial Spearman correlation of `x` and `y` controlling for `covariates`: the Pearson
    /// correlation of the residuals of their ranks after regressing each on the covariates' ranks
    /// (Conover 1999, partial rank correlation); nil when undefined.
    public static func partialSpearman(_ x: [Double], _ y: [Double], controlling covariates: [[Double]]) -> Double? {
        let c = covariates.map(ranks)
        guard let rx = residuals(ranks(x), on: c), let ry = residuals(ranks(y), on: c) else { return nil }
        return pearson(rx, ry)
    }

    /// Two-sided permutation p-value of a partial Spearman ρ: `y`'s rank residuals are shuffled
    /// (seeded SplitMix64, reproducible).
    public static func partialSpearmanPermutationP(_ x: [Double], _ y: [Double], controlling covariates: [[Double]],
                                                   permutations: Int = 2000, seed: UInt64 = 0x5EED) -> Double? {
        let c = covariates.map(ranks)
        guard let rx = residuals(ranks(x), on: c), let ry = residuals(ranks(y), on: c) else { return nil }
        return permutationP(rx, ry, permutations: permutations, seed: seed)
    }

    /// A 95 % interval of a (partial) Spearman ρ from n pairs with `controls` covariates: Fisher's
    /// z with the standard error √(1.06 / (n − 3 − controls)) (Fieller, Hartley & Pearson 1957).
    public static func spearmanInterval(rho: Double, n: Int, controls: Int = 0) -> (low: Double, high: Double)? {
        let dof = Double(n - 3 - controls)
        guard dof > 0, abs(rho) < 1 else { return nil }
        let z = 0.5 * log((1 + rho) / (1 - rho)), se = (1.06 / dof).squareRoot()
        func back(_ v: Double) -> Double { (exp(2 * v) - 1) / (exp(2 * v) + 1) }
        return (back(z - 1.96 * se), back(z + 1.96 * se))
    }

    /// Benjamini–Hochberg: which of `pValues` are discoveries at false-discovery rate `q`.
    public static func benjaminiHochberg(_ pValues: [Double], q: Double = 0.05) -> [Bool] {
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        let m = Double(pValues.count)
        var largest = -1
        for (rank, index) in order.enumerated() where pValues[index] <= q * Double(rank + 1) / m { largest = rank }
        var result = [Bool](repeating: false, count: pValues.count)
        if largest >= 0 { for rank in 0...largest { result[order[rank]] = true } }
        return result
    }
}
