/// A run of consecutive synthetic samples as struct-of-arrays, in the sensor frame.
///
/// Accelerations are specific force in g (a clip at rest reads +1 g along up), angular rates in
/// deg/s, times in s on the reported clock (true time plus any configured jitter). The gyroscope
/// arrays are empty when the configuration has no gyroscope.
public struct SynthChunk: Sendable, Equatable {
    /// Reported sample times, s, non-decreasing.
    public var timeS: [Double] = []
    /// Acceleration along the sensor x axis, g.
    public var accelXG: [Float] = []
    /// Acceleration along the sensor y axis, g.
    public var accelYG: [Float] = []
    /// Acceleration along the sensor z axis, g.
    public var accelZG: [Float] = []
    /// Angular rate about the sensor x axis, deg/s; empty without gyroscope.
    public var gyroXDPS: [Float] = []
    /// Angular rate about the sensor y axis, deg/s; empty without gyroscope.
    public var gyroYDPS: [Float] = []
    /// Angular rate about the sensor z axis, deg/s; empty without gyroscope.
    public var gyroZDPS: [Float] = []

    /// Creates an empty chunk.
    public init() {}

    /// Number of samples.
    public var count: Int { timeS.count }

    /// Whether the chunk has no samples.
    public var isEmpty: Bool { timeS.isEmpty }

    /// Removes all samples, keeping storage for reuse.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        timeS.removeAll(keepingCapacity: keepingCapacity)
        accelXG.removeAll(keepingCapacity: keepingCapacity)
        accelYG.removeAll(keepingCapacity: keepingCapacity)
        accelZG.removeAll(keepingCapacity: keepingCapacity)
        gyroXDPS.removeAll(keepingCapacity: keepingCapacity)
        gyroYDPS.removeAll(keepingCapacity: keepingCapacity)
        gyroZDPS.removeAll(keepingCapacity: keepingCapacity)
    }

    /// Reserves room for `capacity` samples.
    public mutating func reserveCapacity(_ capacity: Int, gyro: Bool) {
        timeS.reserveCapacity(capacity)
        accelXG.reserveCapacity(capacity)
        accelYG.reserveCapacity(capacity)
        accelZG.reserveCapacity(capacity)
        if gyro {
            gyroXDPS.reserveCapacity(capacity)
            gyroYDPS.reserveCapacity(capacity)
            gyroZDPS.reserveCapacity(capacity)
        }
    }

    /// Appends all samples of `other`.
    public mutating func append(contentsOf other: SynthChunk) {
        timeS.append(contentsOf: other.timeS)
        accelXG.append(contentsOf: other.accelXG)
        accelYG.append(contentsOf: other.accelYG)
        accelZG.append(contentsOf: other.accelZG)
        gyroXDPS.append(contentsOf: other.gyroXDPS)
        gyroYDPS.append(contentsOf: other.gyroYDPS)
        gyroZDPS.append(contentsOf: other.gyroZDPS)
    }
}
