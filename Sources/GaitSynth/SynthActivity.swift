/// What the runner is doing during a segment of a synthetic session.
public enum SynthActivity: String, Sendable, Codable, CaseIterable {
    /// Upright and still: 1 g on the vertical axis, a little postural sway.
    case standing
    /// Walking: no flight phase, cadence typically 90–130 steps/min.
    case walking
    /// Running: stance then flight each step, cadence typically 150–190 steps/min.
    case running
}

/// The foot that lands at a step's initial contact; a step is named by that foot.
public enum SynthSide: String, Sendable, Codable, CaseIterable {
    /// The left foot lands.
    case left
    /// The right foot lands.
    case right

    /// The other foot.
    public var opposite: SynthSide { self == .left ? .right : .left }
}
