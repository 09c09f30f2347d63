/// Comparisons matched for speed and slope: the runner's earlier runs at a similar speed on
/// near-level ground, from their watch files. Speed and slope move cadence, contact time and
/// impact more than most conditions do (Mercer et al. 2005; Zandbergen et al. 2023).
public enum MatchedBaseline {
    /// Speeds within this fraction of the run's count as similar (design choice: a 7.5 % speed
    /// difference moves cadence by about 2 % and impact by about 4.5 %, well inside their MDCs).
    public static let speedTolerance = 0.075
    /// Median |grade| of the running minutes that counts as near-level, % (design choice).
    public static let levelGradePct = 2.0
    /// Near-level minutes a hilly run needs to be compared with other runs (design choice).
    public static let minimumLevelMinutes = 5
    /// Confidence factor of a comparison that is not matched for speed (design choice).
    public static let unmatchedConfidence = 0.7

    /// The runs of `history` at a speed similar to `facts`' and near-level; empty when `facts` has
    /// no speed or is not near-level.
    public static func runs(_ history: [SessionFacts], like facts: SessionFacts) -> [SessionFacts] {
        guard let v = facts.speedMPS, v > 0, (facts.absGradePct ?? 0) <= levelGradePct else { return [] }
        return history.filter { f in
            guard let w = f.speedMPS else { return false }
            return abs(w / v - 1) <= speedTolerance && (f.absGradePct ?? 0) <= levelGradePct
        }
    }
}
