/// One stretch of a synthetic session with a single activity, cadence and speed.
///
/// Segment boundaries are moved to the nearest step boundary, so a segment lasts `durationS`
/// to within half a step; the session clock never drifts from the sum of the durations by more.
public struct SynthSegment: Sendable, Codable, Equatable {
    /// The activity during the segment.
    public var kind: SynthActivity
    /// Nominal duration, s.
    public var durationS: Double
    /// Cadence, steps per minute (both feet); ignored when standing.
    public var cadenceSpm: Double
    /// Running or walking speed, m/s; used for the step length in the ground truth; ignored when standing.
    public var speedMps: Double

    /// Creates a segment.
    public init(kind: SynthActivity, durationS: Double, cadenceSpm: Double = 0, speedMps: Double = 0) {
        self.kind = kind
        self.durationS = durationS
        self.cadenceSpm = cadenceSpm
        self.speedMps = speedMps
    }

    /// A standing segment.
    public static func standing(durationS: Double) -> SynthSegment {
        SynthSegment(kind: .standing, durationS: durationS)
    }

    /// A walking segment (defaults: 110 steps/min, 1.4 m/s).
    public static func walking(durationS: Double, cadenceSpm: Double = 110, speedMps: Double = 1.4) -> SynthSegment {
        SynthSegment(kind: .walking, durationS: durationS, cadenceSpm: cadenceSpm, speedMps: speedMps)
    }

    /// A running segment (defaults: 170 steps/min, 3.2 m/s).
    public static func running(durationS: Double, cadenceSpm: Double = 170, speedMps: Double = 3.2) -> SynthSegment {
        SynthSegment(kind: .running, durationS: durationS, cadenceSpm: cadenceSpm, speedMps: speedMps)
    }
}
