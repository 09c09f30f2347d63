import GaitDSP

/// When impact and loading rate can be measured at all. The landing transient at the sacrum rises
/// in 15–40 ms (Lee, Sutter et al. 2010; GaitSynth's range); below 100 Hz it falls between
/// samples, and the measured "impact" is mostly the slower stance bump: it no longer follows
/// the true peak (seen in the scenario suite: at 50 Hz a 20 % rise of the true peak moved the
/// measured median by under 1 %). Impact-based flags are then not raised, and the analysis says why.
public enum ImpactMeasurement {
    /// Lowest sampling rate at which impact and loading rate are used, Hz.
    public static let minimumSampleRateHz = 100.0

    /// The metrics that need the landing transient.
    public static let metrics: Set<GaitMetric> = [.impactPeakG, .loadingRateGPerS]

    /// Whether a recording at `sampleRateHz` measures impact (unknown rates count as fast enough).
    public static func isMeasurable(sampleRateHz: Double?) -> Bool {
        (sampleRateHz ?? .infinity) >= minimumSampleRateHz * 0.97
    }
}
