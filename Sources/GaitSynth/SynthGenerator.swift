import Foundation

/// Streams a synthetic session chunk by chunk, with its ground truth.
///
/// The physics, in the body frame (V up, ML right, AP forward; specific force, +1 g on V at rest):
/// - Running step: stance (contact time) then flight. Flight reads 0 g on every axis (free fall).
///   Stance V is a half-sine active bump plus a raised-cosine impact transient peaking
///   `impactRiseTimeS` after contact, sized so the step mean is exactly 1 g (impulse balance).
///   AP: braking (negative, peak −brakingPeakG) over the first 45 % of stance, propulsion after,
///   zero net. ML: towards +ML (right) during a left stance, −ML during a right stance (the
///   ground pushes the pelvis medially, back over the midline), equal impulse per side so the
///   stride mean is 0 (after Lee, Sutter et al. 2010; Zijlstra & Hof 2003).
/// - Walking step: V around 1 g with a loading peak ~15 % of the step after contact and a trough
///   in mid single support; AP forward peak just before contact and braking just after it
///   (Zijlstra & Hof 2003); ML as running, smaller.
/// - Standing: 1 g on V and a few mg of sway.
/// - Pelvis (gyroscope, and the small tilts it gives the accelerometer): yaw rate positive (turning
///   left) during the left step, the pelvis rotating with the swing leg; roll positive (right side
///   down) around left mid-stance, the contralateral drop (Schache et al. 1999; Novacheck 1998);
///   a small pitch nod at step frequency. Lean is a constant forward pitch per step (standing is
///   upright), so forward lean reads −sin(lean) g on AP.
/// - The body signal is rotated into the sensor frame by `mountRotation`; noise is then added per
///   sensor axis. Segment changes ramp over `transitionSteps` steps.
///
/// Memory is bounded by one step of samples plus the ground truth (`steps`, `bouts`; drain them with
/// `takeSteps()` for very long sessions). Chunking never changes the output: the concatenation of any
/// sequence of chunks equals one-shot generation bit for bit, because each random stream is consumed
/// per sample in time order.
public struct SynthGenerator: Sendable {
    /// The configuration being generated.
    public let config: SynthConfig
    /// Ground truth of every step produced so far (those whose samples have started), in order.
    public internal(set) var steps: [SynthStep] = []
    /// Ground truth of every completed bout, in order.
    public internal(set) var bouts: [SynthBout] = []
    /// Whether every sample has been produced.
    public private(set) var isFinished = false

    // The plan.
    let segmentEndsS: [Double]
    var segmentIndex = 0
    var segmentStartS = 0.0
    var segmentStepCount = 0
    var segmentStepTimeSumS = 0.0
    var previousKind: SynthActivity = .standing
    var previousCadenceSpm = 0.0
    var previousEffort = 1.0
    var unitStartS = 0.0
    var nextSide: SynthSide
    var stepRandom: SynthRandom

    // The current unit, rendered noise-free in the sensor frame.
    var unit: GaitUnit
    private var unitFirstSample = 0
    private var unitCursor = 0
    private var unitAccel: ([Float], [Float], [Float]) = ([], [], [])
    private var unitGyro: ([Float], [Float], [Float]) = ([], [], [])
    private var scratch = RenderScratch()

    // Output.
    private let mount: [Double]
    private let droppedSampleRanges: [Range<Int>]
    private var gapIndex = 0
    private var noise: [SynthGaussianStream]
    private var timestampRandom: SynthGaussianStream
    private var lastReportedS = -Double.infinity

    /// Creates a generator; traps if `config.problems()` is not empty.
    public init(config: SynthConfig) {
        let problems = config.problems()
        precondition(problems.isEmpty, "SynthConfig: " + problems.joined(separator: "; "))
        self.config = config
        var ends: [Double] = []
        var total = 0.0
        for segment in config.segments {
            total += segment.durationS
            ends.append(total)
        }
        segmentEndsS = ends
        nextSide = config.firstSide
        stepRandom = SynthRandom(seed: config.seed, stream: 1)
        noise = (0..<6).map { SynthGaussianStream(seed: config.seed, stream: 10 + UInt64($0)) }
        timestampRandom = SynthGaussianStream(seed: config.seed, stream: 2)
        mount = config.mountRotation.matrix
        let rate = config.sampleRateHz
        droppedSampleRanges = config.gaps
            .map { Self.sampleIndex(atOrAfter: $0.atS, rate: rate)..<Self.sampleIndex(atOrAfter: $0.atS + max($0.durationS, 0), rate: rate) }
            .filter { !$0.isEmpty }
            .sorted { $0.lowerBound < $1.lowerBound }
        unit = .standing(startS: 0, durationS: 0, side: config.firstSide)
    }

    static func sampleIndex(atOrAfter timeS: Double, rate: Double) -> Int {
        Int((timeS * rate).rounded(.up))
    }

    /// Samples held in the generator's internal buffers (one step or one second of standing at most);
    /// exposed so that tests can check memory stays bounded.
    public var bufferedSampleCapacity: Int {
        unitAccel.0.capacity + unitAccel.1.capacity + unitAccel.2.capacity
            + unitGyro.0.capacity + unitGyro.1.capacity + unitGyro.2.capacity + scratch.capacity
    }

    /// Returns and forgets the ground-truth steps produced so far, for consumers of long sessions
    /// that must keep memory bounded.
    public mutating func takeSteps() -> [SynthStep] {
        defer { steps.removeAll(keepingCapacity: true) }
        return steps
    }

    /// The next chunk of at most `maxSamples` samples, or nil when the session is over.
    public mutating func next(maxSamples: Int) -> SynthChunk? {
        var chunk = SynthChunk()
        chunk.reserveCapacity(maxSamples, gyro: config.includeGyro)
        return next(into: &chunk, maxSamples: maxSamples) ? chunk : nil
    }

    /// Replaces `chunk`'s contents (reusing its storage) with the next samples, at most `maxSamples`,
    /// and returns false when there were none left. Only the last chunk is shorter than `maxSamples`.
    public mutating func next(into chunk: inout SynthChunk, maxSamples: Int) -> Bool {
        precondition(maxSamples > 0, "maxSamples must be positive")
        chunk.removeAll(keepingCapacity: true)
        while chunk.count < maxSamples {
            let unitCount = unitAccel.0.count
            if unitCursor >= unitCount {
                if isFinished || !startNextUnit() {
                    isFinished = true
                    break
                }
                continue
            }
            // Emit up to the end of the unit, the chunk, or the next gap boundary.
            let first = unitFirstSample + unitCursor
            var end = unitFirstSample + unitCount
            while gapIndex < droppedSampleRanges.count && droppedSampleRanges[gapIndex].upperBound <= first {
                gapIndex += 1
            }
            var dropping = false
            if gapIndex < droppedSampleRanges.count {
                let gap = droppedSampleRanges[gapIndex]
                if gap.contains(first) {
                    dropping = true
                    end = min(end, gap.upperBound)
                } else {
                    end = min(end, gap.lowerBound)
                }
            }
            if !dropping { end = min(end, first + (maxSamples - chunk.count)) }
            emit(count: end - first, dropping: dropping, into: &chunk)
        }
        return !chunk.isEmpty
    }

    /// Adds noise and timestamps to `count` rendered samples from the cursor and appends them, or,
    /// when `dropping`, consumes the same random numbers and appends nothing.
    private mutating func emit(count: Int, dropping: Bool, into chunk: inout SynthChunk) {
        let from = unitCursor, to = unitCursor + count
        let noiseG = Float(config.noiseG), gyroNoise = Float(config.gyroNoiseDPS)
        Self.emitChannel(unitAccel.0, from, to, noiseG, &noise[0], dropping, &chunk.accelXG)
        Self.emitChannel(unitAccel.1, from, to, noiseG, &noise[1], dropping, &chunk.accelYG)
        Self.emitChannel(unitAccel.2, from, to, noiseG, &noise[2], dropping, &chunk.accelZG)
        if config.includeGyro {
            Self.emitChannel(unitGyro.0, from, to, gyroNoise, &noise[3], dropping, &chunk.gyroXDPS)
            Self.emitChannel(unitGyro.1, from, to, gyroNoise, &noise[4], dropping, &chunk.gyroYDPS)
            Self.emitChannel(unitGyro.2, from, to, gyroNoise, &noise[5], dropping, &chunk.gyroZDPS)
        }
        let jitter = config.timestampJitterS
        let rate = config.sampleRateHz
        let firstIndex = unitFirstSample + from
        if jitter > 0 {
            var stream = timestampRandom
            var last = lastReportedS
            SynthGaussianStream.inverseNormalTable.withUnsafeBufferPointer { table in
                for k in 0..<count {
                    let reported = max(Double(firstIndex + k) / rate + jitter * Double(stream.next(table)), last)
                    if !dropping {
                        chunk.timeS.append(reported)
                        last = reported
                    }
                }
            }
            timestampRandom = stream
            lastReportedS = last
        } else if !dropping {
            chunk.timeS.append(contentsOf: (firstIndex..<(firstIndex + count)).lazy.map { Double($0) / rate })
        }
        unitCursor = to
    }

    private static func emitChannel(_ source: [Float], _ from: Int, _ to: Int, _ sd: Float,
                                    _ noise: inout SynthGaussianStream, _ dropping: Bool, _ out: inout [Float]) {
        if sd == 0 {
            if !dropping { out.append(contentsOf: source[from..<to]) }
            return
        }
        var stream = noise
        defer { noise = stream }
        SynthGaussianStream.inverseNormalTable.withUnsafeBufferPointer { table in
            if dropping {
                for _ in from..<to { _ = stream.next(table) }
                return
            }
            let base = out.count
            out.append(contentsOf: source[from..<to])
            out.withUnsafeMutableBufferPointer { o in
                for k in base..<o.count { o[k] += sd * stream.next(table) }
            }
        }
    }

    // MARK: Rendering

    /// Renders the current unit's samples, noise-free, into the sensor frame.
    ///
    /// Body = Roll(ρ)ᵀ · Pitch(θ − lean)ᵀ · Yaw(ψ)ᵀ · level, in (V, ML, AP) coordinates, where the pelvis
    /// orientation is Yaw about V, then Pitch about ML, then Roll about AP (intrinsic), all right-handed:
    /// positive yaw turns the runner left, positive pitch tilts the pelvis backward (so forward lean is
    /// negative pitch and the AP axis then reads −sin(lean) g at rest), positive roll lowers the right
    /// side. The pelvis rotates with the swing leg (positive yaw rate during the left step) and drops on
    /// the side opposite the stance leg (positive roll around left mid-stance) (Schache et al. 1999,
    /// lumbo-pelvic kinematics in running; Novacheck 1998). The angular velocity is exact for this Euler
    /// order: ω = Rollᵀ Pitchᵀ (ψ̇ e_V) + Rollᵀ (θ̇ e_ML) + ρ̇ e_AP. Then sensor = mount · body.
    mutating func renderUnit() {
        let rate = config.sampleRateHz
        let period = 1 / rate
        let first = Self.sampleIndex(atOrAfter: unit.startS, rate: rate)
        let end = Self.sampleIndex(atOrAfter: unit.startS + unit.durationS, rate: rate)
        let n = max(end - first, 0)
        unitFirstSample = first
        unitCursor = 0
        let gyro = config.includeGyro
        Self.resize(&unitAccel.0, n); Self.resize(&unitAccel.1, n); Self.resize(&unitAccel.2, n)
        if gyro { Self.resize(&unitGyro.0, n); Self.resize(&unitGyro.1, n); Self.resize(&unitGyro.2, n) }
        let u = unit
        let m = (mount[0], mount[1], mount[2], mount[3], mount[4], mount[5], mount[6], mount[7], mount[8])
        let (sinLean, cosLean) = (sin(u.leanRad), cos(u.leanRad))
        let small = max(abs(u.yawRad), abs(u.rollRad), abs(u.tiltRad)) <= 0.4
        let degrees = 180 / Double.pi
        let twoPi = 2 * Double.pi
        let tau0 = Double(first) / rate - u.startS
        // Stride phase as a unit phasor (cos 2πφ, sin 2πφ) advanced by a fixed turn per sample.
        let phaseRate = u.isStep && u.durationS > 0 ? 0.5 / u.durationS : 0
        let phase0 = u.stridePhaseStart + max(tau0, 0) * phaseRate
        var (c, s) = (cos(twoPi * phase0), sin(twoPi * phase0))
        let (stepC, stepS) = (cos(twoPi * phaseRate * period), sin(twoPi * phaseRate * period))
        let omega = twoPi * phaseRate
        let (rollC, rollS) = (u.rollRad * cos(twoPi * 0.07), u.rollRad * sin(twoPi * 0.07))
        let (tiltC, tiltS) = (u.tiltRad * cos(twoPi * 0.05), u.tiltRad * sin(twoPi * 0.05))
        Self.resize(&scratch.vertical, n); Self.resize(&scratch.mediolateral, n); Self.resize(&scratch.anteroposterior, n)
        Self.resize(&scratch.cosPhase, n); Self.resize(&scratch.sinPhase, n)
        // Pass 1, sequential and branchy: the level-frame signal and the stride phasor.
        let shapes = GaitShapes.shared
        shapes.sine.withUnsafeBufferPointer { sine in
        shapes.walkVertical.withUnsafeBufferPointer { walkV in
        shapes.walkAnteroposterior.withUnsafeBufferPointer { walkAP in
        scratch.vertical.withUnsafeMutableBufferPointer { fV in
        scratch.mediolateral.withUnsafeMutableBufferPointer { fML in
        scratch.anteroposterior.withUnsafeMutableBufferPointer { fAP in
        scratch.cosPhase.withUnsafeMutableBufferPointer { pc in
        scratch.sinPhase.withUnsafeMutableBufferPointer { ps in
            for k in 0..<n {
                let f = u.level(tau0 + Double(k) * period, sine: sine, walkV: walkV, walkAP: walkAP)
                fV[k] = Float(f.0)
                fML[k] = Float(f.1)
                fAP[k] = Float(f.2)
                pc[k] = Float(c)
                ps[k] = Float(s)
                (c, s) = (c * stepC - s * stepS, s * stepC + c * stepS)
            }
        }}}}}}}}
        // Pass 2, branch-free Float arithmetic the compiler can vectorise: pelvis angles from the
        // phasor, the rotations, the mount.
        let useSmallAngles = small
        let p = RotationConstants(
            yaw: Float(u.yawRad), omega: Float(omega), rollC: Float(rollC), rollS: Float(rollS),
            tiltC: Float(tiltC), tiltS: Float(tiltS), sinLean: Float(sinLean), cosLean: Float(cosLean),
            degrees: Float(degrees),
            m: (Float(m.0), Float(m.1), Float(m.2), Float(m.3), Float(m.4), Float(m.5), Float(m.6), Float(m.7), Float(m.8)))
        scratch.vertical.withUnsafeBufferPointer { fV in
        scratch.mediolateral.withUnsafeBufferPointer { fML in
        scratch.anteroposterior.withUnsafeBufferPointer { fAP in
        scratch.cosPhase.withUnsafeBufferPointer { pc in
        scratch.sinPhase.withUnsafeBufferPointer { ps in
        unitAccel.0.withUnsafeMutableBufferPointer { ax in
        unitAccel.1.withUnsafeMutableBufferPointer { ay in
        unitAccel.2.withUnsafeMutableBufferPointer { az in
            if useSmallAngles {
                for k in 0..<n {
                    let r = p.accel(fV[k], fML[k], fAP[k], pc[k], ps[k], sinCos: smallSinCosFloat)
                    ax[k] = r.0; ay[k] = r.1; az[k] = r.2
                }
            } else {
                for k in 0..<n {
                    let r = p.accel(fV[k], fML[k], fAP[k], pc[k], ps[k], sinCos: { (sin($0), cos($0)) })
                    ax[k] = r.0; ay[k] = r.1; az[k] = r.2
                }
            }
        }}}}}}}}
        guard gyro else { return }
        scratch.cosPhase.withUnsafeBufferPointer { pc in
        scratch.sinPhase.withUnsafeBufferPointer { ps in
        unitGyro.0.withUnsafeMutableBufferPointer { gx in
        unitGyro.1.withUnsafeMutableBufferPointer { gy in
        unitGyro.2.withUnsafeMutableBufferPointer { gz in
            if useSmallAngles {
                for k in 0..<n {
                    let r = p.gyro(pc[k], ps[k], sinCos: smallSinCosFloat)
                    gx[k] = r.0; gy[k] = r.1; gz[k] = r.2
                }
            } else {
                for k in 0..<n {
                    let r = p.gyro(pc[k], ps[k], sinCos: { (sin($0), cos($0)) })
                    gx[k] = r.0; gy[k] = r.1; gz[k] = r.2
                }
            }
        }}}}}
    }

    private static func resize(_ array: inout [Float], _ n: Int) {
        if array.count > n {
            array.removeLast(array.count - n)
        } else if array.count < n {
            array.append(contentsOf: repeatElement(0, count: n - array.count))
        }
    }
}
