/// Box-averaged groups of input samples ("group points") from one stretch of a block, waiting to
/// be interpolated onto the uniform grid.
///
/// Struct-of-arrays scratch that the engine reuses from block to block, so that decimation writes
/// through pointers and neither allocates nor appends per sample.
struct GroupPointBuffer: Sendable {
    /// Mean time of each group, seconds from the first input sample.
    var timeS: [Double] = []
    /// The group means channel after channel, `capacity` apart: acceleration x, y, z (g), then
    /// angular rate x, y, z (deg/s; zero without a gyroscope).
    var channels: [Float] = []
    /// Points held.
    var count = 0
    /// Point indices before which the segment is closed, because the input's time went backwards.
    var breaks: [Int] = []

    /// Points the buffer holds.
    var capacity: Int { timeS.count }

    /// Empties the buffer, with room for at least `minimumCapacity` points.
    mutating func removeAll(keepingRoomFor minimumCapacity: Int) {
        count = 0
        breaks.removeAll(keepingCapacity: true)
        if capacity < minimumCapacity {
            timeS = [Double](repeating: 0, count: minimumCapacity)
            channels = [Float](repeating: 0, count: 6 * minimumCapacity)
        }
    }

    /// Point `j`.
    func sample(at j: Int) -> Sample6 {
        let c = capacity
        return Sample6(ax: channels[j], ay: channels[c + j], az: channels[2 * c + j],
                       gx: channels[3 * c + j], gy: channels[4 * c + j], gz: channels[5 * c + j])
    }

    /// Appends a point; the buffer must have room.
    mutating func append(timeS t: Double, sample s: Sample6) {
        let c = capacity, j = count
        timeS[j] = t
        channels[j] = s.ax; channels[c + j] = s.ay; channels[2 * c + j] = s.az
        channels[3 * c + j] = s.gx; channels[4 * c + j] = s.gy; channels[5 * c + j] = s.gz
        count += 1
    }
}
