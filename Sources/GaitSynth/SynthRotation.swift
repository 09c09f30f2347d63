import Foundation

/// A proper rotation (3×3, orthonormal, determinant +1) taking body-frame coordinates to
/// sensor-frame coordinates: `sensor = matrix · body`.
///
/// Body-frame coordinates are ordered **(V, ML, AP)**: V up, ML to the runner's right, AP forward.
/// This order is right-handed (V × ML = AP) and matches the lower-back convention of Mobilise-D /
/// mobgap (McRoberts MoveMonitor at L5: x up, y right, z forward), so `.identity` is a clip worn
/// the way the real reference recordings in `shared/realdata` were.
public struct SynthRotation: Sendable, Codable, Equatable {
    /// Row-major 3×3 matrix, `matrix[3 * row + column]`.
    public private(set) var matrix: [Double]

    /// The sensor axes are the body axes: x = V (up), y = ML (right), z = AP (forward).
    public static let identity = SynthRotation(uncheckedMatrix: [1, 0, 0, 0, 1, 0, 0, 0, 1])

    /// The clip upside down: x down, y left, z forward (a half turn about AP).
    public static let upsideDown = SynthRotation(xDeg: 0, yDeg: 0, zDeg: 180)

    init(uncheckedMatrix: [Double]) {
        matrix = uncheckedMatrix
    }

    /// Creates a rotation from a row-major matrix; traps unless it is orthonormal with determinant +1
    /// (to 1e-6).
    public init(matrix: [Double]) {
        precondition(matrix.count == 9, "SynthRotation needs 9 matrix entries, got \(matrix.count)")
        self.matrix = matrix
        precondition(isProperRotation(tolerance: 1e-6), "SynthRotation matrix is not a proper rotation: \(matrix)")
    }

    /// Creates the rotation of a unit quaternion (w, x, y, z) whose vector part is expressed in the
    /// (V, ML, AP) body basis; the quaternion is normalised first.
    public init(quaternionW w: Double, x: Double, y: Double, z: Double) {
        let n = (w * w + x * x + y * y + z * z).squareRoot()
        precondition(n > 0, "SynthRotation quaternion must not be zero")
        let (w, x, y, z) = (w / n, x / n, y / n, z / n)
        matrix = [
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        ]
    }

    /// Creates `Rz(zDeg) · Ry(yDeg) · Rx(xDeg)`: right-handed turns about the body axes
    /// x = V, then y = ML, then z = AP (extrinsic), angles in degrees.
    public init(xDeg: Double, yDeg: Double, zDeg: Double) {
        let (a, b, c) = (xDeg * .pi / 180, yDeg * .pi / 180, zDeg * .pi / 180)
        let rx = SynthRotation(uncheckedMatrix: [1, 0, 0, 0, cos(a), -sin(a), 0, sin(a), cos(a)])
        let ry = SynthRotation(uncheckedMatrix: [cos(b), 0, sin(b), 0, 1, 0, -sin(b), 0, cos(b)])
        let rz = SynthRotation(uncheckedMatrix: [cos(c), -sin(c), 0, sin(c), cos(c), 0, 0, 0, 1])
        self = rz.composed(after: ry.composed(after: rx))
    }

    /// A rotation drawn uniformly over all orientations (Shoemake 1992, uniform random quaternion),
    /// reproducible from `seed`.
    public static func random(seed: UInt64) -> SynthRotation {
        var rng = SynthRandom(seed: seed, stream: 0x4D4F_554E_54)
        let (u1, u2, u3) = (rng.nextUnit(), rng.nextUnit(), rng.nextUnit())
        let a = (1 - u1).squareRoot(), b = u1.squareRoot()
        return SynthRotation(
            quaternionW: b * cos(2 * .pi * u3), x: a * sin(2 * .pi * u2),
            y: a * cos(2 * .pi * u2), z: b * sin(2 * .pi * u3))
    }

    /// `self · other`: first `other`, then `self`.
    public func composed(after other: SynthRotation) -> SynthRotation {
        var m = [Double](repeating: 0, count: 9)
        for r in 0..<3 {
            for c in 0..<3 {
                m[3 * r + c] = (0..<3).reduce(0) { $0 + matrix[3 * r + $1] * other.matrix[3 * $1 + c] }
            }
        }
        return SynthRotation(uncheckedMatrix: m)
    }

    /// The inverse rotation (sensor to body).
    public var inverse: SynthRotation {
        let m = matrix
        return SynthRotation(uncheckedMatrix: [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]])
    }

    /// Applies the rotation to a body-frame vector given as (V, ML, AP); returns sensor (x, y, z).
    public func apply(_ v: (Double, Double, Double)) -> (Double, Double, Double) {
        let m = matrix
        return (
            m[0] * v.0 + m[1] * v.1 + m[2] * v.2,
            m[3] * v.0 + m[4] * v.1 + m[5] * v.2,
            m[6] * v.0 + m[7] * v.1 + m[8] * v.2
        )
    }

    private enum CodingKeys: String, CodingKey { case matrix }

    /// Decodes a rotation, rejecting matrices that are not proper rotations (to 1e-6).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        matrix = try container.decode([Double].self, forKey: .matrix)
        guard isProperRotation(tolerance: 1e-6) else {
            throw DecodingError.dataCorruptedError(
                forKey: .matrix, in: container,
                debugDescription: "mountRotation.matrix must be 9 row-major entries of a proper rotation, got \(matrix)")
        }
    }

    /// Whether the matrix is orthonormal with determinant +1 to within `tolerance`.
    public func isProperRotation(tolerance: Double = 1e-9) -> Bool {
        guard matrix.count == 9 else { return false }
        let product = composed(after: inverse).matrix
        for i in 0..<9 where abs(product[i] - (i % 4 == 0 ? 1 : 0)) > tolerance { return false }
        let m = matrix
        let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
            + m[2] * (m[3] * m[7] - m[4] * m[6])
        return abs(det - 1) <= tolerance
    }
}
