/// Small robust statistics used by the flags and baselines: medians, median absolute deviation,
/// Theil–Sen slopes and Spearman rank correlation. Inputs are short (minutes of a run, sessions
/// of a history), so clarity wins over speed here.
public enum RobustStatistics {
    /// Median of the values; nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m])
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
        guard let observed = spearman(x, y) else { return nil }
        let rx = ranks(x)
        var ry = ranks(y)
        var state = seed
        var atLeast = 0
        for _ in 0..<permutations {
            // Fisher–Yates with a SplitMix64 generator: reproducible across platforms.
            for i in stride(from: ry.count - 1, to: 0, by: -1) {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                ry.swapAt(i, Int(z % UInt64(i + 1)))
            }
            if let r = pearson(rx, ry), abs(r) >= abs(observed) - 1e-12 { atLeast += 1 }
        }
        return Double(atLeast + 1) / Double(permutations + 1)
    }
}
