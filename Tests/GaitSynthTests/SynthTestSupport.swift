import GaitSynth

/// A clean configuration for physics checks: no noise, no jitter, no lean, no pelvis rotation,
/// clip mounted in the body frame (x = V, y = ML, z = AP).
func cleanConfig(_ segments: [SynthSegment], sampleRateHz: Double = 1000) -> SynthConfig {
    var config = SynthConfig(sampleRateHz: sampleRateHz, seed: 7, segments: segments)
    config.noiseG = 0
    config.gyroNoiseDPS = 0
    config.stepTimeJitterPct = 0
    config.leanDeg = 0
    config.pelvicRotationDeg = 0
    config.pelvicDropDeg = 0
    config.pelvicTiltDeg = 0
    return config
}

/// Sample indices covering a step: those whose time is in [initial contact, next initial contact).
func sampleRange(of step: SynthStep, in recording: SynthRecording) -> Range<Int> {
    let rate = recording.config.sampleRateHz
    let first = Int((step.initialContactS * rate).rounded(.up))
    let end = Int(((step.initialContactS + step.stepTimeS) * rate).rounded(.up))
    return first..<min(end, recording.samples.count)
}

func mean(_ values: ArraySlice<Float>) -> Double {
    values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
}

/// Steps at full intensity (not ramping in or out of standing).
func steadySteps(_ recording: SynthRecording) -> [SynthStep] {
    recording.steps.filter { $0.intensity == 1 }
}

/// Bit patterns of every channel, so that comparisons are exact (even for -0 and NaN).
func bitPatterns(_ chunk: SynthChunk) -> [[UInt64]] {
    [chunk.timeS.map(\.bitPattern)]
        + [chunk.accelXG, chunk.accelYG, chunk.accelZG, chunk.gyroXDPS, chunk.gyroYDPS, chunk.gyroZDPS]
        .map { $0.map { UInt64($0.bitPattern) } }
}
