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

    /// Mean of a buffer.
    @inlinable
    public static func mean(_ x: UnsafeBufferPointer<Float>) -> Float {
        guard !x.isEmpty else { return 0 }
        var s: Float = 0
        for v in x { s += v }
        return s / Float(x.count)
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
