/// The choices a validation makes, written into every report so its numbers can be reproduced.
public struct ValidationSettings: Sendable, Codable, Equatable {
    /// Tolerances at which initial contacts are matched for F1, seconds (design choice: from
    /// timing, 25 ms, to the loose 200 ms window that only asks whether a step was found).
    public var tolerancesS: [Double] = [0.025, 0.05, 0.1, 0.2]
    /// Tolerance of the one-to-one pairing behind the paired measures (initial-contact bias and
    /// spread, side, contact time, toe-off, peak force), seconds. Design choice: under a quarter
    /// of the shortest step (running at 205 steps/min: 0.29 s), so a pair is one contact.
    public var pairingToleranceS: Double = 0.05
    /// Side confidence from which a step's side is taken as confident (the calibration check).
    public var confidentSideThreshold: Float = 0.9
    /// Treadmill slopes within ± this count as level, degrees (design choice).
    public var levelSlopeLimitDeg: Double = 1
    /// Leave the recordings a folder's `held-out.txt` lists out altogether: not analysed, not
    /// printed (for development, so that a choice cannot be made by looking at them).
    public var developmentOnly = false

    /// The settings used unless told otherwise.
    public init() {}
}
