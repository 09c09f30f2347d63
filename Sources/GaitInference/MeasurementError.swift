import GaitDSP

/// The smallest between-session change of a measure that is more than measurement error (minimal
/// detectable change, MDC95): the published floor for a sacral IMU, raised to the runner's own
/// between-session spread (2.77 × SD) once their baseline rests on enough comparable runs. A
/// change inside it is noise, whatever a threshold says (shared/DOMAIN.md, "Measurement quality").
public enum MeasurementError {
    /// A published floor: a fraction of the value, and an absolute floor in the measure's unit.
    public struct Floor: Sendable, Equatable {
        public var relative: Double
        public var absolute: Double
        /// Where it comes from.
        public var source: String
    }

    /// MDC95 from a coefficient of variation: 1.96 × √2 × CV ≈ 2.77 × CV.
    public static let mdcPerSD = 2.77

    /// Spatiotemporal measures at the lumbar spine: between-day CV ≤ 2.3 % (Miqueleiz et al. 2025,
    /// J Hum Kinet), MDC95 ≈ 6.4 %.
    static let spatiotemporal = Floor(relative: 2.77 * 0.023, absolute: 0, source: "Miqueleiz et al. 2025 (spatiotemporal CV 2.3 %)")
    /// Kinetic measures at the lumbar spine: between-day CV ≤ 6.8 %, MDC95 ≈ 19 % (Miqueleiz et
    /// al. 2025); the sacral peak's smallest real difference against force plates is 11 % (Patoz et
    /// al. 2022), so the larger between-day figure is used.
    static let kinetic = Floor(relative: 2.77 * 0.068, absolute: 0, source: "Miqueleiz et al. 2025 (kinetic CV 6.8 %)")

    /// The published floor of a measure (a `GaitMetric` raw value or `SessionFacts.cadenceKey`).
    public static func floor(_ key: String) -> Floor {
        switch key {
        case SessionFacts.cadenceKey, GaitMetric.stepTimeS.rawValue:
            spatiotemporal
        case GaitMetric.groundContactTimeS.rawValue:
            // Smallest real difference 32 ms (13 %) against force plates (Patoz et al. 2022, Sensors).
            Floor(relative: 0.13, absolute: 0.032, source: "Patoz et al. 2022 (smallest real difference 32 ms, 13 %)")
        case GaitMetric.impactPeakG.rawValue, GaitMetric.loadingRateGPerS.rawValue, GaitMetric.brakingPeakG.rawValue,
             GaitMetric.brakingVelocityLossMPS.rawValue:
            kinetic
        default:
            // Vertical oscillation, pelvis angles: derived from the same accelerations and rates;
            // no published repeatability at the sacrum, so the kinetic figure (design choice).
            Floor(relative: kinetic.relative, absolute: 0, source: "no published figure; the kinetic MDC is used (design choice)")
        }
    }

    /// The MDC of a measure around `reference`, in its unit: the published floor, raised to the
    /// runner's own 2.77 × between-session spread when `norm` rests on enough sessions.
    public static func mdc(_ key: String, reference: Double, norm: RunnerBaseline.Norm? = nil) -> Double {
        let published = floor(key)
        var value = max(published.relative * abs(reference), published.absolute)
        if let norm, norm.count >= RunnerBaseline.minimumSessions { value = max(value, mdcPerSD * norm.spread) }
        return value
    }
}
