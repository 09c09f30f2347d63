/// Settings of the walking step detector: what counts as a walking step and as walking.
///
/// Walking is found step by step, not window by window (daily-life walking comes in short bouts,
/// slow and irregular steps and turns): candidate steps are the peaks of the band-passed vertical
/// acceleration (one per step, as in McCamley et al. 2012, Gait Posture 36:316, who smooth the
/// integrated vertical acceleration with a Gaussian wavelet), and walking is a chain of candidates
/// with plausible, consistent step times (the pulse trains of Paraschiv-Ionescu et al. 2019,
/// J NeuroEng Rehabil 16:24, as mobgap's `GsdIonescu` implements them).
public struct WalkingDetectionConfiguration: Sendable, Equatable {
    /// Low-pass of the vertical acceleration before its peaks are taken, Gaussian σ in seconds.
    /// Design choice: keeps the step fundamental up to ~2.8 Hz (170 steps/min) with little loss and
    /// merges the heel-strike and loading bumps of one step into one peak; tested by
    /// `WalkingDetectionTests` (slow and normal walking, Test5 trials at 50 ms).
    public var bandSmoothingSigmaS: Float
    /// High-pass: the vertical acceleration smoothed with this Gaussian σ (seconds) is subtracted, so
    /// posture changes and gravity leaking into the vertical axis (< ~0.3 Hz) do not make peaks.
    /// Design choice, tested by the handling and sitting tests of `WalkingDetectionTests`.
    public var trendSigmaS: Float
    /// Smallest rise of the band-passed vertical acceleration from the trough before a peak to the
    /// peak for it to be a step, g. Design choice: the band-passed standing of the mobgap Test5 trials
    /// reads 0.011–0.016 g (SD); their steps at 100 steps/min rise 0.22–0.42 g, and at 56 steps/min
    /// (the same pelvic excursion at 0.56 × the frequency gives 0.31 × the acceleration) 0.07–0.13 g.
    /// 0.05 found more of very weak slow steps but also sitting fidgets as steps; 0.08 lost slow steps
    /// (`WalkingDetectionTests`' material).
    public var minimumRiseG: Float
    /// Shortest step time of walking, s (171 steps/min; running cadences start at ~150 with a flight
    /// phase, which walking never has). DOMAIN.md: walking 60–130 steps/min in daily life; fast and
    /// downstairs walking reach 150.
    public var minimumStepTimeS: Float
    /// Longest step time of walking, s (48 steps/min): slow daily-life walking reaches 56 steps/min
    /// (the held-out data; older adults' slow gait, Mobilise-D). Design choice.
    public var maximumStepTimeS: Float
    /// Largest ratio of one step time to the previous one inside a walking chain (or its inverse).
    /// Design choice: turns and stairs make consecutive steps differ (a pivot step, a step onto a
    /// landing), up to about twice; tested by the irregular bouts of `WalkingDetectionTests`, where
    /// 1.6 lost a fifth of the steps of bouts whose step time swings by ±40 %.
    public var maximumStepTimeRatio: Float
    /// Fewest consecutive steps that make walking (a chain that continues walking already committed
    /// needs only two). Mobilise-D's walking bout is at least two strides (Kluge et al. 2021,
    /// Gait Posture; Micó-Amigo et al. 2023, J NeuroEng Rehabil): four initial contacts.
    public var minimumSteps: Int
    /// Largest angle between the clip's gravity direction at any step of a chain and the chain's mean
    /// (gravity over ±0.5 s around each step), degrees. Walking, turning and stairs tilt the pelvis by
    /// < 10°; picking the clip up and turning it over does not. Design choice, tested by the
    /// handling test of `WalkingDetectionTests`.
    public var maximumTiltDeg: Float
    /// Smallest mean correlation of the band-passed vertical acceleration around consecutive steps
    /// of a chain (±0.4 step times around each peak). Consecutive walking steps look alike (step
    /// regularity, Moe-Nilssen & Helbostad 2004, J Biomech 37:121): 0.63 or more in 95 % of the
    /// chains of the real walking recordings in `SampleData/real`. Design choice, tested by the
    /// handling test of `WalkingDetectionTests`.
    public var minimumStepSimilarity: Float
    /// Smallest mean of a chain's step similarity (above) and its stride similarity (correlation of
    /// the horizontal acceleration around every other step: AP repeats every step, the ML sway every
    /// stride; stride regularity, Moe-Nilssen & Helbostad 2004). Random jolts of a clip in the hand
    /// can by chance make a few alike vertical bumps at step-like intervals, seldom a repeating
    /// horizontal pattern as well. Design choice: the chains of the real walking recordings in
    /// `SampleData/real` reach 0.5 or more but for the last steps before a stop; tested by the
    /// handling tests and the irregular bouts of `WalkingDetectionTests`.
    public var minimumGaitRegularity: Float
    /// Largest share of a chain's samples in free fall (specific force below 0.45 g): walking never
    /// leaves the ground, running spends a third of each step in flight. Design choice.
    public var maximumFlightShare: Float
    /// Walking steps further apart than this end a walking bout, s. Mobilise-D merges breaks of up
    /// to 3 s into one walking bout (Kluge et al. 2021).
    public var maximumBreakInBoutS: Double

    /// Creates a configuration; the defaults are what `gait analyze` uses.
    public init(
        bandSmoothingSigmaS: Float = 0.06, trendSigmaS: Float = 0.5, minimumRiseG: Float = 0.06,
        minimumStepTimeS: Float = 0.35, maximumStepTimeS: Float = 1.25, maximumStepTimeRatio: Float = 2,
        minimumSteps: Int = 4, maximumTiltDeg: Float = 15, minimumStepSimilarity: Float = 0.5,
        minimumGaitRegularity: Float = 0.45, maximumFlightShare: Float = 0.05, maximumBreakInBoutS: Double = 3
    ) {
        self.bandSmoothingSigmaS = bandSmoothingSigmaS
        self.trendSigmaS = trendSigmaS
        self.minimumRiseG = minimumRiseG
        self.minimumStepTimeS = minimumStepTimeS
        self.maximumStepTimeS = maximumStepTimeS
        self.maximumStepTimeRatio = maximumStepTimeRatio
        self.minimumSteps = minimumSteps
        self.maximumTiltDeg = maximumTiltDeg
        self.minimumStepSimilarity = minimumStepSimilarity
        self.minimumGaitRegularity = minimumGaitRegularity
        self.maximumFlightShare = maximumFlightShare
        self.maximumBreakInBoutS = maximumBreakInBoutS
    }
}
