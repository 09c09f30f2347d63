/// A small 3-vector of Float used for orientation arithmetic (gravity, body axes) in sensor coordinates.
public struct Vector3: Sendable, Equatable, Codable {
    /// Component along the sensor's x axis.
    public var x: Float
    /// Component along the sensor's y axis.
    public var y: Float
    /// Component along the sensor's z axis.
    public var z: Float

    /// Creates a vector from its components.
    @inlinable public init(_ x: Float, _ y: Float, _ z: Float) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// The zero vector.
    public static let zero = Vector3(0, 0, 0)

    /// Dot product.
    @inlinable public func dot(_ o: Vector3) -> Float { x * o.x + y * o.y + z * o.z }

    /// Cross product `self × o`.
    @inlinable public func cross(_ o: Vector3) -> Vector3 {
        Vector3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }

    /// Euclidean length.
    @inlinable public var length: Float { dot(self).squareRoot() }

    /// The unit vector in the same direction, or zero for the zero vector.
    @inlinable public var normalized: Vector3 {
        let l = length
        return l > 0 ? self * (1 / l) : .zero
    }

    @inlinable public static func * (v: Vector3, s: Float) -> Vector3 { Vector3(v.x * s, v.y * s, v.z * s) }
    @inlinable public static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static prefix func - (a: Vector3) -> Vector3 { Vector3(-a.x, -a.y, -a.z) }

    /// A unit vector perpendicular to `self` (which must be non-zero), built from the sensor axis least aligned with it.
    public var anyPerpendicular: Vector3 {
        let ax = abs(x), ay = abs(y), az = abs(z)
        let axis: Vector3 = ax <= ay && ax <= az ? Vector3(1, 0, 0) : (ay <= az ? Vector3(0, 1, 0) : Vector3(0, 0, 1))
        let u = normalized
        return (axis - u * axis.dot(u)).normalized
    }
}
