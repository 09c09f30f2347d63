import Foundation

/// The continuous model of one step (or one stretch of standing): everything the per-sample loop
/// needs, as constants, so that a sample is a pure function of its time.
///
/// Level body frame, before lean, pelvis rotation and mounting: V up, ML right, AP forward.
/// A step is a blend `runWeight · running + (1 − runWeight) · walking`, scaled by `intensity`
/// around the standing reading (1, 0, 0); each part has a step mean of exactly (1, 0, 0) g, so every
/// blend keeps the impulse balance.
struct GaitUnit: Sendable {
    var startS: Double
    var durationS: Double
    var isStep: Bool
    var side: SynthSide
    var activity: SynthActivity
    var intensity: Double
    var runWeight: Double

    // Running (seconds and g).
    var contactS: Double = 0.25
    var bumpG: Double = 0
    var pulseG: Double = 0
    var riseS: Double = 0.025
    var decayS: Double = 0.02
    var brakingG: Double = 0
    var propulsionG: Double = 0
    var brakingFraction: Double = 0.45
    var mediolateralRunG: Double = 0

    // Walking (g).
    var walkVerticalG: Double = 0
    var walkAnteroposteriorG: Double = 0
    var mediolateralWalkG: Double = 0

    // Pelvis (radians); stride phase φ is 0 at a left contact, 0.5 at a right contact.
    // yaw  = −yawRad · cos 2πφ         positive rate (turning left, right hip forward) during the left step
    // roll =  rollRad · sin 2π(φ+0.07) right side down (positive about +AP) around left mid-stance
    // tilt = −tiltRad · sin 2π(2φ+0.05) a small step-frequency nod about ML
    // See `SynthGenerator.renderUnit()` for the sign conventions and sources.
    var yawRad: Double = 0
    var rollRad: Double = 0
    var tiltRad: Double = 0
    var stridePhaseStart: Double = 0
    var leanRad: Double = 0

    // Reciprocals, so that the per-sample loop multiplies instead of dividing; set by `prepare()`.
    var perContact = 0.0, perRise = 0.0, perDecay = 0.0, perDuration = 0.0
    var perBraking = 0.0, perPropulsion = 0.0

    /// Fills the reciprocals; call after setting the parameters.
    mutating func prepare() {
        perContact = 1 / contactS
        perRise = 1 / riseS
        perDecay = 1 / decayS
        perDuration = durationS > 0 ? 1 / durationS : 0
        perBraking = 1 / brakingFraction
        perPropulsion = 1 / (1 - brakingFraction)
    }

    static func standing(startS: Double, durationS: Double, side: SynthSide) -> GaitUnit {
        var unit = GaitUnit(startS: startS, durationS: durationS, isStep: false, side: side, activity: .standing,
                            intensity: 0, runWeight: 0)
        unit.prepare()
        return unit
    }

    /// Level-frame specific force (V, ML, AP) in g at `tau` seconds after the unit's start.
    @inline(__always)
    func level(_ tauIn: Double, sine: UnsafeBufferPointer<Double>, walkV: UnsafeBufferPointer<Double>,
               walkAP: UnsafeBufferPointer<Double>) -> (Double, Double, Double) {
        let tau = max(tauIn, 0)
        if !isStep {
            // Postural sway while standing: a few mg at 0.2–0.3 Hz.
            let t = startS + tau
            return (1, 0.003 * lookUp(sine, 0.27 * t + 0.3), 0.004 * lookUp(sine, 0.21 * t))
        }
        var dv = 0.0, dml = 0.0, dap = 0.0
        if runWeight > 0 {
            // Flight reads 0 g on every axis (free fall): the dynamic part of V is −1.
            var rv = -1.0, rml = 0.0, rap = 0.0
            if tau < contactS {
                let u = tau * perContact
                let hs = lookUp(sine, 0.5 * u)
                rv = bumpG * hs - 1
                if tau < riseS {
                    let s = lookUp(sine, 0.25 * tau * perRise)
                    rv += pulseG * s * s
                } else if tau < riseS + decayS {
                    let s = lookUp(sine, 0.25 + 0.25 * (tau - riseS) * perDecay)
                    rv += pulseG * s * s
                }
                if u < brakingFraction {
                    rap = -brakingG * lookUp(sine, 0.5 * u * perBraking)
                } else {
                    rap = propulsionG * lookUp(sine, 0.5 * (u - brakingFraction) * perPropulsion)
                }
                rml = mediolateralRunG * hs
            }
            dv = runWeight * rv
            dml = runWeight * rml
            dap = runWeight * rap
        }
        let walkWeight = 1 - runWeight
        if walkWeight > 0 {
            let x = tau * perDuration
            dv += walkWeight * walkVerticalG * lookUp(walkV, x)
            dap += walkWeight * walkAnteroposteriorG * lookUp(walkAP, x)
            dml += walkWeight * mediolateralWalkG * lookUp(sine, 0.5 * x)
        }
        return (1 + intensity * dv, intensity * dml, intensity * dap)
    }
}
