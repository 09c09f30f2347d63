import Foundation

/// Precomputed waveform tables shared by every generator, so the per-sample loop does table
/// look-ups with linear interpolation instead of calling `sin` or `exp`.
struct GaitShapes: Sendable {
    /// Points per table period.
    static let tableSize = 4096

    /// sin(2π p) for p in [0, 1], with two guard entries.
    let sine: [Double]
    /// Walking vertical shape over one step's phase: zero mean, maximum +1 (the loading peak).
    let walkVertical: [Double]
    /// Walking AP shape over one step's phase: zero mean, minimum −1 (braking after contact).
    let walkAnteroposterior: [Double]
    /// Phase of the walking loading peak.
    let walkVerticalPeakPhase: Double

    static let shared = GaitShapes()

    private init() {
        let n = Self.tableSize
        sine = (0..<(n + 2)).map { sin(2 * Double.pi * Double($0) / Double(n)) }

        func periodicGaussian(_ p: Double, _ mu: Double, _ sigma: Double) -> Double {
            var sum = 0.0
            for k in -2...2 {
                let d = (p - mu + Double(k)) / sigma
                sum += exp(-0.5 * d * d)
            }
            return sum
        }
        func normalised(_ raw: [Double], scaleTo target: (([Double]) -> Double)) -> [Double] {
            let body = raw[0..<n]
            let mean = body.reduce(0, +) / Double(n)
            let centred = raw.map { $0 - mean }
            let scale = target(Array(centred[0..<n]))
            return centred.map { $0 / scale }
        }
        // Lower-back vertical acceleration in walking: a loading peak ~15 % of the step after
        // contact, a trough in mid single support (Zijlstra & Hof 2003; Moe-Nilssen 1998).
        let rawVertical = (0..<(n + 2)).map { i -> Double in
            let p = Double(i) / Double(n)
            return periodicGaussian(p, 0.15, 0.055) - 0.85 * periodicGaussian(p, 0.55, 0.13)
        }
        let vertical = normalised(rawVertical) { $0.max()! }
        let peakIndex = vertical[0..<n].indices.max { vertical[$0] < vertical[$1] }!
        walkVertical = vertical
        walkVerticalPeakPhase = Double(peakIndex) / Double(n)
        // AP: forward peak just before contact, deceleration (braking) just after it
        // (Zijlstra & Hof 2003, trunk AP acceleration around heel strike).
        let rawAnteroposterior = (0..<(n + 2)).map { i -> Double in
            let p = Double(i) / Double(n)
            return 0.8 * periodicGaussian(p, 0.97, 0.05) - periodicGaussian(p, 0.08, 0.045)
        }
        walkAnteroposterior = normalised(rawAnteroposterior) { -$0.min()! }
    }
}

/// Periodic table look-up with linear interpolation; `p` in table periods, `p ≥ 0`.
///
/// Truncation and a power-of-two mask replace `floor`, which is a library call on baseline x86-64.
@inline(__always)
func lookUp(_ table: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
    let x = p * Double(GaitShapes.tableSize)
    let whole = Int(x)
    let w = x - Double(whole)
    let i = whole & (GaitShapes.tableSize - 1)
    let a = table[i]
    return a + w * (table[i + 1] - a)
}
