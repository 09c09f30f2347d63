/// Ground truth of one synthetic step, named by the foot that lands.
///
/// Values are those of the noise-free physics in the level body frame (before lean, pelvis
/// rotation and mounting), evaluated on the continuous model rather than on the sample grid.
public struct SynthStep: Sendable, Codable, Equatable {
    /// Time of initial contact on the true session clock, s: where V leaves the flight level (running)
    /// or the step's phase origin (walking).
    public var initialContactS: Double
    /// The foot that lands.
    public var side: SynthSide
    /// Time from this initial contact to the next one, s (in the usual naming, the step of the
    /// other foot, which lands at its end).
    public var stepTimeS: Double
    /// Ground contact time of the landing foot, s (walking: about 62 % of the stride).
    public var contactTimeS: Double
    /// Peak vertical specific force after contact (impact peak running, loading peak walking), g.
    public var impactPeakG: Double
    /// Time from initial contact to that peak, s.
    public var impactPeakDelayS: Double
    /// Mean slope of the vertical reading from initial contact to the impact peak, g/s.
    public var loadingRateGPerS: Double
    /// Peak AP deceleration after contact, g, positive magnitude (the AP reading reaches −brakingPeakG).
    public var brakingPeakG: Double
    /// Peak-to-peak vertical displacement of the pelvis over the step, cm, by double integration of
    /// the vertical acceleration with the step's mean removed (periodic velocity and displacement).
    public var verticalOscillationCm: Double
    /// The activity of the segment the step belongs to.
    public var activity: SynthActivity
    /// Forward tilt of the pelvis during the step, deg.
    public var leanDeg: Double
    /// Contralateral pelvic drop amplitude during the step, deg.
    public var pelvicDropDeg: Double
    /// Pelvic rotation (yaw) excursion over the step, deg.
    public var pelvicRotationDeg: Double
    /// Speed of the segment, m/s.
    public var speedMps: Double
    /// Step length (speed × step time), m.
    public var stepLengthM: Double
    /// How much of the step is the segment's full gait (1) rather than a ramp from or to standing (< 1).
    public var intensity: Double

    /// Cadence of this step alone, steps/min.
    public var cadenceSpm: Double { 60 / stepTimeS }
}
