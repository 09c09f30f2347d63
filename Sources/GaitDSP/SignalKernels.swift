/// Hot-path signal kernels over contiguous `Float` buffers: smoothing, moments, autocorrelation.
///
/// They take `UnsafeBufferPointer`s so that the per-sample loops carry no bounds checks,
/// allocation or closures (house style, after swift-numerics).
public enum SignalKernels {
    /// Builds a normalised Gaussian kernel with standard deviation `sigmaSamples`, truncated at ±3σ.
    public static func gaussianKernel(sigmaSamples: Float) -> [Float] {
        let sigma = max(sigmaSamples, 0.3)
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = [Float](repeating: 0, count: 2 * radius + 1)
        var sum: Float = 0
        for i in -radius...radius {
            let v = expf(-0.5 * Float(i * i) / (sigma * sigma))
            kernel[i + radius] = v
            sum += v
        }
        for i in kernel.indices { kernel[i] /= sum }
        return kernel
    }

    /// Zero-phase smoothing: convolves `input` with a symmetric `kernel`, clamping at the edges.
    ///
    /// A symmetric FIR has no phase shift, so the same events come out whether the window is
    /// processed offline or as it streams in (with a delay of the kernel radius).
    @inlinable
    public static func convolveSymmetric(
        _ input: UnsafeBufferPointer<Float>, kernel: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>
    ) {
        let n = input.count
        let radius = kernel.count / 2
        guard n > 0 else { return }
        let inner0 = min(radius, n)
        let inner1 = max(inner0, n - radius)
        // Edges, clamped.
        for i in 0..<inner0 { output[i] = clampedTap(input, kernel, i, radius) }
        for i in inner1..<n { output[i] = clampedTap(input, kernel, i, radius) }
        // Interior: no clamping.
        if inner1 > inner0 {
            for i in inner0..<inner1 {
                var acc: Float = 0
                let base = i - radius
                for k in 0..<kernel.count { acc += kernel[k] * input[base + k] }
                output[i] = acc
            }
        }
    }

    @inlinable
    static func clampedTap(_ input: UnsafeBufferPointer<Float>, _ kernel: UnsafeBufferPointer<Float>, _ i: Int, _ radius: Int) -> Float {
        var acc: Float = 0
        let last = input.count - 1
        for k in 0..<kernel.count {
            let j = min(max(i - radius + k, 0), last)
            acc += kernel[k] * input[j]
        }
        return acc
    }

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
    public static func selectInPlace(_ x: UnsafeMutableBufferPointer<Float>, k: Int) -> Float {
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
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
