/// A stretch of the session whose samples are dropped, as when a phone app stalls or a clip's
/// buffer overflows.
public struct SynthGap: Sendable, Codable, Equatable {
    /// Start of the gap on the true session clock, s.
    public var atS: Double
    /// Length of the gap, s.
    public var durationS: Double

    /// Creates a gap.
    public init(atS: Double, durationS: Double) {
        self.atS = atS
        self.durationS = durationS
    }
}
