import Foundation
import GaitDSP
import Testing

/// Peak vertical force of a runner whose vertical force is the spring-mass sine (Morin et al. 2005):
/// the estimates return the sine's peak, (π/2) T / t_c body weights, and its contact time, at
/// every speed.
@Suite struct SpringMassPeakForceTests {
    /// A sacral signal at 500 Hz: a half-sine vertical specific force during each contact whose
    /// impulse over the step is body weight × step time, free fall (0 g) in flight; braking then
    /// propulsion along AP, and the sway towards the stance leg along ML, alternating sides.
    static func springMassRun(stepTimeS: Double, contactTimeS: Double, durationS: Double = 60) -> IMUBlock {
        let rate = 500.0
        let peakG = Double.pi / 2 * stepTimeS / contactTimeS
        let count = Int(durationS * rate)
        var time = [Double](), vertical = [Float](), lateral = [Float](), forward = [Float]()
        for i in 0..<count {
            let t = Double(i) / rate
            let step = Int(t / stepTimeS)
            let phase = t - Double(step) * stepTimeS
            let inContact = phase < contactTimeS
            let angle = Double.pi * phase / contactTimeS
            time.append(t)
            vertical.append(inContact ? Float(peakG * sin(angle)) : 0)
            forward.append(inContact ? Float(-0.4 * sin(2 * angle)) : 0)
            lateral.append(inContact ? Float((step % 2 == 0 ? 0.15 : -0.15) * sin(angle)) : 0)
        }
        return IMUBlock(timeS: time, accelXG: vertical, accelYG: lateral, accelZG: forward)
    }

    @Test(arguments: [(0.36, 0.27), (0.33, 0.22), (0.30, 0.18)])
    func theSpringMassPeakAndContactTimeAreRecoveredWithinFivePercent(stepTimeS: Double, contactTimeS: Double) throws {
        var engine = GaitEngine(configuration: GaitEngineConfiguration(nominalSampleRateHz: 500))
        engine.process(Self.springMassRun(stepTimeS: stepTimeS, contactTimeS: contactTimeS))
        let analysis = engine.finish(input: InputDescription(source: "test", format: "spring-mass"))
        let forces = analysis.steps.compactMap(\.peakVerticalForceBW).sorted()
        try #require(forces.count > 100, "\(forces.count) steps with a peak force")
        let truth = Float.pi / 2 * Float(stepTimeS / contactTimeS)
        let median = forces[forces.count / 2]
        let contacts = analysis.steps.compactMap(\.groundContactTimeS).sorted()
        let contact = contacts[contacts.count / 2]
        print("spring-mass run: peak force \(median) BW (truth \(truth)), contact time \(contact) s (truth \(contactTimeS))")
        #expect(abs(median - truth) / truth < 0.05, "peak force \(median) BW, truth \(truth) BW")
        #expect(abs(Double(contact) - contactTimeS) / contactTimeS < 0.05, "contact time \(contact) s, truth \(contactTimeS) s")
    }
}
