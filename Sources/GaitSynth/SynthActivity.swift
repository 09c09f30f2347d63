/// What the runner is doing during a segment of a synthetic session.
public enum SynthActivity: String, Sendable, Codable, CaseIterable {
    /// Upright and still: 1 g on the vertical axis, a little postural sway.
    case standing
    /// Walking: no flight phase, cadence typically 90–130 steps/min.
    case walking
    /// Running: stance then flight each step, cadence typically 150–190 steps/min.
    case running
}
