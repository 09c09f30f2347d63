/// A detected event paired with a reference event, one-to-one within a tolerance.
///
/// The rule: candidates within the tolerance, closest pairs first, each event used once.
/// `EventMatch.match` counts these pairs; the validation (`gait validate`) also needs to know
/// which detected step went with which reference contact (for the timing spread, the side,
/// contact time and force of each pair).
public struct MatchedEvent: Sendable, Equatable {
    /// Index of the detected event in the array passed to `pairs`.
    public var detectedIndex: Int
    /// Index of the reference event in the array passed to `pairs`.
    public var referenceIndex: Int
    /// Detected minus reference time, seconds.
    public var errorS: Double

    /// Creates a pair.
    public init(detectedIndex: Int, referenceIndex: Int, errorS: Double) {
        self.detectedIndex = detectedIndex
        self.referenceIndex = referenceIndex
        self.errorS = errorS
    }

    /// The pairs of `detected` and `reference` times (seconds, any order) within `toleranceS`,
    /// in reference time order.
    public static func pairs(detected: [Double], reference: [Double], toleranceS: Double) -> [MatchedEvent] {
        let d = detected.indices.sorted { detected[$0] < detected[$1] }
        let r = reference.indices.sorted { reference[$0] < reference[$1] }
        var candidates: [(distance: Double, d: Int, r: Int)] = []
        var start = 0
        for (ri, referenceIndex) in r.enumerated() {
            let t = reference[referenceIndex]
            while start < d.count, detected[d[start]] < t - toleranceS { start += 1 }
            var k = start
            while k < d.count, detected[d[k]] <= t + toleranceS {
                candidates.append((abs(detected[d[k]] - t), k, ri))
                k += 1
            }
        }
        candidates.sort { $0.distance < $1.distance }
        var usedD = [Bool](repeating: false, count: d.count), usedR = [Bool](repeating: false, count: r.count)
        var pairs: [MatchedEvent] = []
        for c in candidates where !usedD[c.d] && !usedR[c.r] {
            usedD[c.d] = true
            usedR[c.r] = true
            pairs.append(MatchedEvent(detectedIndex: d[c.d], referenceIndex: r[c.r], errorS: detected[d[c.d]] - reference[r[c.r]]))
        }
        return pairs.sorted { reference[$0.referenceIndex] < reference[$1.referenceIndex] }
    }
}
