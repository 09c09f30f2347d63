/// A detected value and the reference value it is compared with, in the same unit.
public struct ValuePair: Sendable, Codable, Equatable {
    /// The value Backstride measured.
    public var detected: Double
    /// The reference system's value.
    public var reference: Double

    /// Creates a pair.
    public init(detected: Double, reference: Double) {
        self.detected = detected
        self.reference = reference
    }

    /// Detected − reference.
    public var difference: Double { detected - reference }
    /// The mean of the two, the x axis of a Bland–Altman plot.
    public var mean: Double { (detected + reference) / 2 }
}
