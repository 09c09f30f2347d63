/// The current segment's uniform-grid samples, with old samples discarded as windows advance.
///
/// Each channel array is storage: its first `count` elements are samples, the rest is room for
/// more, so that the resampler writes grid samples through pointers instead of appending them one
/// by one (six appends per sample, each with its uniqueness and capacity checks, were a third of
/// the DSP time).
struct SegmentBuffer: Sendable {
    var ax: [Float] = [], ay: [Float] = [], az: [Float] = []
    var gx: [Float] = [], gy: [Float] = [], gz: [Float] = []
    var hasGyro = false
    /// Samples held: element i of each channel is segment index `base + i`.
    var count = 0
    /// Segment-relative index of element 0 of the arrays.
    var base = 0
    /// Samples appended to this segment since it started.
    var totalCount = 0
    /// Time of grid index 0, seconds from the first input sample.
    var startTimeS: Double = 0

    /// Samples the storage holds without growing.
    var storageCapacity: Int { ax.count }

    mutating func reset(startTimeS: Double, hasGyro: Bool) {
        self.startTimeS = startTimeS
        self.hasGyro = hasGyro
        base = 0
        totalCount = 0
        count = 0
        growStorage(to: storageCapacity)
    }

    /// Makes room for `extra` more samples (the storage at least doubles when it grows).
    mutating func reserve(forAppending extra: Int) {
        let needed = count + extra
        guard needed > storageCapacity else { return }
        growStorage(to: max(needed, 2 * storageCapacity, 4096))
    }

    private mutating func growStorage(to size: Int) {
        func grow(_ channel: inout [Float]) {
            if channel.count < size { channel += repeatElement(0, count: size - channel.count) }
        }
        grow(&ax); grow(&ay); grow(&az)
        if hasGyro { grow(&gx); grow(&gy); grow(&gz) }
    }

    mutating func append(_ s: Sample6) {
        reserve(forAppending: 1)
        ax[count] = s.ax; ay[count] = s.ay; az[count] = s.az
        if hasGyro { gx[count] = s.gx; gy[count] = s.gy; gz[count] = s.gz }
        count += 1
        totalCount += 1
    }

    /// Appends the grid samples that fall between consecutive group points `start..<end`, linearly
    /// interpolated, stopping before a point that follows a gap or when the storage is full.
    ///
    /// `previousTime` and `previous` are the last point already on the grid; they advance with the
    /// points consumed. Returns the first point not consumed and whether the storage ran out of room
    /// (a point is consumed only once all its grid samples are written, so it can be resumed).
    mutating func appendInterpolated(
        _ points: GroupPointBuffer, from start: Int, to end: Int, rateHz rate: Double, gapS: Double,
        previousTime: inout Double, previous: inout Sample6
    ) -> (next: Int, needsRoom: Bool) {
        let room = storageCapacity
        let origin = startTimeS
        let gyro = hasGyro
        let pointCapacity = points.capacity
        var stored = count, total = totalCount
        var lastTime = previousTime, last = previous
        var next = start, needsRoom = false
        points.timeS.withUnsafeBufferPointer { pointTime in
        points.channels.withUnsafeBufferPointer { pointChannels in
        ax.withUnsafeMutableBufferPointer { oax in
        ay.withUnsafeMutableBufferPointer { oay in
        az.withUnsafeMutableBufferPointer { oaz in
        gx.withUnsafeMutableBufferPointer { ogx in
        gy.withUnsafeMutableBufferPointer { ogy in
        gz.withUnsafeMutableBufferPointer { ogz in
            let pax = pointChannels.baseAddress!, pay = pax + pointCapacity, paz = pay + pointCapacity
            let pgx = paz + pointCapacity, pgy = pgx + pointCapacity, pgz = pgy + pointCapacity
            // The time of the next grid sample, computed once per sample: each point also checks
            // the sample after its last.
            var gridTime = origin + Double(total) / rate
            var j = start
            consuming: while j < end {
                let t = pointTime[j]
                let dt = t - lastTime
                if dt > gapS { break }
                if dt <= 0 {
                    j += 1
                    continue
                }
                let s = Sample6(ax: pax[j], ay: pay[j], az: paz[j], gx: pgx[j], gy: pgy[j], gz: pgz[j])
                while true {
                    if gridTime > t + 1e-9 { break }
                    guard stored < room else {
                        needsRoom = true
                        break consuming
                    }
                    let v = last.interpolated(to: s, fraction: Float((gridTime - lastTime) / dt))
                    oax[stored] = v.ax
                    oay[stored] = v.ay
                    oaz[stored] = v.az
                    if gyro {
                        ogx[stored] = v.gx
                        ogy[stored] = v.gy
                        ogz[stored] = v.gz
                    }
                    stored += 1
                    total += 1
                    gridTime = origin + Double(total) / rate
                }
                lastTime = t
                last = s
                j += 1
            }
            next = j
        }}}}}}}}
        count = stored
        totalCount = total
        previousTime = lastTime
        previous = last
        return (next, needsRoom)
    }

    /// Drops samples before segment index `index` once enough have piled up (amortised memmove).
    mutating func discard(before index: Int, keeping windowLength: Int) {
        let drop = index - base
        guard drop > 2 * windowLength else { return }
        let kept = count - drop
        func shift(_ channel: inout [Float]) {
            channel.withUnsafeMutableBufferPointer { p in p.baseAddress!.update(from: p.baseAddress! + drop, count: kept) }
        }
        shift(&ax); shift(&ay); shift(&az)
        if hasGyro { shift(&gx); shift(&gy); shift(&gz) }
        count = kept
        base = index
    }
}
