/// Agreement between detected and reference event times (initial contacts).
public struct EventMatch: Sendable, Equatable, Codable {
    /// Reference events with a detected event within the tolerance (one-to-one).
    public var truePositives: Int
    /// Detected events matched to no reference event.
    public var falsePositives: Int
    /// Reference events matched to no detected event.
    public var falseNegatives: Int
    /// Mean absolute time error of the matched pairs, seconds.
    public var meanAbsoluteErrorS: Double
    /// Mean signed error (detected − reference) of the matched pairs, seconds.
    public var meanSignedErrorS: Double

    /// Precision, TP / (TP + FP).
    public var precision: Double { truePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives) }
    /// Recall, TP / (TP + FN).
    public var recall: Double { truePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives) }
    /// F1 score, the harmonic mean of precision and recall.
    public var f1: Double { truePositives == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Adds the counts of another match (pooling trials); errors are weighted by matches.
    public static func + (a: EventMatch, b: EventMatch) -> EventMatch {
        let n = a.truePositives + b.truePositives
        func pool(_ x: Double, _ y: Double) -> Double {
            n == 0 ? 0 : (x * Double(a.truePositives) + y * Double(b.truePositives)) / Double(n)
        }
        return EventMatch(truePositives: n, falsePositives: a.falsePositives + b.falsePositives,
                          falseNegatives: a.falseNegatives + b.falseNegatives,
                          meanAbsoluteErrorS: pool(a.meanAbsoluteErrorS, b.meanAbsoluteErrorS),
                          meanSignedErrorS: pool(a.meanSignedErrorS, b.meanSignedErrorS))
    }

    /// The empty match.
    public static let zero = EventMatch(truePositives: 0, falsePositives: 0, falseNegatives: 0, meanAbsoluteErrorS: 0, meanSignedErrorS: 0)

    /// Matches `detected` to `reference` one-to-one within `toleranceS`, closest pairs first
    /// (`MatchedEvent.pairs`), and counts the matches.
    public static func match(detected: [Double], reference: [Double], toleranceS: Double) -> EventMatch {
        let pairs = MatchedEvent.pairs(detected: detected, reference: reference, toleranceS: toleranceS)
        let tp = pairs.count
        let absolute = pairs.reduce(0) { $0 + abs($1.errorS) }, signed = pairs.reduce(0) { $0 + $1.errorS }
        return EventMatch(truePositives: tp, falsePositives: detected.count - tp, falseNegatives: reference.count - tp,
                          meanAbsoluteErrorS: tp > 0 ? absolute / Double(tp) : 0,
                          meanSignedErrorS: tp > 0 ? signed / Double(tp) : 0)
    }
}
