/// Walking, step by step: the window's walking steps come from `WalkingStepDetector`, not from
/// classifying the whole window, so that daily-life walking (short bouts between pauses, slow and
/// irregular steps, turns, stairs) is found as walking.
extension WindowAnalyzer {
    /// What `findWalking` found in a window with walking steps to commit.
    struct WalkingWindow: Sendable {
        /// Median step time of the window's walking chains, s.
        var stepPeriodS: Float
        /// First segment index from which this window commits walking steps: the window's commit
        /// start, or earlier (down to the window's start) for steps after the last committed step
        /// that the previous window could not yet tell from noise, having seen too few of them.
        var commitFrom: Int
    }

    /// Runs the walking detector over the window (its `vertical` acceleration is ready); nil when
    /// the window has no walking step to commit.
    mutating func findWalking(
        segment: SegmentBuffer, segmentIndex: Int, offset: Int, from: Int, commitTo: Int
    ) -> WalkingWindow? {
        let n = vertical.count
        var continuing: Int?
        if let last = lastWalkingPeak, last.segment == segmentIndex, last.index >= from, last.index < from + n {
            continuing = last.index - from
        }
        var detector = walkingDetector
        walkingDetector = WalkingStepDetector()
        defer { walkingDetector = detector }
        vertical.withUnsafeBufferPointer { v in
        horizontal1.withUnsafeBufferPointer { h1 in
        horizontal2.withUnsafeBufferPointer { h2 in
            detector.detect(vertical: v, horizontal: (h1, h2), segment: segment, offset: offset, continuing: continuing)
        }}}
        guard !detector.stepPeaks.isEmpty, !detector.stepTimesS.isEmpty else { return nil }
        let periodS = SignalKernels.quantile(&detector.stepTimesS, 0.5)

        // Steps of the leading margin after the last committed step (same segment) may be
        // committed here; a step closer than 0.6 step times to it is that step seen again (also
        // just past the commit start, where this window may place it a little later).
        var walkingCommitFrom = from
        if let last = steps.last, last.segmentIndex == segmentIndex {
            let lastIndex = (last.timeS - segment.startTimeS) * Double(rateHz)
            walkingCommitFrom = max(from, Int((lastIndex + 0.6 * Double(periodS * rateHz)).rounded(.up)))
        }
        var lastCommitted: Int?
        for p in detector.stepPeaks where from + p >= walkingCommitFrom && from + p < commitTo { lastCommitted = from + p }
        guard let lastCommitted else { return nil }
        lastWalkingPeak = (segmentIndex, lastCommitted)
        return WalkingWindow(stepPeriodS: periodS, commitFrom: walkingCommitFrom)
    }

    /// The walking steps' peaks on the step-smoothed vertical acceleration (`smooth`), where the
    /// contact rule looks for them: the highest point within 0.2 step periods of each band-passed peak.
    func walkingStepPeaks(periodSamples: Float) -> [Int] {
        let n = smooth.count
        let reach = max(1, Int(0.2 * periodSamples))
        var peaks: [Int] = []
        peaks.reserveCapacity(walkingDetector.stepPeaks.count)
        for p in walkingDetector.stepPeaks {
            var top = p
            for i in max(0, p - reach)...min(n - 1, p + reach) where smooth[i] > smooth[top] { top = i }
            peaks.append(top)
        }
        return peaks
    }
}
