import Foundation

/// A fast stream of standard normal deviates for per-sample sensor noise: each 64-bit draw of a
/// `SynthRandom` gives four deviates, each a 16-bit uniform mapped through a tabulated inverse
/// normal CDF (4097 knots, linear interpolation between them), rescaled to unit variance.
///
/// Tails reach ±4.2 SD (the 1/131072 quantile). Deviates come out in a fixed order, so a stream
/// consumed sample by sample gives the same numbers however the samples are chunked.
public struct SynthGaussianStream: Sendable {
    private var random: SynthRandom
    private var bits: UInt64 = 0
    private var left = 0

    /// Creates the stream of one purpose (`stream`) of a session seed.
    public init(seed: UInt64, stream: UInt64) {
        random = SynthRandom(seed: seed, stream: stream)
    }

    /// The next deviate.
    @inline(__always)
    public mutating func next(_ table: UnsafeBufferPointer<Float>) -> Float {
        if left == 0 {
            bits = random.next()
            left = 4
        }
        let u = Int(truncatingIfNeeded: bits & 0xFFFF)
        bits >>= 16
        left -= 1
        let i = u >> 4
        let a = table[i]
        return a + Float(u & 15) * (1.0 / 16) * (table[i + 1] - a)
    }

    /// The next deviate (convenience; loops should hold `inverseNormalTable` themselves).
    public mutating func next() -> Float {
        Self.inverseNormalTable.withUnsafeBufferPointer { next($0) }
    }

    /// The inverse normal CDF at (16 i + 0.5) / 65536, i = 0…4096, scaled so that the 65536
    /// equally likely interpolated values have unit variance.
    public static let inverseNormalTable: [Float] = {
        func quantile(_ p: Double) -> Double {
            // Bisection on Φ(z) = erfc(−z/√2)/2; run once, so simplicity beats speed.
            var low = -8.0, high = 8.0
            for _ in 0..<80 {
                let mid = 0.5 * (low + high)
                if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
            }
            return 0.5 * (low + high)
        }
        let knots = (0...4096).map { quantile((Double(min($0 * 16, 65535)) + 0.5) / 65536) }
        var squares = 0.0
        for u in 0..<65536 {
            let i = u >> 4, f = Double(u & 15) / 16
            let z = knots[i] + f * (knots[i + 1] - knots[i])
            squares += z * z
        }
        let scale = 1 / (squares / 65536).squareRoot()
        return knots.map { Float($0 * scale) }
    }()
}
