/// The foot that lands at a step's initial contact; a step is named by that foot.
public enum SynthSide: String, Sendable, Codable, CaseIterable {
    /// The left foot lands.
    case left
    /// The right foot lands.
    case right

    /// The other foot.
    public var opposite: SynthSide { self == .left ? .right : .left }
}
