import Foundation

/// Hot-path signal kernels over contiguous `Float` buffers: smoothing, moments, autocorrelation.
///
/// They take `UnsafeBufferPointer`s so that the per-sample loops carry no bounds checks,
/// allocation or closures (house style, after swift-numerics).
public enum SignalKernels {
    /// Zero-phase smoothing by a centred moving average of odd width `width`, edges averaged over
    /// the samples available. Three passes approximate a Gaussian of variance 3·(width² − 1)/12
    /// (central limit), at a cost independent of the width.
    @inlinable
    public static func boxSmooth(_ input: UnsafeBufferPointer<Float>, width: Int, output: UnsafeMutableBufferPointer<Float>) {
        let n = input.count
        guard n > 0 else { return }
        let radius = max(0, width / 2)
        if radius == 0 || n <= 2 * radius {
            for i in 0..<n { output[i] = input[i] }
            return
        }
        var sum: Float = 0
        for i in 0...radius { sum += input[i] }
        // Head: the window grows to full width.
        for i in 0..<radius {
            output[i] = sum / Float(radius + 1 + i)
            sum += input[i + radius + 1]
        }
        // Interior: full width, one add and one subtract per sample.
        let scale = 1 / Float(2 * radius + 1)
        for i in radius..<(n - radius - 1) {
            output[i] = sum * scale
            sum += input[i + radius + 1] - input[i - radius]
        }
        // Tail: the window shrinks.
        for i in (n - radius - 1)..<n {
            output[i] = sum / Float(n - i + radius)
            sum -= input[i - radius]
        }
    }

    /// Two independent `boxSmooth`s of equally long inputs, run side by side: each output is
    /// bit for bit what `boxSmooth` gives, and the two running sums, each waiting on its own last
    /// addition, overlap.
    @inlinable
    public static func boxSmooth(
        _ input: UnsafeBufferPointer<Float>, width: Int, output: UnsafeMutableBufferPointer<Float>,
        _ secondInput: UnsafeBufferPointer<Float>, width secondWidth: Int, output secondOutput: UnsafeMutableBufferPointer<Float>
    ) {
        let n = input.count
        let r = max(0, width / 2), r2 = max(0, secondWidth / 2)
        guard secondInput.count == n, r > 0, r2 > 0, n > 2 * max(r, r2) else {
            boxSmooth(input, width: width, output: output)
            boxSmooth(secondInput, width: secondWidth, output: secondOutput)
            return
        }
        let a = input, b = secondInput, oa = output, ob = secondOutput
        var sa: Float = 0, sb: Float = 0
        for i in 0...r { sa += a[i] }
        for i in 0...r2 { sb += b[i] }
        // Heads: the windows grow to full width.
        for i in 0..<r {
            oa[i] = sa / Float(r + 1 + i)
            sa += a[i + r + 1]
        }
        for i in 0..<r2 {
            ob[i] = sb / Float(r2 + 1 + i)
            sb += b[i + r2 + 1]
        }
        // Interiors: each alone until the other's starts, together, then each alone to its tail.
        let scale = 1 / Float(2 * r + 1), scale2 = 1 / Float(2 * r2 + 1)
        let commonStart = max(r, r2), commonEnd = n - max(r, r2) - 1
        for i in r..<commonStart {
            oa[i] = sa * scale
            sa += a[i + r + 1] - a[i - r]
        }
        for i in r2..<commonStart {
            ob[i] = sb * scale2
            sb += b[i + r2 + 1] - b[i - r2]
        }
        for i in commonStart..<commonEnd {
            oa[i] = sa * scale
            sa += a[i + r + 1] - a[i - r]
            ob[i] = sb * scale2
            sb += b[i + r2 + 1] - b[i - r2]
        }
        for i in commonEnd..<(n - r - 1) {
            oa[i] = sa * scale
            sa += a[i + r + 1] - a[i - r]
        }
        for i in commonEnd..<(n - r2 - 1) {
            ob[i] = sb * scale2
            sb += b[i + r2 + 1] - b[i - r2]
        }
        // Tails: the windows shrink.
        for i in (n - r - 1)..<n {
            oa[i] = sa / Float(n - i + r)
            sa -= a[i - r]
        }
        for i in (n - r2 - 1)..<n {
            ob[i] = sb / Float(n - i + r2)
            sb -= b[i - r2]
        }
    }

    /// Zero-phase smoothing by a sampled Gaussian of standard deviation `sigmaSamples`, truncated
    /// at ±3σ (at least ±1 sample) and normalised; near the edges, normalised over the taps
    /// available. For widths a three-pass box cannot realise (a box's width is odd, so at σ below
    /// about 2 samples its three passes are up to 75 % wider than asked). Costs 2·⌈3σ⌉ + 1
    /// multiply-adds per sample. `weights` is scratch of at least that many taps.
    public static func gaussianSmooth(_ input: UnsafeBufferPointer<Float>, sigmaSamples: Float,
                                      output: UnsafeMutableBufferPointer<Float>, weights: UnsafeMutableBufferPointer<Float>) {
        let n = input.count
        let radius = gaussianRadius(sigmaSamples: sigmaSamples)
        guard n > 0, sigmaSamples > 0, weights.count >= 2 * radius + 1 else {
            for i in 0..<n { output[i] = input[i] }
            return
        }
        var total: Float = 0
        for k in -radius...radius {
            let w = Float(exp(-Double(k * k) / (2 * Double(sigmaSamples * sigmaSamples))))
            weights[k + radius] = w
            total += w
        }
        for k in 0...(2 * radius) { weights[k] /= total }
        for i in 0..<n {
            let lo = max(-radius, -i), hi = min(radius, n - 1 - i)
            var sum: Float = 0, norm: Float = 0
            if lo == -radius, hi == radius {
                for k in lo...hi { sum += weights[k + radius] * input[i + k] }
                output[i] = sum
            } else {
                for k in lo...hi {
                    sum += weights[k + radius] * input[i + k]
                    norm += weights[k + radius]
                }
                output[i] = sum / norm
            }
        }
    }

    /// Half-width of `gaussianSmooth`'s kernel, samples: ⌈3σ⌉, at least 1.
    public static func gaussianRadius(sigmaSamples: Float) -> Int {
        max(1, Int((3 * sigmaSamples).rounded(.up)))
    }

    /// Standard deviation of three passes of a box of odd `width`, samples: √((width² − 1) / 4).
    public static func threePassSigma(width: Int) -> Float {
        (Float(width * width - 1) / 4).squareRoot()
    }

    /// Box width whose three-pass smoothing has about the standard deviation `sigmaSamples`.
    public static func boxWidth(forGaussianSigma sigmaSamples: Float) -> Int {
        let w = Int((4 * sigmaSamples * sigmaSamples + 1).squareRoot().rounded())
        return max(1, w | 1)
    }

    /// Mean of a buffer.
    @inlinable
    public static func mean(_ x: UnsafeBufferPointer<Float>) -> Float {
        guard !x.isEmpty else { return 0 }
        var s: Float = 0
        for v in x { s += v }
        return s / Float(x.count)
    }

    /// The `k`-th smallest value (0-based) of `x`, found by in-place selection (Hoare's
    /// quickselect, expected O(n)); reorders `x`.
    @inlinable
    public static func selectInPlace<Value: Comparable>(_ x: UnsafeMutableBufferPointer<Value>, k: Int) -> Value {
        var lo = 0, hi = x.count - 1
        let k = min(max(k, 0), hi)
        while lo < hi {
            let pivot = x[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while x[i] < pivot { i += 1 }
                while x[j] > pivot { j -= 1 }
                if i <= j {
                    x.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return x[k] }
        }
        return x[k]
    }

    /// Linear-interpolated quantile `q` of `values` (non-empty) by selection, without sorting;
    /// reorders `values`.
    public static func quantile(_ values: inout [Float], _ q: Float) -> Float {
        let position = min(max(q, 0), 1) * Float(values.count - 1)
        let k = Int(position.rounded(.down))
        let f = position - Float(k)
        return values.withUnsafeMutableBufferPointer { x in
            let lower = selectInPlace(x, k: k)
            guard f > 0, k + 1 < x.count else { return lower }
            // Selection leaves everything after index k at least as large: the next order
            // statistic is the smallest of them.
            var upper = x[k + 1]
            for i in (k + 2)..<x.count where x[i] < upper { upper = x[i] }
            return lower + (upper - lower) * f
        }
    }

    /// Normalised (unbiased-overlap) autocorrelation of a zero-mean signal at `lag`, in [-1, 1].
    ///
    /// Moe-Nilssen & Helbostad 2004: the coefficient at the step lag (d1) measures step regularity,
    /// at the stride lag (d2) stride regularity; d1/d2 is a side-free symmetry measure.
    @inlinable
    public static func autocorrelation(_ x: UnsafeBufferPointer<Float>, lag: Int) -> Float {
        let n = x.count - lag
        guard n > 1, lag >= 0 else { return 0 }
        var sxy: Float = 0, sxx: Float = 0, syy: Float = 0
        for i in 0..<n {
            let a = x[i], b = x[i + lag]
            sxy += a * b
            sxx += a * a
            syy += b * b
        }
        let d = (sxx * syy).squareRoot()
        return d > 0 ? sxy / d : 0
    }

    /// `autocorrelation(x, lag:)` for every lag in `lags`, written to `output[lag]`: the same
    /// values bit for bit, eight lags at a time. Each lag's sums still run over i in order (a
    /// vector lane per lag), so nothing is reassociated; the lags share the loads of `x[i]` and of
    /// `x[i + lag ..< i + lag + 8]`, and the sum of squares of the overlap's start, a prefix sum.
    @inlinable
    public static func autocorrelations(_ x: UnsafeBufferPointer<Float>, lags: ClosedRange<Int>, into output: UnsafeMutableBufferPointer<Float>) {
        let count = x.count
        var lag = lags.lowerBound
        while lag <= lags.upperBound {
            // Every lag of the group must have more than one product in common with the others.
            let common = count - (lag + 7)
            guard lag >= 0, lag + 7 <= lags.upperBound, common > 1, let base = x.baseAddress else {
                output[lag] = autocorrelation(x, lag: lag)
                lag += 1
                continue
            }
            var sxy = SIMD8<Float>(), syy = SIMD8<Float>()
            var sxx: Float = 0
            let lagged = UnsafeRawPointer(base + lag)
            for i in 0..<common {
                let a = base[i]
                let b = lagged.loadUnaligned(fromByteOffset: i * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
                sxy += a * b
                sxx += a * a
                syy += b * b
            }
            // Lag lag + m has 7 - m products beyond the common part.
            for m in 0..<8 {
                let laneLag = lag + m
                var xy = sxy[m], xx = sxx, yy = syy[m]
                for i in common..<(count - laneLag) {
                    let a = base[i], b = base[i + laneLag]
                    xy += a * b
                    xx += a * a
                    yy += b * b
                }
                let d = (xx * yy).squareRoot()
                output[laneLag] = d > 0 ? xy / d : 0
            }
            lag += 8
        }
    }
}
