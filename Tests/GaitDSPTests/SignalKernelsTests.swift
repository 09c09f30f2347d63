import Foundation
import GaitDSP
import Testing

/// The optimised kernels against their naive definitions.
@Suite struct SignalKernelsTests {
    static func randomValues(_ n: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state) >> 40) / Float(1 << 20)
        }
    }

    @Test(arguments: [1, 2, 3, 10, 101, 1000])
    func selectionQuantileEqualsTheSortedDefinition(count: Int) {
        let values = Self.randomValues(count, seed: UInt64(count))
        let sorted = values.sorted()
        for q: Float in [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1] {
            var copy = values
            let position = q * Float(count - 1)
            let lower = Int(position.rounded(.down)), upper = min(count - 1, lower + 1)
            let expected = sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Float(lower))
            #expect(abs(SignalKernels.quantile(&copy, q) - expected) <= 1e-4 * max(1, abs(expected)), "q \(q) of \(count)")
        }
    }

    @Test func selectionHandlesManyEqualValues() {
        var values = [Float](repeating: 3, count: 50) + [1, 2, 4, 5]
        #expect(SignalKernels.quantile(&values, 0.5) == 3)
        var k = [Float](repeating: 7, count: 9)
        #expect(k.withUnsafeMutableBufferPointer { SignalKernels.selectInPlace($0, k: 4) } == 7)
    }

    @Test(arguments: [1, 3, 5, 9, 21])
    func boxSmoothEqualsTheCentredMeanOfAvailableSamples(width: Int) {
        let input = Self.randomValues(200, seed: 9)
        var output = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { i in output.withUnsafeMutableBufferPointer { SignalKernels.boxSmooth(i, width: width, output: $0) } }
        let radius = width / 2
        for index in input.indices {
            let lo = max(0, index - radius), hi = min(input.count - 1, index + radius)
            let expected = input[lo...hi].reduce(0, +) / Float(hi - lo + 1)
            #expect(abs(output[index] - expected) < 1e-4, "index \(index) width \(width)")
        }
    }

    /// An impulse comes out as the kernel: unit sum and the asked standard deviation (within the
    /// truncation at 3σ), where three passes of the nearest box are 75 % wider at σ 0.8 samples;
    /// a constant stays constant up to the edges.
    @Test(arguments: [0.8, 2.0, 3.3])
    func gaussianSmoothHasTheAskedWidthAndKeepsAConstant(sigma: Float) {
        func smooth(_ input: [Float]) -> [Float] {
            var output = [Float](repeating: 0, count: input.count)
            var weights = [Float](repeating: 0, count: 2 * SignalKernels.gaussianRadius(sigmaSamples: sigma) + 1)
            input.withUnsafeBufferPointer { i in output.withUnsafeMutableBufferPointer { o in weights.withUnsafeMutableBufferPointer { w in
                SignalKernels.gaussianSmooth(i, sigmaSamples: sigma, output: o, weights: w)
            }}}
            return output
        }
        var impulse = [Float](repeating: 0, count: 41)
        impulse[20] = 1
        let kernel = smooth(impulse)
        let sum = kernel.reduce(0, +)
        let variance = kernel.enumerated().reduce(Float(0)) { $0 + $1.element * Float(($1.offset - 20) * ($1.offset - 20)) }
        #expect(abs(sum - 1) < 1e-5)
        #expect(abs(variance.squareRoot() - sigma) < 0.02 * sigma, "σ \(variance.squareRoot()), asked \(sigma)")
        #expect(smooth([Float](repeating: 2.5, count: 30)).allSatisfy { abs($0 - 2.5) < 1e-5 })
        let box = SignalKernels.threePassSigma(width: SignalKernels.boxWidth(forGaussianSigma: 0.8))
        #expect(box > 1.7 * 0.8, "three passes of a box at σ 0.8: \(box)")
    }

    @Test func autocorrelationOfAPeriodicSignalPeaksAtItsPeriod() {
        let signal = (0..<400).map { Float(sin(2 * Double.pi * Double($0) / 25)) }
        let atPeriod = signal.withUnsafeBufferPointer { SignalKernels.autocorrelation($0, lag: 25) }
        let atHalf = signal.withUnsafeBufferPointer { SignalKernels.autocorrelation($0, lag: 12) }
        #expect(atPeriod > 0.99)
        #expect(atHalf < -0.9)
    }

    @Test func eventMatchingIsOneToOneWithinTolerance() {
        let m = EventMatch.match(detected: [1.0, 1.02, 2.0, 3.5], reference: [1.01, 2.04, 3.0], toleranceS: 0.05)
        #expect(m.truePositives == 2)
        #expect(m.falsePositives == 2)
        #expect(m.falseNegatives == 1)
        #expect(abs(m.f1 - 4.0 / 7.0) < 1e-9)
    }
}
