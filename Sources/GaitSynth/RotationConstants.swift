/// The per-unit constants of the body-to-sensor rotation and the pelvis angles, in Float so that
/// the per-sample loop vectorises. See `SynthGenerator.renderUnit()` for the conventions.
struct RotationConstants: Sendable {
    var yaw: Float, omega: Float
    var rollC: Float, rollS: Float
    var tiltC: Float, tiltS: Float
    var sinLean: Float, cosLean: Float
    var degrees: Float
    var m: (Float, Float, Float, Float, Float, Float, Float, Float, Float)

    /// Pelvis angles (rad) and rates (rad/s) from the stride phasor (cos 2πφ, sin 2πφ).
    @inline(__always)
    func angles(_ c: Float, _ s: Float) -> (yaw: Float, roll: Float, tilt: Float, yawRate: Float, rollRate: Float, tiltRate: Float) {
        let s2 = 2 * s * c, c2 = c * c - s * s
        return (
            -yaw * c,
            rollC * s + rollS * c,
            -(tiltC * s2 + tiltS * c2),
            yaw * omega * s,
            omega * (rollC * c - rollS * s),
            -2 * omega * (tiltC * c2 - tiltS * s2)
        )
    }

    /// Sensor-frame specific force from level-frame (V, ML, AP).
    @inline(__always)
    func accel(_ v: Float, _ ml: Float, _ ap: Float, _ c: Float, _ s: Float,
               sinCos: (Float) -> (Float, Float)) -> (Float, Float, Float) {
        let a = angles(c, s)
        let (sy, cy) = sinCos(a.yaw)
        let (sr, cr) = sinCos(a.roll)
        let (so, co) = sinCos(a.tilt)
        let sp = so * cosLean - co * sinLean
        let cp = co * cosLean + so * sinLean
        let y1 = cy * ml + sy * ap
        let y2 = -sy * ml + cy * ap
        let p0 = cp * v - sp * y2
        let p2 = sp * v + cp * y2
        let b0 = cr * p0 + sr * y1
        let b1 = -sr * p0 + cr * y1
        let b2 = p2
        return (m.0 * b0 + m.1 * b1 + m.2 * b2, m.3 * b0 + m.4 * b1 + m.5 * b2, m.6 * b0 + m.7 * b1 + m.8 * b2)
    }

    /// Sensor-frame angular rate, deg/s.
    @inline(__always)
    func gyro(_ c: Float, _ s: Float, sinCos: (Float) -> (Float, Float)) -> (Float, Float, Float) {
        let a = angles(c, s)
        let (sr, cr) = sinCos(a.roll)
        let (so, co) = sinCos(a.tilt)
        let sp = so * cosLean - co * sinLean
        let cp = co * cosLean + so * sinLean
        let w0 = cp * a.yawRate
        let w2 = sp * a.yawRate
        let g0 = (cr * w0 + sr * a.tiltRate) * degrees
        let g1 = (-sr * w0 + cr * a.tiltRate) * degrees
        let g2 = (w2 + a.rollRate) * degrees
        return (m.0 * g0 + m.1 * g1 + m.2 * g2, m.3 * g0 + m.4 * g1 + m.5 * g2, m.6 * g0 + m.7 * g1 + m.8 * g2)
    }
}

/// sin and cos of a small angle (|a| ≤ 0.4 rad) by Taylor polynomials, in Float: error < 4e-6 at
/// 0.4 rad, below Float resolution at the usual pelvic amplitudes (≤ 0.15 rad).
@inline(__always)
func smallSinCosFloat(_ a: Float) -> (Float, Float) {
    let a2 = a * a
    return (a * (1 - a2 * (1.0 / 6 - a2 * (1.0 / 120))), 1 - a2 * (0.5 - a2 * (1.0 / 24 - a2 * (1.0 / 720))))
}
