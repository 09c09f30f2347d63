#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds walking steps anywhere in a window, without needing the whole window to be regular gait:
/// a short bout between pauses, slow steps, a turn or a flight of stairs is walking as soon as a few
/// steps follow each other like steps.
///
/// 1. The vertical acceleration is band-passed (Gaussian low-pass minus a slow trend): one peak per
///    step, the loading peak that follows initial contact (McCamley et al. 2012 smooth the same
///    signal with a Gaussian wavelet to the same end).
/// 2. Candidate steps are its peaks, the strongest first, never closer than the shortest step.
/// 3. Chains of candidates with plausible, consistent step times (a pulse train, Paraschiv-Ionescu
///    et al. 2019) are built by dynamic programming over pairs of consecutive candidates, so one
///    stray peak cannot break a chain; candidates skipped between two steps must be small.
/// 4. The longest chains are walking if they have enough steps (or continue walking already
///    committed), the clip keeps its tilt, no step is in flight, and consecutive steps (vertical)
///    and strides (horizontal) look alike.
///
/// All settings are in `WalkingDetectionConfiguration`. The buffers are kept between windows.
struct WalkingStepDetector: Sendable {
    var configuration = WalkingDetectionConfiguration()
    var rateHz: Float = 100

    /// Band-passed vertical acceleration of the last window, g.
    var band: [Float] = []
    var trend: [Float] = []
    var scratch: [Float] = []
    var secondScratch: [Float] = []
    var candidates: [Int] = []
    /// Candidate steps (indices into the window), in time order, and the rise into each, g.
    var peaks: [Int] = []
    var rises: [Float] = []
    var edges: [ChainEdge] = []
    /// `edges[edgeStart[i]..<edgeStart[i + 1]]` are the edges that end at peak i.
    var edgeStart: [Int] = []
    var edgeOrder: [Int] = []
    var used: [Bool] = []
    var chain: [Int] = []
    var chainTimes: [Float] = []
    var directions: [Vector3] = []

    /// The walking steps found: indices of their band-passed peaks in the window, in time order.
    var stepPeaks: [Int] = []
    /// Step times between consecutive walking steps of one chain, s.
    var stepTimesS: [Float] = []

    /// Two consecutive steps of a chain (peaks `from` → `to`), with the longest chain that ends with them.
    struct ChainEdge: Sendable {
        var from: Int
        var to: Int
        /// Steps in the chain that ends with this edge.
        var length: Int
        /// Sum of the steps' rises: among chains of equal length, the stronger wins.
        var score: Float
        /// The chain's previous edge, or -1.
        var previous: Int
    }

    mutating func configure(rateHz: Double, configuration: WalkingDetectionConfiguration) {
        self.rateHz = Float(rateHz)
        self.configuration = configuration
    }

    /// Finds the walking steps of one window.
    ///
    /// - Parameters:
    ///   - vertical: vertical acceleration without gravity over the window, g.
    ///   - segment, offset: the window's raw samples are `segment`'s elements `offset ..< offset + vertical.count`.
    ///   - continuing: the window index of the band-passed peak of the last walking step already
    ///     committed, when it lies in this window: a chain through it continues walking.
    mutating func detect(
        vertical: UnsafeBufferPointer<Float>, horizontal: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>),
        segment: SegmentBuffer, offset: Int, continuing: Int?
    ) {
        stepPeaks.removeAll(keepingCapacity: true)
        stepTimesS.removeAll(keepingCapacity: true)
        let n = vertical.count
        guard n >= 8 else { return }
        bandPass(vertical)
        findCandidates(count: n)
        linkCandidates()
        extractChains(count: n, horizontal: horizontal, segment: segment, offset: offset, continuing: continuing)
        stepPeaks.sort()
    }

    /// `band` = `vertical` low-passed minus `vertical` smoothed into its trend (three box passes each).
    mutating func bandPass(_ vertical: UnsafeBufferPointer<Float>) {
        let n = vertical.count
        func resize(_ a: inout [Float]) {
            if a.count != n { a = [Float](repeating: 0, count: n) }
        }
        resize(&band)
        resize(&trend)
        resize(&scratch)
        resize(&secondScratch)
        let bandWidth = SignalKernels.boxWidth(forGaussianSigma: configuration.bandSmoothingSigmaS * rateHz)
        let trendWidth = SignalKernels.boxWidth(forGaussianSigma: configuration.trendSigmaS * rateHz)
        band.withUnsafeMutableBufferPointer { b in
        trend.withUnsafeMutableBufferPointer { t in
        scratch.withUnsafeMutableBufferPointer { s in
        secondScratch.withUnsafeMutableBufferPointer { s2 in
            SignalKernels.boxSmooth(vertical, width: bandWidth, output: b, vertical, width: trendWidth, output: t)
            SignalKernels.boxSmooth(UnsafeBufferPointer(b), width: bandWidth, output: s,
                                    UnsafeBufferPointer(t), width: trendWidth, output: s2)
            SignalKernels.boxSmooth(UnsafeBufferPointer(s), width: bandWidth, output: b,
                                    UnsafeBufferPointer(s2), width: trendWidth, output: t)
            for i in 0..<n { b[i] -= t[i] }
        }}}}
    }

    /// Candidate steps: local maxima of `band` above half the smallest rise, the strongest first,
    /// at least 0.85 shortest step times apart; and the rise into each from the lowest point since
    /// the previous candidate (or one longest step back).
    mutating func findCandidates(count n: Int) {
        let floor = 0.5 * configuration.minimumRiseG
        candidates.removeAll(keepingCapacity: true)
        band.withUnsafeBufferPointer { b in
            for i in 1..<(n - 1) where b[i] > floor && b[i] >= b[i - 1] && b[i] > b[i + 1] { candidates.append(i) }
        }
        let b = band
        candidates.sort { b[$0] > b[$1] || (b[$0] == b[$1] && $0 < $1) }
        let spacing = Int(0.85 * configuration.minimumStepTimeS * rateHz)
        peaks.removeAll(keepingCapacity: true)
        for c in candidates where !peaks.contains(where: { abs($0 - c) < spacing }) { peaks.append(c) }
        peaks.sort()
        let longest = Int(configuration.maximumStepTimeS * rateHz)
        rises.removeAll(keepingCapacity: true)
        for (j, p) in peaks.enumerated() {
            let start = max(j == 0 ? 0 : peaks[j - 1], p - longest)
            var low = b[p]
            for i in start..<p where b[i] < low { low = b[i] }
            rises.append(b[p] - low)
        }
    }

    /// Every pair of candidates that can be consecutive walking steps becomes an edge, with the
    /// longest chain of consistent step times that ends with it.
    mutating func linkCandidates() {
        let k = peaks.count
        edges.removeAll(keepingCapacity: true)
        edgeStart.removeAll(keepingCapacity: true)
        let shortest = configuration.minimumStepTimeS * rateHz, longest = configuration.maximumStepTimeS * rateHz
        let ratio = configuration.maximumStepTimeRatio
        for i in 0..<k {
            edgeStart.append(edges.count)
            guard rises[i] >= configuration.minimumRiseG else { continue }
            var j = i - 1
            while j >= 0 {
                defer { j -= 1 }
                let dt = Float(peaks[i] - peaks[j])
                if dt > longest { break }
                guard dt >= shortest, rises[j] >= configuration.minimumRiseG else { continue }
                // A candidate skipped between two steps must be small beside them (a bump, not a step).
                let skippedLimit = 0.5 * min(band[peaks[i]], band[peaks[j]])
                var skipsAStep = false
                for m in (j + 1)..<i where band[peaks[m]] > skippedLimit { skipsAStep = true }
                if skipsAStep { continue }
                var best = ChainEdge(from: j, to: i, length: 2, score: rises[i] + rises[j], previous: -1)
                for e in edgeStart[j]..<edgeStart[j + 1] {
                    let previousDt = Float(peaks[j] - peaks[edges[e].from])
                    let r = dt / previousDt
                    guard r <= ratio, r * ratio >= 1 else { continue }
                    let length = edges[e].length + 1, score = edges[e].score + rises[i]
                    if length > best.length || (length == best.length && score > best.score) {
                        best.length = length
                        best.score = score
                        best.previous = e
                    }
                }
                edges.append(best)
            }
        }
        edgeStart.append(edges.count)
    }

    /// Takes chains longest first (each candidate in one chain at most) and keeps those that are walking.
    mutating func extractChains(
        count n: Int, horizontal: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>),
        segment: SegmentBuffer, offset: Int, continuing: Int?
    ) {
        edgeOrder.removeAll(keepingCapacity: true)
        for e in edges.indices { edgeOrder.append(e) }
        let all = edges
        edgeOrder.sort { a, b in
            let x = all[a], y = all[b]
            if x.length != y.length { return x.length > y.length }
            if x.score != y.score { return x.score > y.score }
            return a < b
        }
        used.removeAll(keepingCapacity: true)
        used.append(contentsOf: repeatElement(false, count: peaks.count))
        let tolerance = Int(0.1 * rateHz)
        for e in edgeOrder {
            let edge = edges[e]
            guard !used[edge.to], !used[edge.from] else { continue }
            chain.removeAll(keepingCapacity: true)
            chain.append(edge.to)
            chain.append(edge.from)
            var previous = edge.previous
            while previous >= 0, !used[edges[previous].from] {
                chain.append(edges[previous].from)
                previous = edges[previous].previous
            }
            chain.reverse()
            let continues = continuing.map { c in chain.contains { abs(peaks[$0] - c) <= tolerance } } ?? false
            guard chain.count >= configuration.minimumSteps || continues else { continue }
            guard isWalking(count: n, horizontal: horizontal, segment: segment, offset: offset) else { continue }
            for (position, c) in chain.enumerated() {
                used[c] = true
                stepPeaks.append(peaks[c])
                if position > 0 { stepTimesS.append(Float(peaks[c] - peaks[chain[position - 1]]) / rateHz) }
            }
        }
    }

    /// Whether the chain in `chain` moves like walking: no flight, a steady clip, alike steps and strides.
    mutating func isWalking(
        count n: Int, horizontal: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>), segment: SegmentBuffer, offset: Int
    ) -> Bool {
        let first = peaks[chain[0]], last = peaks[chain[chain.count - 1]]
        chainTimes.removeAll(keepingCapacity: true)
        for i in 1..<chain.count { chainTimes.append(Float(peaks[chain[i]] - peaks[chain[i - 1]])) }
        let stepSamples = SignalKernels.quantile(&chainTimes, 0.5)
        let halfSecond = Int(0.5 * rateHz)
        let maximumTiltCosine = cosf(configuration.maximumTiltDeg * Float.pi / 180)
        return segment.ax.withUnsafeBufferPointer { ax in
        segment.ay.withUnsafeBufferPointer { ay in
        segment.az.withUnsafeBufferPointer { az in
            // Free fall (specific force below ~0.45 g) is flight: running, not walking.
            let spanStart = max(0, first - Int(0.5 * stepSamples)), spanEnd = min(n, last + Int(0.5 * stepSamples))
            var inFlight = 0
            for i in (offset + spanStart)..<(offset + spanEnd) where ax[i] * ax[i] + ay[i] * ay[i] + az[i] * az[i] < 0.2 {
                inFlight += 1
            }
            if Float(inFlight) > configuration.maximumFlightShare * Float(spanEnd - spanStart) { return false }

            // The clip's gravity direction (mean over ±0.5 s) at each step, against the chain's mean.
            var meanX: Float = 0, meanY: Float = 0, meanZ: Float = 0
            directions.removeAll(keepingCapacity: true)
            for c in chain {
                let p = peaks[c]
                let from = offset + max(0, p - halfSecond), to = offset + min(n, p + halfSecond + 1)
                var sx: Float = 0, sy: Float = 0, sz: Float = 0
                for i in from..<to { sx += ax[i]; sy += ay[i]; sz += az[i] }
                let direction = Vector3(sx, sy, sz).normalized
                directions.append(direction)
                meanX += direction.x
                meanY += direction.y
                meanZ += direction.z
            }
            let mean = Vector3(meanX, meanY, meanZ).normalized
            for direction in directions where direction.dot(mean) < maximumTiltCosine { return false }

            // Consecutive steps alike: correlation of the band-passed vertical acceleration around
            // their peaks (band-passed, as sensors and shoes differ most in what they add above the
            // step's own frequencies); and strides alike: of the horizontal acceleration around
            // every other peak (AP repeats every step, the ML sway every stride). Step and stride
            // regularity, Moe-Nilssen & Helbostad 2004.
            let half = Int(0.4 * stepSamples)
            guard half > 1 else { return true }
            var stepSimilarity: Float = 0, strideSimilarity: Float = 0
            var stepPairs = 0, stridePairs = 0
            band.withUnsafeBufferPointer { band in
                for i in 1..<chain.count {
                    let p = peaks[chain[i - 1]], q = peaks[chain[i]]
                    guard p - half >= 0, q + half <= n else { continue }
                    stepSimilarity += Self.correlation(band, p - half, q - half, count: 2 * half)
                    stepPairs += 1
                }
            }
            for i in 2..<max(2, chain.count) {
                let p = peaks[chain[i - 2]], q = peaks[chain[i]]
                guard p - half >= 0, q + half <= n else { continue }
                strideSimilarity += Self.correlation(horizontal, p - half, q - half, count: 2 * half)
                stridePairs += 1
            }
            guard stepPairs > 0 else { return true }
            stepSimilarity /= Float(stepPairs)
            guard stepSimilarity >= configuration.minimumStepSimilarity else { return false }
            guard stridePairs > 0 else { return true }
            return 0.5 * (stepSimilarity + strideSimilarity / Float(stridePairs)) >= configuration.minimumGaitRegularity
        }}}
    }

    /// Correlation of the horizontal acceleration (two axes) over `a ..< a + count` and `b ..< b + count`,
    /// each about its own mean.
    static func correlation(
        _ h: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>), _ a: Int, _ b: Int, count: Int
    ) -> Float {
        var m1a: Float = 0, m2a: Float = 0, m1b: Float = 0, m2b: Float = 0
        for k in 0..<count {
            m1a += h.0[a + k]; m2a += h.1[a + k]
            m1b += h.0[b + k]; m2b += h.1[b + k]
        }
        let inverse = 1 / Float(count)
        m1a *= inverse; m2a *= inverse; m1b *= inverse; m2b *= inverse
        var uv: Float = 0, uu: Float = 0, vv: Float = 0
        for k in 0..<count {
            let u1 = h.0[a + k] - m1a, u2 = h.1[a + k] - m2a
            let v1 = h.0[b + k] - m1b, v2 = h.1[b + k] - m2b
            uv += u1 * v1 + u2 * v2
            uu += u1 * u1 + u2 * u2
            vv += v1 * v1 + v2 * v2
        }
        let d = (uu * vv).squareRoot()
        return d > 0 ? uv / d : 0
    }

    /// Pearson correlation of `x[a ..< a + count]` and `x[b ..< b + count]`.
    static func correlation(_ x: UnsafeBufferPointer<Float>, _ a: Int, _ b: Int, count: Int) -> Float {
        var su: Float = 0, sv: Float = 0
        for k in 0..<count {
            su += x[a + k]
            sv += x[b + k]
        }
        let mu = su / Float(count), mv = sv / Float(count)
        var uv: Float = 0, uu: Float = 0, vv: Float = 0
        for k in 0..<count {
            let u = x[a + k] - mu, v = x[b + k] - mv
            uv += u * v
            uu += u * u
            vv += v * v
        }
        let d = (uu * vv).squareRoot()
        return d > 0 ? uv / d : 0
    }
}
