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

    /// Matches `detected` to `reference` one-to-one within `toleranceS`, closest pairs first.
    public static func match(detected: [Double], reference: [Double], toleranceS: Double) -> EventMatch {
        let d = detected.sorted(), r = reference.sorted()
        var pairs: [(distance: Double, d: Int, r: Int)] = []
        var start = 0
        for (ri, rt) in r.enumerated() {
            while start < d.count, d[start] < rt - toleranceS { start += 1 }
            var k = start
            while k < d.count, d[k] <= rt + toleranceS {
                pairs.append((abs(d[k] - rt), k, ri))
                k += 1
            }
        }
        pairs.sort { $0.distance < $1.distance }
        var usedD = [Bool](repeating: false, count: d.count), usedR = [Bool](repeating: false, count: r.count)
        var tp = 0
        var absolute = 0.0, signed = 0.0
        for p in pairs where !usedD[p.d] && !usedR[p.r] {
            usedD[p.d] = true
            usedR[p.r] = true
            tp += 1
            absolute += p.distance
            signed += d[p.d] - r[p.r]
        }
        return EventMatch(truePositives: tp, falsePositives: d.count - tp, falseNegatives: r.count - tp,
                          meanAbsoluteErrorS: tp > 0 ? absolute / Double(tp) : 0,
                          meanSignedErrorS: tp > 0 ? signed / Double(tp) : 0)
    }
}
