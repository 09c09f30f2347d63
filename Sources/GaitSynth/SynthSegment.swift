/// One stretch of a synthetic session with a single activity, cadence, speed and running effort.
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
    /// Running intensity relative to the session's configured gait, dimensionless in (0, 3]: the impact
    /// peak's excess above 1 g and the braking peak scale with it (1 = as configured, 0.6 = an easy jog);
    /// ignored when walking or standing.
    public var effort: Double

    /// Creates a segment.
    public init(kind: SynthActivity, durationS: Double, cadenceSpm: Double = 0, speedMps: Double = 0, effort: Double = 1) {
        self.kind = kind
        self.durationS = durationS
        self.cadenceSpm = cadenceSpm
        self.speedMps = speedMps
        self.effort = effort
    }

    /// A standing segment.
    public static func standing(durationS: Double) -> SynthSegment {
        SynthSegment(kind: .standing, durationS: durationS)
    }

    /// A walking segment (defaults: 110 steps/min, 1.4 m/s).
    public static func walking(durationS: Double, cadenceSpm: Double = 110, speedMps: Double = 1.4) -> SynthSegment {
        SynthSegment(kind: .walking, durationS: durationS, cadenceSpm: cadenceSpm, speedMps: speedMps)
    }

    /// A running segment (defaults: 170 steps/min, 3.2 m/s, effort 1).
    public static func running(durationS: Double, cadenceSpm: Double = 170, speedMps: Double = 3.2,
                               effort: Double = 1) -> SynthSegment {
        SynthSegment(kind: .running, durationS: durationS, cadenceSpm: cadenceSpm, speedMps: speedMps, effort: effort)
    }
}

extension SynthSegment {
    private enum CodingKeys: String, CodingKey {
        case kind, durationS, cadenceSpm, speedMps, effort
    }

    /// Decodes a segment; `effort` may be left out (files written before it existed) and is then 1.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try c.decode(SynthActivity.self, forKey: .kind),
                  durationS: try c.decode(Double.self, forKey: .durationS),
                  cadenceSpm: try c.decode(Double.self, forKey: .cadenceSpm),
                  speedMps: try c.decode(Double.self, forKey: .speedMps),
                  effort: try c.decodeIfPresent(Double.self, forKey: .effort) ?? 1)
    }
}
