/// Agreement of a measurement with its reference (Bland & Altman 1986, Lancet 1:307–310): the
/// bias (mean of detected − reference), its spread, and the 95 % limits of agreement.
///
/// Values are in the unit of the measurement, which the property holding this value names
/// (`contactTimeS`: seconds).
public struct AgreementStatistics: Sendable, Codable, Equatable {
    /// Number of pairs.
    public var count: Int
    /// Mean difference, detected − reference; nil without pairs.
    public var bias: Double?
    /// Sample standard deviation of the differences; nil for fewer than two pairs.
    public var standardDeviation: Double?
    /// Lower 95 % limit of agreement, bias − 1.96 SD.
    public var lowerLimit: Double?
    /// Upper 95 % limit of agreement, bias + 1.96 SD.
    public var upperLimit: Double?
    /// Root mean square of the differences.
    public var rootMeanSquareError: Double?

    /// The agreement of pairs with these differences (detected − reference).
    public init(differences: [Double]) {
        count = differences.count
        bias = SampleStatistics.mean(differences)
        standardDeviation = SampleStatistics.standardDeviation(differences)
        if let bias, let standardDeviation {
            lowerLimit = bias - 1.96 * standardDeviation
            upperLimit = bias + 1.96 * standardDeviation
        }
        rootMeanSquareError = SampleStatistics.mean(differences.map { $0 * $0 })?.squareRoot()
    }

    /// The agreement of detected/reference pairs.
    public init(pairs: [ValuePair]) {
        self.init(differences: pairs.map(\.difference))
    }
}
