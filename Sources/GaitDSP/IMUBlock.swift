/// A block of consecutive IMU samples stored as struct-of-arrays, the unit in which readers hand
/// samples to the analysis engine.
///
/// Accelerations are in g (specific force: a sensor at rest reads +1 g along "up"), angular rates
/// in deg/s, times in seconds on the input's own clock (any origin; the engine measures from the
/// first sample it sees). The gyroscope arrays are empty when the recording has no gyroscope.
public struct IMUBlock: Sendable, Equatable {
    /// Sample times in seconds, non-decreasing.
    public var timeS: [Double]
    /// Acceleration along the sensor's x axis, g.
    public var accelXG: [Float]
    /// Acceleration along the sensor's y axis, g.
    public var accelYG: [Float]
    /// Acceleration along the sensor's z axis, g.
    public var accelZG: [Float]
    /// Angular rate about the sensor's x axis, deg/s; empty without a gyroscope.
    public var gyroXDPS: [Float]
    /// Angular rate about the sensor's y axis, deg/s; empty without a gyroscope.
    public var gyroYDPS: [Float]
    /// Angular rate about the sensor's z axis, deg/s; empty without a gyroscope.
    public var gyroZDPS: [Float]

    /// Creates an empty block, reserving room for `capacity` samples.
    public init(capacity: Int = 0, hasGyro: Bool = false) {
        timeS = []
        accelXG = []
        accelYG = []
        accelZG = []
        gyroXDPS = []
        gyroYDPS = []
        gyroZDPS = []
        reserveCapacity(capacity, hasGyro: hasGyro)
    }

    /// Creates a block from whole arrays; gyroscope arrays are either all empty or as long as `timeS`.
    public init(
        timeS: [Double], accelXG: [Float], accelYG: [Float], accelZG: [Float],
        gyroXDPS: [Float] = [], gyroYDPS: [Float] = [], gyroZDPS: [Float] = []
    ) {
        precondition(accelXG.count == timeS.count && accelYG.count == timeS.count && accelZG.count == timeS.count)
        precondition(gyroXDPS.isEmpty || (gyroXDPS.count == timeS.count && gyroYDPS.count == timeS.count && gyroZDPS.count == timeS.count))
        self.timeS = timeS
        self.accelXG = accelXG
        self.accelYG = accelYG
        self.accelZG = accelZG
        self.gyroXDPS = gyroXDPS
        self.gyroYDPS = gyroYDPS
        self.gyroZDPS = gyroZDPS
    }

    /// Number of samples in the block.
    @inlinable public var count: Int { timeS.count }

    /// Whether the block carries gyroscope samples.
    @inlinable public var hasGyro: Bool { !gyroXDPS.isEmpty }

    /// Reserves room for `capacity` samples in every array used.
    public mutating func reserveCapacity(_ capacity: Int, hasGyro: Bool) {
        timeS.reserveCapacity(capacity)
        accelXG.reserveCapacity(capacity)
        accelYG.reserveCapacity(capacity)
        accelZG.reserveCapacity(capacity)
        if hasGyro {
            gyroXDPS.reserveCapacity(capacity)
            gyroYDPS.reserveCapacity(capacity)
            gyroZDPS.reserveCapacity(capacity)
        }
    }

    /// Removes all samples, keeping the storage for reuse.
    public mutating func removeAll() {
        timeS.removeAll(keepingCapacity: true)
        accelXG.removeAll(keepingCapacity: true)
        accelYG.removeAll(keepingCapacity: true)
        accelZG.removeAll(keepingCapacity: true)
        gyroXDPS.removeAll(keepingCapacity: true)
        gyroYDPS.removeAll(keepingCapacity: true)
        gyroZDPS.removeAll(keepingCapacity: true)
    }

    /// Appends one accelerometer-only sample.
    @inlinable public mutating func append(timeS t: Double, x: Float, y: Float, z: Float) {
        timeS.append(t)
        accelXG.append(x)
        accelYG.append(y)
        accelZG.append(z)
    }

    /// Appends one sample with gyroscope.
    @inlinable public mutating func append(timeS t: Double, x: Float, y: Float, z: Float, gx: Float, gy: Float, gz: Float) {
        append(timeS: t, x: x, y: y, z: z)
        gyroXDPS.append(gx)
        gyroYDPS.append(gy)
        gyroZDPS.append(gz)
    }
}
