/// Ground truth of one bout: a segment as it was actually generated, with boundaries on step boundaries.
public struct SynthBout: Sendable, Codable, Equatable {
    /// Start on the true session clock, s.
    public var startS: Double
    /// End on the true session clock, s.
    public var endS: Double
    /// The activity.
    public var kind: SynthActivity
    /// Mean cadence over the bout's steps, steps/min (0 when standing).
    public var cadenceSpm: Double
    /// Number of steps in the bout.
    public var stepCount: Int
}
