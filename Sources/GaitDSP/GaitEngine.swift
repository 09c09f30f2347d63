/// Settings of the analysis engine. The defaults are what `gait analyze` uses.
public struct GaitEngineConfiguration: Sendable, Equatable {
    /// Nominal sampling rate of the input, Hz; nil to estimate it from the first 256 timestamps.
    public var nominalSampleRateHz: Double?
    /// Analysis window length, seconds.
    public var windowS: Double
    /// Hop between windows, seconds; each window commits the steps of its central `hopS`.
    public var hopS: Double
    /// Inputs faster than this are decimated by an integer factor (box average) to at most this rate, Hz.
    public var maxProcessingRateHz: Double
    /// A time step longer than this many nominal sample periods is a gap: the recording is split
    /// there and nothing is interpolated across it.
    public var gapSamplePeriods: Double
    /// Walking initial contact: fraction of the rise from the pre-contact minimum to the loading
    /// peak of vertical acceleration at which contact is placed.
    public var walkingContactRiseFraction: Float
    /// Running initial contact: the same fraction, for the sharp rise out of flight.
    public var runningContactRiseFraction: Float
    /// Running contact time: contact begins where the vertical acceleration has risen this
    /// fraction of the way from its flight floor to the stance peak. Design choice: near the
    /// floor, as the force plate's 0.05 BW threshold is, but above the floor's noise; tested by
    /// `gait validate SampleData/realrun`.
    public var flightExitFraction: Float = 0.1
    /// Running contact time: contact ends where the vertical acceleration has fallen back to this
    /// fraction of the way from the next flight floor to the stance peak (same reasoning).
    public var flightEntryFraction: Float = 0.05
    /// A sample whose vertical specific force is below this is in flight, g. Walking never reads
    /// below about 0.6 g; free fall reads 0 g. Design choice, tested by `RunningRangeTests`.
    public var flightVerticalLevelG: Float = 0.35
    /// Step frequency above which a regular, vigorous gait is running whatever its flight, steps/min
    /// (walking tops out near 140; race walking aside). Design choice, tested by `RunningRangeTests`.
    public var runningMinimumCadenceSpm: Float = 150
    /// Vertical acceleration SD over a window that counts as vigorous for running, g (running
    /// reads 0.4–0.9 g at the sacrum, brisk walking 0.15–0.3). Design choice, tested by `RunningRangeTests`.
    public var runningMinimumVerticalSDG: Float = 0.3
    /// Largest change of the clip's tilt between the two halves of a running window, degrees: a
    /// worn clip keeps its tilt, one handled does not. Design choice, tested by
    /// `WalkingDetectionTests.theClipInTheHandIsSeldomTakenForWalking` and `RunningRangeTests`.
    public var runningMaximumTiltChangeDeg: Float = 20
    /// What counts as a walking step and as walking (found step by step, not per window).
    public var walking = WalkingDetectionConfiguration()
    /// Longest session accepted, seconds from the first sample: samples further from it (either
    /// way), or at a time that is not a finite number, are left out with a warning. Design choice:
    /// a clip records for a few days on a charge, so 7 days is far beyond any real session, while
    /// a hand-edited digit (10¹² s) or a corrupted clock lands far beyond it; the readers refuse
    /// such files with the same limit (`SessionTimeLimits`). Tested by `GaitEngineGapTests`.
    public var maximumSessionSpanS: Double = 7 * 86_400
    /// Sampling rates the engine analyses, Hz. A rate declared or estimated outside it is brought
    /// to the nearest end with a warning. Design choice: the same range `gait analyze
    /// --sample-rate` accepts; body-worn IMUs record at 12.5–3200 Hz. Tested by `GaitEngineRateTests`.
    public var supportedSampleRateHz: ClosedRange<Double> = 1...10_000

    /// Creates a configuration.
    public init(
        nominalSampleRateHz: Double? = nil, windowS: Double = 8, hopS: Double = 5,
        maxProcessingRateHz: Double = 200, gapSamplePeriods: Double = 4,
        walkingContactRiseFraction: Float = 0.7, runningContactRiseFraction: Float = 0.2
    ) {
        self.nominalSampleRateHz = nominalSampleRateHz
        self.windowS = windowS
        self.hopS = hopS
        self.maxProcessingRateHz = maxProcessingRateHz
        self.gapSamplePeriods = gapSamplePeriods
        self.walkingContactRiseFraction = walkingContactRiseFraction
        self.runningContactRiseFraction = runningContactRiseFraction
    }
}

/// The streaming gait engine: samples in (any block sizes), steps and summaries out.
///
/// Batch analysis is this engine fed from a file, so streaming and batch give the same steps and
/// metrics by construction. Samples are resampled onto a uniform grid (box-average decimation,
/// then linear interpolation, never across a gap), buffered for one window, and analysed window
/// by window; each window commits the steps of its central part. Memory is bounded by the window,
/// plus the per-step results.
public struct GaitEngine: Sendable {
    public let configuration: GaitEngineConfiguration

    // Rate and resampling.
    var pending = IMUBlock()
    var hasGyro = false
    var rateKnown = false
    /// Nominal input rate, Hz.
    public private(set) var sampleRateHz: Double = 0
    var decimation = 1
    /// Uniform processing rate, Hz.
    public private(set) var processingRateHz: Double = 0
    var gapS: Double = 0
    var timeOrigin: Double?
    var lastInputTime: Double = 0
    var groupCount = 0
    var groupTime: Double = 0
    var groupSum = Sample6()
    var hasPrevious = false
    var previousTime: Double = 0
    var previous = Sample6()
    /// Scratch for the group points of the block being consumed.
    var groupPoints = GroupPointBuffer()

    // Current segment on the uniform grid.
    var segment = SegmentBuffer()
    var segmentIndex = -1
    var windowStart = 0
    var firstWindowOfSegment = true
    var windowLength = 0
    var hopLength = 0

    // Results so far.
    var analyzer = WindowAnalyzer()
    /// Number of input samples consumed.
    public private(set) var sampleCount = 0
    var lastSampleRelativeS: Double = 0
    var warnings: [String] = []
    /// Samples left out because their time was not finite or beyond `maximumSessionSpanS`.
    public private(set) var samplesLeftOutForTime = 0

    /// Creates an engine.
    public init(configuration: GaitEngineConfiguration = GaitEngineConfiguration()) {
        self.configuration = configuration
        if let fs = configuration.nominalSampleRateHz, fs > 0 { setRate(fs, origin: "declared sampling rate") }
    }

    /// Steps committed so far (streaming view; side labels are final only after `finish`).
    public var committedStepCount: Int { analyzer.steps.count }

    /// Cadence of the most recent gait window, steps/min; nil before the first gait window.
    public var liveCadenceSpm: Float? { analyzer.lastGaitCadenceSpm }

    /// Samples held in the engine's buffers (the current window and the samples waiting for the
    /// rate to be known); bounded by a few windows whatever the session length.
    public var bufferedSampleCount: Int { segment.count + pending.count }

    /// Activity of the most recent window.
    public var liveActivity: ActivityKind? { analyzer.windows.last?.kind }

    /// Feeds a block of samples. Blocks may have any size; the result does not depend on it.
    public mutating func process(_ block: IMUBlock) {
        if block.count == 0 { return }
        // The first samples decide whether the session has a gyroscope, whether or not the rate
        // was known up front.
        if sampleCount == 0, pending.count == 0 { hasGyro = block.hasGyro }
        if !rateKnown {
            appendBlock(block, to: &pending)
            if pending.count >= 256 { resolveRateAndDrain() }
            return
        }
        consume(block)
    }

    /// Ends the stream and returns the analysis.
    public mutating func finish(input: InputDescription) -> GaitAnalysis {
        if !rateKnown { resolveRateAndDrain() }
        if groupCount > 0 { flushGroup() }
        closeSegment()
        var description = input
        description.sampleCount = sampleCount
        description.segmentCount = max(segmentIndex + 1, 0)
        description.hasGyroscope = hasGyro
        description.warnings += warnings
        return GaitSummarizer.summarize(
            analyzer: analyzer, input: description, sampleRateHz: sampleRateHz,
            processingRateHz: processingRateHz, durationS: lastSampleRelativeS)
    }

    // MARK: - Rate

    mutating func setRate(_ requested: Double, origin: String) {
        let range = configuration.supportedSampleRateHz
        let fs = requested.isFinite ? min(max(requested, range.lowerBound), range.upperBound) : 100
        if fs != requested {
            let stated = requested.isFinite ? String(format: "%.4g Hz", requested) : "a rate that is not a number"
            warnings.append("the \(origin) (\(stated)) is outside the supported "
                            + String(format: "%.0f–%.0f Hz; analysed as %.4g Hz", range.lowerBound, range.upperBound, fs))
        }
        sampleRateHz = fs
        decimation = max(1, Int((fs / configuration.maxProcessingRateHz).rounded(.down)))
        processingRateHz = fs / Double(decimation)
        gapS = configuration.gapSamplePeriods / fs * Double(decimation) + 0.5 / fs
        windowLength = max(16, Int((configuration.windowS * processingRateHz).rounded()))
        hopLength = max(8, Int((configuration.hopS * processingRateHz).rounded()))
        analyzer.configure(rateHz: processingRateHz, configuration: configuration)
        rateKnown = true
    }

    mutating func resolveRateAndDrain() {
        if !rateKnown {
            var fs = 100.0
            if pending.count >= 2 {
                var diffs: [Double] = []
                diffs.reserveCapacity(pending.count - 1)
                for i in 1..<pending.count {
                    let d = pending.timeS[i] - pending.timeS[i - 1]
                    if d > 0 { diffs.append(d) }
                }
                diffs.sort()
                if !diffs.isEmpty {
                    let median = diffs[diffs.count / 2]
                    if median > 0 { fs = 1 / median }
                }
            }
            setRate(fs, origin: "sampling rate implied by the time column")
        }
        let drained = pending
        pending = IMUBlock()
        if drained.count > 0 { consume(drained) }
    }

    // MARK: - Resampling

    /// Group points decimated from a block before they are interpolated onto the grid; bounds the
    /// scratch whatever the block size.
    static let groupPointsPerStretch = 4096

    /// Decimates the block into group points and interpolates them onto the uniform grid, one
    /// stretch of the block at a time.
    mutating func consume(_ block: IMUBlock) {
        if block.count == 0 { return }
        if timeOrigin == nil, let first = block.timeS.first(where: \.isFinite) { timeOrigin = first }
        guard let origin = timeOrigin else {
            noteTimesLeftOut(block.count)
            return
        }
        var block = block
        if !Self.timesWithinSpan(block.timeS, origin: origin, spanS: configuration.maximumSessionSpanS) {
            let before = block.count
            block = Self.keepingTimesWithinSpan(block, origin: origin, spanS: configuration.maximumSessionSpanS)
            noteTimesLeftOut(before - block.count)
            if block.count == 0 { return }
        }
        let n = block.count
        // The scratch is moved out of `self` while the block is decimated into it.
        var points = groupPoints
        groupPoints = GroupPointBuffer()
        var i = 0
        while i < n {
            points.removeAll(keepingRoomFor: Self.groupPointsPerStretch)
            i = decimate(block, from: i, into: &points)
            interpolate(points)
        }
        groupPoints = points
        lastSampleRelativeS = lastInputTime
    }

    /// Whether every time is finite and within `spanS` of `origin`, seconds (one pass, no allocation).
    static func timesWithinSpan(_ times: [Double], origin: Double, spanS: Double) -> Bool {
        times.withUnsafeBufferPointer { t in
            var inside = true
            for time in t { inside = inside && abs(time - origin) <= spanS }
            return inside
        }
    }

    /// The samples of `block` whose time is finite and within `spanS` of `origin`.
    static func keepingTimesWithinSpan(_ block: IMUBlock, origin: Double, spanS: Double) -> IMUBlock {
        var kept = IMUBlock(capacity: block.count, hasGyro: block.hasGyro)
        for i in 0..<block.count where abs(block.timeS[i] - origin) <= spanS {
            if block.hasGyro {
                kept.append(timeS: block.timeS[i], x: block.accelXG[i], y: block.accelYG[i], z: block.accelZG[i],
                            gx: block.gyroXDPS[i], gy: block.gyroYDPS[i], gz: block.gyroZDPS[i])
            } else {
                kept.append(timeS: block.timeS[i], x: block.accelXG[i], y: block.accelYG[i], z: block.accelZG[i])
            }
        }
        return kept
    }

    /// Counts samples left out for their time, and warns once.
    mutating func noteTimesLeftOut(_ count: Int) {
        guard count > 0 else { return }
        if samplesLeftOutForTime == 0 {
            warnings.append(String(format: "samples whose time is not a number or more than %.0f days from the first sample were left out",
                                   configuration.maximumSessionSpanS / 86_400))
        }
        samplesLeftOutForTime += count
    }

    /// Box-averages groups of `decimation` samples of `block`, from sample `start`, into `points`
    /// until the block ends or `points` is full; returns the first sample not consumed. A group
    /// may straddle blocks: its first samples wait in `groupSum`.
    mutating func decimate(_ block: IMUBlock, from start: Int, into points: inout GroupPointBuffer) -> Int {
        let n = block.count
        let gyro = hasGyro && block.hasGyro
        let origin = timeOrigin!
        let k = decimation
        let capacity = points.capacity
        var count = points.count
        var breaks: [Int] = []
        var i = start
        points.timeS.withUnsafeMutableBufferPointer { pointTime in
        points.channels.withUnsafeMutableBufferPointer { pointChannels in
        block.timeS.withUnsafeBufferPointer { t in
        block.accelXG.withUnsafeBufferPointer { ax in
        block.accelYG.withUnsafeBufferPointer { ay in
        block.accelZG.withUnsafeBufferPointer { az in
        block.gyroXDPS.withUnsafeBufferPointer { gx in
        block.gyroYDPS.withUnsafeBufferPointer { gy in
        block.gyroZDPS.withUnsafeBufferPointer { gz in
            let pax = pointChannels.baseAddress!, pay = pax + capacity, paz = pay + capacity
            let pgx = paz + capacity, pgy = pgx + capacity, pgz = pgy + capacity
            func store(_ time: Double, _ s: Sample6) {
                pointTime[count] = time
                pax[count] = s.ax; pay[count] = s.ay; paz[count] = s.az
                pgx[count] = s.gx; pgy[count] = s.gy; pgz[count] = s.gz
                count += 1
            }
            // An input sample yields at most two points (a group closed early, then a group of one).
            while i < n, count + 2 <= capacity {
                // Fast path: a whole group of k samples in time order, summed in registers.
                if groupCount == 0, i + k <= n, t[i] - origin >= lastInputTime {
                    var ordered = true
                    var sumT = 0.0
                    var sx: Float = 0, sy: Float = 0, sz: Float = 0
                    var previousT = t[i]
                    for j in i..<(i + k) {
                        let tj = t[j]
                        ordered = ordered && tj >= previousT
                        previousT = tj
                        sumT += tj
                        sx += ax[j]
                        sy += ay[j]
                        sz += az[j]
                    }
                    if ordered {
                        var sample = Sample6(ax: sx, ay: sy, az: sz)
                        if gyro {
                            var sgx: Float = 0, sgy: Float = 0, sgz: Float = 0
                            for j in i..<(i + k) {
                                sgx += gx[j]
                                sgy += gy[j]
                                sgz += gz[j]
                            }
                            sample.gx = sgx
                            sample.gy = sgy
                            sample.gz = sgz
                        }
                        sample.scale(1 / Float(k))
                        lastInputTime = previousT - origin
                        sampleCount += k
                        store(sumT / Double(k) - origin, sample)
                        i += k
                        continue
                    }
                }
                // Slow path: one sample at a time (group straddling blocks, or time going backwards).
                let time = t[i] - origin
                if time < lastInputTime, sampleCount > 0 {
                    // Time went backwards (readers reject this; a live stream may still do it):
                    // treat it as a gap so nothing is interpolated across it.
                    if groupCount > 0 {
                        let group = takeGroupAverage()
                        store(group.timeS, group.sample)
                    }
                    breaks.append(count)
                }
                lastInputTime = time
                sampleCount += 1
                groupTime += time
                groupSum.ax += ax[i]
                groupSum.ay += ay[i]
                groupSum.az += az[i]
                if gyro {
                    groupSum.gx += gx[i]
                    groupSum.gy += gy[i]
                    groupSum.gz += gz[i]
                }
                groupCount += 1
                if groupCount == k {
                    let group = takeGroupAverage()
                    store(group.timeS, group.sample)
                }
                i += 1
            }
        }}}}}}}}}
        points.count = count
        points.breaks += breaks
        return i
    }

    /// The mean time and sample of the group being summed, which starts again empty.
    mutating func takeGroupAverage() -> (timeS: Double, sample: Sample6) {
        let inv = 1 / Float(groupCount)
        let t = groupTime / Double(groupCount)
        var s = groupSum
        s.scale(inv)
        groupCount = 0
        groupTime = 0
        groupSum = Sample6()
        return (t, s)
    }

    /// Interpolates the unfinished group at the end of the stream.
    mutating func flushGroup() {
        var points = groupPoints
        groupPoints = GroupPointBuffer()
        points.removeAll(keepingRoomFor: 1)
        let group = takeGroupAverage()
        points.append(timeS: group.timeS, sample: group.sample)
        interpolate(points)
        groupPoints = points
    }

    /// Interpolates group points onto the current segment's uniform grid, never across a gap or a
    /// break, and analyses the windows that fill. Windows are analysed once the points are
    /// appended (or the storage is full): a window's samples do not change once on the grid, so
    /// this gives the same windows as analysing after every point.
    mutating func interpolate(_ points: GroupPointBuffer) {
        var j = 0
        var nextBreak = 0
        while true {
            if nextBreak < points.breaks.count, points.breaks[nextBreak] == j {
                // The input's time went backwards before point j.
                advanceWindows()
                closeSegment()
                hasPrevious = false
                nextBreak += 1
                continue
            }
            guard j < points.count else { break }
            let t = points.timeS[j]
            if !hasPrevious || t - previousTime > gapS {
                // The first point of the stream, or after a break or a gap, starts a segment.
                if hasPrevious {
                    advanceWindows()
                    closeSegment()
                }
                let s = points.sample(at: j)
                startSegment(at: t)
                segment.append(s)
                hasPrevious = true
                previousTime = t
                previous = s
                j += 1
                continue
            }
            let end = nextBreak < points.breaks.count ? points.breaks[nextBreak] : points.count
            let stop = segment.appendInterpolated(
                points, from: j, to: end, rateHz: processingRateHz, gapS: gapS,
                previousTime: &previousTime, previous: &previous)
            j = stop.next
            if stop.needsRoom {
                advanceWindows()
                segment.reserve(forAppending: max(hopLength, 256))
            }
        }
        advanceWindows()
    }

    mutating func startSegment(at t: Double) {
        segmentIndex += 1
        segment.reset(startTimeS: t, hasGyro: hasGyro)
        windowStart = 0
        firstWindowOfSegment = true
    }

    mutating func advanceWindows() {
        while segment.totalCount - windowStart >= windowLength {
            let margin = (windowLength - hopLength) / 2
            let commitFrom = firstWindowOfSegment ? windowStart : windowStart + margin
            analyzeWindow(from: windowStart, to: windowStart + windowLength,
                          commitFrom: commitFrom, commitTo: windowStart + margin + hopLength)
            firstWindowOfSegment = false
            windowStart += hopLength
            segment.discard(before: windowStart, keeping: windowLength)
        }
    }

    mutating func closeSegment() {
        guard segmentIndex >= 0, segment.totalCount > windowStart else { return }
        let margin = (windowLength - hopLength) / 2
        let commitFrom = firstWindowOfSegment ? windowStart : windowStart + margin
        if segment.totalCount > commitFrom {
            analyzeWindow(from: windowStart, to: segment.totalCount, commitFrom: commitFrom, commitTo: segment.totalCount)
        }
        windowStart = segment.totalCount
        firstWindowOfSegment = true
    }

    mutating func analyzeWindow(from: Int, to: Int, commitFrom: Int, commitTo: Int) {
        analyzer.analyze(segment: segment, segmentIndex: segmentIndex, from: from, to: to,
                         commitFrom: commitFrom, commitTo: commitTo)
    }

    func appendBlock(_ block: IMUBlock, to target: inout IMUBlock) {
        target.timeS += block.timeS
        target.accelXG += block.accelXG
        target.accelYG += block.accelYG
        target.accelZG += block.accelZG
        if target.count == block.count || target.hasGyro {
            target.gyroXDPS += block.gyroXDPS
            target.gyroYDPS += block.gyroYDPS
            target.gyroZDPS += block.gyroZDPS
        }
    }
}

/// One resampled sample: acceleration (g) and angular rate (deg/s) in sensor axes.
struct Sample6: Sendable {
    var ax: Float = 0, ay: Float = 0, az: Float = 0
    var gx: Float = 0, gy: Float = 0, gz: Float = 0

    mutating func scale(_ s: Float) {
        ax *= s; ay *= s; az *= s
        gx *= s; gy *= s; gz *= s
    }

    func interpolated(to o: Sample6, fraction f: Float) -> Sample6 {
        Sample6(ax: ax + (o.ax - ax) * f, ay: ay + (o.ay - ay) * f, az: az + (o.az - az) * f,
                gx: gx + (o.gx - gx) * f, gy: gy + (o.gy - gy) * f, gz: gz + (o.gz - gz) * f)
    }
}
