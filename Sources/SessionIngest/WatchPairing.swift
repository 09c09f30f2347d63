import Foundation
import GaitDSP
import GaitInference
import SessionIO

/// Puts a runner's watch recording (FIT, GPX, TCX) on a clip session's clock and reads from it the
/// speed, grade and cadence of every minute of the session: what turns a comparison into a matched
/// one (shared/DOMAIN.md, "Speed and the watch").
///
/// Alignment takes two steps. First a guess of the offset (watch UTC = session time + offset): the
/// session's start by its clock, or, without one, the offset that lines up the watch's longest
/// moving stretch with the session's longest running bout (weaker). Then the clip's and the watch's
/// cadence, in 5 s bins, are cross-correlated at every whole-second lag around the guess (±180 s with
/// a clock, ±900 s without); the lag with the highest Pearson correlation wins, refined to a fraction
/// of a second on a parabola through its neighbours. A watch file that disagrees with the session is
/// refused with a `WatchPairingError`, never paired quietly.
///
/// Known limits: a watch's own cadence smoothing delays its series by a few seconds, which the
/// offset takes on; a run of even cadence gives the correlation nothing to hold on to, so the clock
/// (or the weaker moving-start guess) is kept as it is and `SessionSpeed.method` says so.
public enum WatchPairing {
    /// The numbers the pairing works with. None has a published source: each is a design choice,
    /// given here with its reason and tested in `WatchPairingTests`.
    public struct Configuration: Sendable, Equatable {
        /// Length of a cadence bin, s. Design choice: short enough that a pace change shows within a
        /// few seconds of where it happens, long enough to hold ~14 running steps.
        public var cadenceBinS: Int = 5
        /// Fewest running steps with a step time a clip cadence bin needs. Design choice: a 5 s bin
        /// of running holds ~14 steps; fewer means the edge of a bout or a pause, whose median
        /// would be part of a ramp.
        public var minimumStepsPerCadenceBin: Int = 6
        /// Lags searched either side of a clock guess, s. Design choice: a clip's or a watch's
        /// clock set by hand or drifting between syncs is off by seconds to a minute or two.
        public var clockSearchS: Int = 180
        /// Lags searched either side of a moving-start guess (no clock), s. Design choice: the
        /// clip's bouts and the watch's moving stretches can start minutes apart (a warm-up walk
        /// counted differently, a stop that splits a bout).
        public var movingStartSearchS: Int = 900
        /// Fewest 5 s bins that both series must have at a lag for its correlation to count (2 min
        /// of running); a lag must also compare at least half as many bins as the best-covered lag,
        /// so that a sliver of overlap cannot win by chance. Design choice, tested by the 30 %
        /// coverage and wrong-file tests.
        public var minimumComparedBins: Int = 24
        /// Standard deviation of the clip's 5 s cadence over the compared bins below which the
        /// correlation is not judged (and the guess is kept unrefined), steps/min. Design choice:
        /// each series carries ~1 step/min of measurement noise per bin (the clip: a median of ~14
        /// step times with ~2 % step-to-step variation; a watch: ±2 steps/min a second over 5 s),
        /// so a steadier run correlates noise with noise.
        public var minimumCadenceSpreadSPM: Double = 3
        /// Lowest correlation of the two cadence series at the best offset for them to be the same
        /// run. Design choice, from the synthetic runs of `WatchPairingTests`: the same 10 min run
        /// correlates at 0.97 with a watch that reports each second's cadence, 0.89 with one that
        /// averages it over 10 s, 0.78 over 20 s. The best lag within ±180 s of another 10 min run
        /// recorded at the same time (blocks of 30–150 s at 164–182 steps/min) reaches 0.5 for 10 %
        /// of 200 such runs, 0.6 for 4.5 %, 0.7 for 1 % (within ±900 s: 18.5 %, 9.5 %, 2.5 %); with
        /// the other checks, none of 40 of them pairs with a clock and one without. Longer runs, with
        /// more changes of pace, match by chance less often. (0.5 would let a tenth of them through.)
        public var minimumCorrelation: Double = 0.6
        /// Largest median absolute difference of the two 5 s cadences at the offset, steps/min.
        /// Design choice: the same run differs by about 1 step/min (noise, a watch's smoothing at
        /// pace changes); 8 catches another runner's file, a walk recorded against a run, and a
        /// file that stores strides where steps belong (half the cadence).
        public var maximumCadenceDifferenceSPM: Double = 8
        /// Smallest share of the session's running minutes the watch must cover. Design choice:
        /// speed for less than half the run leaves most comparisons unmatched anyway, and a small
        /// overlap is more often a neighbouring session than the right one.
        public var minimumRunningCoverage: Double = 0.5
        /// Time the watch's points must span inside a minute for the minute to count as covered, s.
        /// Design choice: half a minute; it tolerates a watch that records every few seconds.
        public var minimumCoveredSpanS: Double = 30
        /// Half-width of the moving average applied to altitude before a grade is taken, s. Design
        /// choice: GPS and barometric altitude wander by metres from second to second; ±30 s spans
        /// ~200 m of running, long against that noise and short against most hills. A change of
        /// grade is blurred over ±30 s (a 5 % change biases the altitude at the change by
        /// ~1 m at 3 m/s), so a minute that starts or ends at a sharp change of grade reads up to
        /// ~0.6 % of grade nearer the neighbouring minute's.
        public var altitudeSmoothingHalfWindowS: Double = 30
        /// Shortest horizontal distance over a minute that gets a grade, m. Design choice: below it
        /// (standing, a short walk) a metre of altitude error is several % of grade.
        public var minimumGradeDistanceM: Double = 50
        /// Speed from which a watch point counts as moving for the moving-start guess, m/s.
        /// Design choice: above a brisk walk (~1.4–1.7 m/s), below the slowest jog (~2 m/s).
        public var movingSpeedMPS: Double = 1.8
        /// Cadence from which a watch point counts as running, steps/min: for the moving-start guess
        /// when the point has no speed, and for `maximumGaitMismatchShare`. Design choice: between
        /// walking (90–130) and running (150–190) cadence (`ActivityKind`).
        public var runningCadenceSPM: Double = 140
        /// Largest share of the clip's running bins that may meet a watch bin that is not running
        /// (most of its cadence values, standing's zeros included, under `runningCadenceSPM`) for a
        /// lag to be a candidate, and at the offset found (else the file is refused): at the right
        /// offset the watch runs where the clip runs.
        /// Design choice: a change between walking and running takes a bin or two on either
        /// device and a watch's smoothing a few more; 10 % of a 10 min run is a minute. On the
        /// random other runs of `minimumCorrelation` it cuts the chance correlations of 0.5 or more
        /// from 27 % to 10 % (±180 s), and those of 0.6 or more from 12.5 % to 9.5 % (±900 s).
        public var maximumGaitMismatchShare: Double = 0.1
        /// Longest dip below moving (GPS noise, a turn, a crossing) that does not end a moving
        /// stretch, s. Design choice.
        public var movingStretchGapS: Double = 10
        /// Longest time between two points over which distance is summed from speed when the file
        /// gives no distance, s; a longer gap is taken as a pause (auto-pause). Design choice.
        public var maximumSpeedIntegrationGapS: Double = 10
        /// Smallest share of a session's duration a watch recording must overlap in time for
        /// `pairable` (gaitd's inbox picks the session a dropped watch file belongs to). Design
        /// choice: the same half as `minimumRunningCoverage`, on elapsed time (no analysis needed).
        public var minimumTimeOverlapShare: Double = 0.5

        /// The configuration described above.
        public init() {}

        /// The configuration described above.
        public static let standard = Configuration()
    }

    /// Aligns `track` to the session that `analysis` describes and reads speed, grade and cadence
    /// per minute of the session (minute k covers [60k, 60k + 60) s from the first sample, as in
    /// `RunTimeline`).
    ///
    /// - Parameters:
    ///   - sessionStartUTC: the session's first sample by its clock, seconds since 1970 UTC; nil
    ///     when the session has no trustworthy start (then the weaker moving-start guess is used).
    ///   - sourceName: the watch file as the runner knows it ("run.fit"), for `source` and errors.
    /// - Throws: `WatchPairingError` when the watch cannot be placed on the session's clock, does
    ///   not overlap it, covers less than half of its running, walks where the clip runs, or its
    ///   cadence disagrees with the clip's.
    public static func align(
        track: WatchTrack, analysis: GaitAnalysis, sessionStartUTC: Double?, sourceName: String,
        configuration: Configuration = .standard
    ) throws(WatchPairingError) -> SessionSpeed {
        let c = configuration
        let durationS = analysis.durationS
        guard let watchStartUTCS = track.startUTCS, let watchEndUTCS = track.endUTCS else {
            throw .cannotAlign(source: sourceName, reason: "the watch file has no points")
        }
        guard durationS > 0 else { throw .cannotAlign(source: sourceName, reason: "the session has no duration") }
        let clipCadence = clipCadenceSeries(analysis, configuration: c)
        let watchHasCadence = track.points.contains { ($0.cadenceSPM ?? 0) > 0 }

        // 1. The first guess.
        let guess: OffsetGuess
        if let sessionStartUTC {
            guess = OffsetGuess(offsetS: sessionStartUTC, name: "clock", note: nil, searchS: c.clockSearchS)
        } else {
            guard watchHasCadence else {
                throw .cannotAlign(source: sourceName, reason: "the session has no start time and the watch file has no cadence to line it up by")
            }
            guard let offsetS = movingStartOffset(track: track, analysis: analysis, configuration: c) else {
                throw .cannotAlign(source: sourceName, reason: "the session has no start time, and the session has no running bout "
                                   + "or the watch file no moving stretch to line up")
            }
            guess = OffsetGuess(offsetS: offsetS, name: "moving start", note: "no clock, a weaker guess", searchS: c.movingStartSearchS)
        }

        // 2. Refinement by cadence.
        var offsetS = guess.offsetS
        var shiftS = 0.0
        let refinedByCadence: Bool
        let method: String
        if !watchHasCadence {
            refinedByCadence = false
            method = guess.unrefined(because: "the watch file has no cadence")
        } else if let best = bestCadenceLag(clip: clipCadence, track: track, guessS: guess.offsetS, searchS: guess.searchS, configuration: c) {
            if best.clipSpreadSPM >= c.minimumCadenceSpreadSPM {
                refinedByCadence = true
                shiftS = best.lagS
                offsetS = guess.offsetS + best.lagS
                method = guess.refined(byS: best.lagS)
            } else {
                refinedByCadence = false
                method = guess.unrefined(because: "cadence too even to refine: SD \(format(best.clipSpreadSPM, 1)) steps/min")
            }
        } else {
            refinedByCadence = false
            method = guess.unrefined(because: "no offset within ±\(guess.searchS) s compares \(format(Double(c.minimumComparedBins * c.cadenceBinS) / 60, 0)) "
                                     + "min of the clip's running with the watch running")
        }

        // 3. Refusals.
        guard watchEndUTCS > offsetS, watchStartUTCS < offsetS + durationS else {
            throw .noTimeOverlap(source: sourceName, watchStartUTCS: watchStartUTCS, watchEndUTCS: watchEndUTCS,
                                 sessionStartUTCS: offsetS, sessionEndUTCS: offsetS + durationS)
        }
        let coverage = runningCoverage(analysis: analysis, track: track, offsetS: offsetS, configuration: c)
        guard Double(coverage.covered) >= c.minimumRunningCoverage * Double(coverage.total) else {
            throw .tooLittleCoverage(source: sourceName, coveredMinutes: coverage.covered, runningMinutes: coverage.total,
                                     minimumShare: c.minimumRunningCoverage)
        }
        let agreement = cadenceAgreement(clip: clipCadence, track: track, offsetS: offsetS, configuration: c)
        if let difference = agreement.medianDifferenceSPM, difference > c.maximumCadenceDifferenceSPM {
            throw .cadenceDifferent(source: sourceName, medianDifferenceSPM: difference, watchMedianSPM: agreement.watchMedianSPM ?? 0,
                                    clipMedianSPM: agreement.clipMedianSPM ?? 0, comparedS: agreement.comparedS,
                                    maximumSPM: c.maximumCadenceDifferenceSPM)
        }
        if let share = agreement.gaitMismatchShare, share > c.maximumGaitMismatchShare {
            throw .gaitDisagrees(source: sourceName, notRunningShare: share, maximumShare: c.maximumGaitMismatchShare)
        }
        if refinedByCadence, let correlation = agreement.correlation, correlation < c.minimumCorrelation {
            throw .cadenceUncorrelated(source: sourceName, correlation: correlation, firstGuess: guess.name, shiftS: shiftS,
                                       comparedS: agreement.comparedS, minimumCorrelation: c.minimumCorrelation)
        }

        // 4. Speed, grade and cadence per minute; distance over the session.
        let perMinute = minutes(track: track, offsetS: offsetS, durationS: durationS, configuration: c)
        return SessionSpeed(
            source: sourceDescription(track: track, sourceName: sourceName), offsetS: offsetS, method: method,
            cadenceCorrelation: refinedByCadence ? agreement.correlation : nil, cadenceDifferenceSPM: agreement.medianDifferenceSPM,
            overlap: coverage.total > 0 ? Double(coverage.covered) / Double(coverage.total) : 0,
            distanceKm: perMinute.distanceM.map { $0 / 1000 }, minutes: perMinute.minutes)
    }

    /// Whether `track` overlaps the session that starts at `sessionStartUTC` (seconds since 1970
    /// UTC) and lasts `sessionDurationS` for at least `minimumTimeOverlapShare` (half) of the
    /// session: cheap (no analysis), for picking the session a dropped watch file belongs to.
    public static func pairable(track: WatchTrack, sessionStartUTC: Double, sessionDurationS: Double) -> Bool {
        guard sessionDurationS > 0, let startUTCS = track.startUTCS, let endUTCS = track.endUTCS else { return false }
        let overlapS = min(endUTCS, sessionStartUTC + sessionDurationS) - max(startUTCS, sessionStartUTC)
        return overlapS >= Configuration.standard.minimumTimeOverlapShare * sessionDurationS
    }
}

// MARK: - The first guess

extension WatchPairing {
    /// A first guess of the offset and how far around it the cadence search looks.
    struct OffsetGuess {
        var offsetS: Double
        /// "clock" or "moving start".
        var name: String
        /// What the runner should know about the guess, if anything.
        var note: String?
        var searchS: Int

        func refined(byS shiftS: Double) -> String {
            name + (note.map { " (\($0))" } ?? "") + ", refined by cadence (\(signedSeconds(shiftS)))"
        }

        func unrefined(because reason: String) -> String {
            name + " only (" + (note.map { $0 + "; " } ?? "") + reason + ")"
        }
    }

    /// The offset that makes the watch's longest moving stretch start where the session's longest
    /// running bout starts; nil without either. Longest to longest rather than first to first: a
    /// warm-up jog or a stop splits runs differently on the two devices, the main run rarely.
    static func movingStartOffset(track: WatchTrack, analysis: GaitAnalysis, configuration c: Configuration) -> Double? {
        guard let bout = analysis.bouts.filter({ $0.kind == .running }).max(by: { $0.endS - $0.startS < $1.endS - $1.startS }) else {
            return nil
        }
        var best: (startUTCS: Double, lengthS: Double)?
        var stretch: (startUTCS: Double, lastUTCS: Double)?
        func close() {
            guard let current = stretch else { return }
            let lengthS = current.lastUTCS - current.startUTCS
            if lengthS > 0, lengthS > best?.lengthS ?? 0 { best = (current.startUTCS, lengthS) }
            stretch = nil
        }
        for point in track.points {
            let moving: Bool
            if let speed = point.speedMPS { moving = speed >= c.movingSpeedMPS } else { moving = (point.cadenceSPM ?? 0) >= c.runningCadenceSPM }
            guard moving else { continue }
            if let current = stretch, point.timeUTCS - current.lastUTCS <= c.movingStretchGapS {
                stretch?.lastUTCS = point.timeUTCS
            } else {
                close()
                stretch = (point.timeUTCS, point.timeUTCS)
            }
        }
        close()
        return best.map { $0.startUTCS - bout.startS }
    }
}

// MARK: - Cadence series

extension WatchPairing {
    /// The clip's cadence in consecutive bins of `cadenceBinS` from the first sample: 60 / the
    /// median step time of the bin's running steps, nil with fewer than `minimumStepsPerCadenceBin`.
    static func clipCadenceSeries(_ analysis: GaitAnalysis, configuration c: Configuration) -> [Double?] {
        let binS = Double(c.cadenceBinS)
        let count = max(0, Int((analysis.durationS / binS).rounded(.up)))
        var stepTimes = [[Double]](repeating: [], count: count)
        for step in analysis.steps where step.activity == .running {
            guard let stepTimeS = step.stepTimeS, stepTimeS > 0 else { continue }
            let bin = Int((step.initialContactS / binS).rounded(.down))
            guard bin >= 0, bin < count else { continue }
            stepTimes[bin].append(Double(stepTimeS))
        }
        return stepTimes.map { times in
            guard times.count >= c.minimumStepsPerCadenceBin, let median = RobustStatistics.median(times), median > 0 else { return nil }
            return 60 / median
        }
    }

    /// The watch's cadence in the same bins as `clipCadenceSeries` at `offsetS`: the mean of the
    /// cadences above zero (watches write 0 while the runner stands), and whether the watch was
    /// running (most of its cadence values, zeros included, at least `runningCadenceSPM`); nil in
    /// both where the watch gives no cadence.
    static func watchCadenceSeries(track: WatchTrack, offsetS: Double, binCount: Int,
                                   configuration c: Configuration) -> (cadenceSPM: [Double?], running: [Bool?]) {
        let binS = Double(c.cadenceBinS)
        var sums = [Double](repeating: 0, count: binCount)
        var movingCounts = [Int](repeating: 0, count: binCount)
        var runningCounts = [Int](repeating: 0, count: binCount)
        var allCounts = [Int](repeating: 0, count: binCount)
        for point in track.points {
            guard let cadence = point.cadenceSPM else { continue }
            let bin = Int(((point.timeUTCS - offsetS) / binS).rounded(.down))
            guard bin >= 0, bin < binCount else { continue }
            allCounts[bin] += 1
            if cadence > 0 {
                sums[bin] += cadence
                movingCounts[bin] += 1
            }
            if cadence >= c.runningCadenceSPM { runningCounts[bin] += 1 }
        }
        return ((0..<binCount).map { movingCounts[$0] > 0 ? sums[$0] / Double(movingCounts[$0]) : nil },
                (0..<binCount).map { allCounts[$0] > 0 ? 2 * runningCounts[$0] >= allCounts[$0] : nil })
    }

    /// The best whole-second lag of the cadence cross-correlation, refined on a parabola.
    struct CadenceLag {
        /// Shift from the guess, s.
        var lagS: Double
        var correlation: Double
        var comparedBins: Int
        /// Standard deviation of the clip's cadence over the compared bins, steps/min.
        var clipSpreadSPM: Double
    }

    /// Pearson correlation of the clip's running cadence and the watch's cadence at every
    /// whole-second lag within ±`searchS` of `guessS`, and the best of them: the highest at a lag
    /// that compares enough bins and where the watch runs when the clip runs
    /// (`maximumGaitMismatchShare`), short of the edge of the search (the true peak may lie
    /// beyond it); nil when no lag qualifies.
    ///
    /// The watch's cadence goes once into a one-second grid that starts `searchS` before the guess,
    /// with cumulative sums, so that each bin at each lag is two look-ups (lags × bins in all).
    static func bestCadenceLag(clip: [Double?], track: WatchTrack, guessS: Double, searchS: Int,
                               configuration c: Configuration) -> CadenceLag? {
        let clipBins: [(index: Int, value: Double)] = clip.enumerated().compactMap { index, value in value.map { (index, $0) } }
        guard !clipBins.isEmpty, searchS >= 0 else { return nil }
        let binCells = c.cadenceBinS
        let gridStartUTCS = guessS - Double(searchS)
        let cellCount = 2 * searchS + clip.count * binCells + 1
        // Cumulative sums over one-second cells: of the cadences above zero, and counts of every
        // cadence (standing's zeros included), of those above zero and of those of running.
        var cadenceSums = [Double](repeating: 0, count: cellCount + 1)
        var allCounts = [Int](repeating: 0, count: cellCount + 1)
        var movingCounts = [Int](repeating: 0, count: cellCount + 1)
        var runningCounts = [Int](repeating: 0, count: cellCount + 1)
        for point in track.points {
            guard let cadence = point.cadenceSPM else { continue }
            let cell = Int((point.timeUTCS - gridStartUTCS).rounded(.down))
            guard cell >= 0, cell < cellCount else { continue }
            allCounts[cell + 1] += 1
            if cadence > 0 {
                cadenceSums[cell + 1] += cadence
                movingCounts[cell + 1] += 1
            }
            if cadence >= c.runningCadenceSPM { runningCounts[cell + 1] += 1 }
        }
        for cell in 0..<cellCount {
            cadenceSums[cell + 1] += cadenceSums[cell]
            allCounts[cell + 1] += allCounts[cell]
            movingCounts[cell + 1] += movingCounts[cell]
            runningCounts[cell + 1] += runningCounts[cell]
        }
        // Centre both series on the clip's mean: the sums of squares stay small and exact.
        let centre = clipBins.reduce(0) { $0 + $1.value } / Double(clipBins.count)

        var results: [(compared: Int, observed: Int, mismatched: Int, correlation: Double?, spread: Double)] = []
        results.reserveCapacity(2 * searchS + 1)
        for lagIndex in 0...(2 * searchS) {
            var n = 0, observed = 0, mismatched = 0
            var sumX = 0.0, sumY = 0.0, sumXX = 0.0, sumYY = 0.0, sumXY = 0.0
            for (index, value) in clipBins {
                let first = lagIndex + index * binCells, last = first + binCells
                let all = allCounts[last] - allCounts[first]
                guard all > 0 else { continue }
                observed += 1
                if 2 * (runningCounts[last] - runningCounts[first]) < all { mismatched += 1 }
                let moving = movingCounts[last] - movingCounts[first]
                guard moving > 0 else { continue }
                let x = value - centre, y = (cadenceSums[last] - cadenceSums[first]) / Double(moving) - centre
                n += 1
                sumX += x; sumY += y; sumXX += x * x; sumYY += y * y; sumXY += x * y
            }
            let count = Double(n)
            let varianceX = count * sumXX - sumX * sumX, varianceY = count * sumYY - sumY * sumY
            let correlation = n >= 3 && varianceX > 1e-9 && varianceY > 1e-9
                ? (count * sumXY - sumX * sumY) / (varianceX * varianceY).squareRoot() : nil
            let spread = n > 0 ? max(0, sumXX / count - (sumX / count) * (sumX / count)).squareRoot() : 0
            results.append((n, observed, mismatched, correlation, spread))
        }

        let mostCompared = results.map(\.compared).max() ?? 0
        let required = max(c.minimumComparedBins, (mostCompared + 1) / 2)
        func usable(_ lagIndex: Int) -> Double? {
            guard lagIndex >= 0, lagIndex < results.count else { return nil }
            let result = results[lagIndex]
            guard result.compared >= required,
                  Double(result.mismatched) <= c.maximumGaitMismatchShare * Double(result.observed) else { return nil }
            return result.correlation
        }
        // From the guess outwards, so that a tie goes to the smaller shift.
        var bestIndex: Int?
        for distance in 0..<searchS {
            for lagIndex in Set([searchS - distance, searchS + distance]).sorted() {
                guard let correlation = usable(lagIndex) else { continue }
                if let current = bestIndex, let best = usable(current), correlation <= best { continue }
                bestIndex = lagIndex
            }
        }
        guard let bestIndex, let best = usable(bestIndex) else { return nil }
        var fractionS = 0.0
        if let before = usable(bestIndex - 1), let after = usable(bestIndex + 1) {
            let curvature = before - 2 * best + after
            if curvature < 0 { fractionS = min(0.5, max(-0.5, 0.5 * (before - after) / curvature)) }
        }
        return CadenceLag(lagS: Double(bestIndex - searchS) + fractionS, correlation: best,
                          comparedBins: results[bestIndex].compared, clipSpreadSPM: results[bestIndex].spread)
    }

    /// How the two cadence series agree at `offsetS`.
    struct CadenceAgreement {
        var correlation: Double?
        var medianDifferenceSPM: Double?
        var clipMedianSPM: Double?
        var watchMedianSPM: Double?
        /// Running time compared, s.
        var comparedS: Double
        /// Share of the clip's running bins with watch cadence in which the watch was not running.
        var gaitMismatchShare: Double?
    }

    /// Correlation, median absolute difference and walking-against-running of the clip's and the
    /// watch's 5 s cadence at `offsetS`.
    static func cadenceAgreement(clip: [Double?], track: WatchTrack, offsetS: Double, configuration c: Configuration) -> CadenceAgreement {
        let watch = watchCadenceSeries(track: track, offsetS: offsetS, binCount: clip.count, configuration: c)
        var observed = 0, mismatched = 0
        for (clipValue, running) in zip(clip, watch.running) where clipValue != nil {
            guard let running else { continue }
            observed += 1
            if !running { mismatched += 1 }
        }
        var clipValues: [Double] = [], watchValues: [Double] = []
        for (clipValue, watchValue) in zip(clip, watch.cadenceSPM) {
            guard let clipValue, let watchValue else { continue }
            clipValues.append(clipValue)
            watchValues.append(watchValue)
        }
        let differences = zip(clipValues, watchValues).map { abs($0 - $1) }
        return CadenceAgreement(
            correlation: pearson(clipValues, watchValues), medianDifferenceSPM: RobustStatistics.median(differences),
            clipMedianSPM: RobustStatistics.median(clipValues), watchMedianSPM: RobustStatistics.median(watchValues),
            comparedS: Double(clipValues.count * c.cadenceBinS),
            gaitMismatchShare: observed > 0 ? Double(mismatched) / Double(observed) : nil)
    }

    /// Pearson correlation; nil with fewer than 3 pairs or a constant side.
    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 3 else { return nil }
        let meanX = x.reduce(0, +) / Double(x.count), meanY = y.reduce(0, +) / Double(y.count)
        var sumXY = 0.0, sumXX = 0.0, sumYY = 0.0
        for (a, b) in zip(x, y) {
            sumXY += (a - meanX) * (b - meanY)
            sumXX += (a - meanX) * (a - meanX)
            sumYY += (b - meanY) * (b - meanY)
        }
        guard sumXX > 1e-12, sumYY > 1e-12 else { return nil }
        return sumXY / (sumXX * sumYY).squareRoot()
    }
}

// MARK: - Coverage, minutes, distance

extension WatchPairing {
    /// The session's running minutes (`RunTimeline.runningBins`; its gait minutes when it has no
    /// running, every minute when it has no gait) and how many of them the watch covers at `offsetS`.
    static func runningCoverage(analysis: GaitAnalysis, track: WatchTrack, offsetS: Double,
                                configuration c: Configuration) -> (covered: Int, total: Int) {
        let timeline = RunTimeline(analysis: analysis, binS: 60)
        let minuteCount = minuteCount(durationS: analysis.durationS)
        var minuteIndices = timeline.runningBins.map { Int(($0.startS / 60).rounded()) }
        if minuteIndices.isEmpty { minuteIndices = timeline.bins.map { Int(($0.startS / 60).rounded()) } }
        if minuteIndices.isEmpty { minuteIndices = Array(0..<minuteCount) }

        var spans = [(firstS: Double, lastS: Double)?](repeating: nil, count: minuteCount)
        for point in track.points {
            let sessionS = point.timeUTCS - offsetS
            guard sessionS >= 0, sessionS <= analysis.durationS else { continue }
            let minute = min(minuteCount - 1, Int((sessionS / 60).rounded(.down)))
            if spans[minute] == nil { spans[minute] = (sessionS, sessionS) } else { spans[minute]?.lastS = sessionS }
        }
        let covered = minuteIndices.filter { index in
            guard index >= 0, index < minuteCount, let span = spans[index] else { return false }
            return span.lastS - span.firstS >= c.minimumCoveredSpanS
        }.count
        return (covered, minuteIndices.count)
    }

    /// Minutes of a session of `durationS`: minute k covers [60k, 60k + 60) s.
    static func minuteCount(durationS: Double) -> Int {
        max(1, Int((durationS / 60).rounded(.up)))
    }

    /// Speed, grade and cadence per minute of the session, and the distance over it.
    static func minutes(track: WatchTrack, offsetS: Double, durationS: Double,
                        configuration c: Configuration) -> (minutes: [SessionSpeed.Minute], distanceM: Double?) {
        let points = track.points
        let distances = cumulativeDistances(points, configuration: c)
        let altitudes = smoothedAltitudes(points, halfWindowS: c.altitudeSmoothingHalfWindowS)
        let minuteCount = minuteCount(durationS: durationS)

        struct Accumulator {
            var speedSum = 0.0, speedCount = 0
            var cadenceSum = 0.0, cadenceCount = 0
            /// First and last points with a distance, and with both a distance and a smoothed altitude.
            var firstDistance: Int?, lastDistance: Int?
            var firstGrade: Int?, lastGrade: Int?
        }
        var accumulators = [Accumulator](repeating: Accumulator(), count: minuteCount)
        var sessionFirstDistance: Int?, sessionLastDistance: Int?
        for (index, point) in points.enumerated() {
            let sessionS = point.timeUTCS - offsetS
            guard sessionS >= 0, sessionS <= durationS else { continue }
            let minute = min(minuteCount - 1, Int((sessionS / 60).rounded(.down)))
            if let speed = point.speedMPS {
                accumulators[minute].speedSum += speed
                accumulators[minute].speedCount += 1
            }
            if let cadence = point.cadenceSPM, cadence > 0 {
                accumulators[minute].cadenceSum += cadence
                accumulators[minute].cadenceCount += 1
            }
            if distances[index] != nil {
                if accumulators[minute].firstDistance == nil { accumulators[minute].firstDistance = index }
                accumulators[minute].lastDistance = index
                if sessionFirstDistance == nil { sessionFirstDistance = index }
                sessionLastDistance = index
                if altitudes[index] != nil {
                    if accumulators[minute].firstGrade == nil { accumulators[minute].firstGrade = index }
                    accumulators[minute].lastGrade = index
                }
            }
        }

        let minutes = accumulators.enumerated().map { minute, a -> SessionSpeed.Minute in
            var speedMPS: Double?
            if a.speedCount > 0 {
                speedMPS = a.speedSum / Double(a.speedCount)
            } else if let first = a.firstDistance, let last = a.lastDistance, let start = distances[first], let end = distances[last],
                      points[last].timeUTCS > points[first].timeUTCS {
                speedMPS = (end - start) / (points[last].timeUTCS - points[first].timeUTCS)
            }
            var gradePct: Double?
            if let first = a.firstGrade, let last = a.lastGrade, let start = distances[first], let end = distances[last],
               end - start >= c.minimumGradeDistanceM, let rise = altitudes[last].flatMap({ top in altitudes[first].map { top - $0 } }) {
                gradePct = rise / (end - start) * 100
            }
            return SessionSpeed.Minute(startS: Double(minute) * 60, speedMPS: speedMPS, gradePct: gradePct,
                                       watchCadenceSPM: a.cadenceCount > 0 ? a.cadenceSum / Double(a.cadenceCount) : nil)
        }
        var distanceM: Double?
        if let first = sessionFirstDistance, let last = sessionLastDistance, last > first, let start = distances[first], let end = distances[last] {
            distanceM = end - start
        }
        return (minutes, distanceM)
    }

    /// Distance covered at each point, m: the file's distance, or, when no point has one, the
    /// speed summed over time (gaps longer than `maximumSpeedIntegrationGapS` add nothing).
    static func cumulativeDistances(_ points: [WatchPoint], configuration c: Configuration) -> [Double?] {
        if points.contains(where: { $0.distanceM != nil }) { return points.map(\.distanceM) }
        guard points.contains(where: { $0.speedMPS != nil }) else { return [Double?](repeating: nil, count: points.count) }
        var totalM = 0.0
        var previousUTCS: Double?
        return points.map { point in
            if let previousUTCS, let speed = point.speedMPS {
                let stepS = point.timeUTCS - previousUTCS
                if stepS <= c.maximumSpeedIntegrationGapS { totalM += speed * stepS }
            }
            previousUTCS = point.timeUTCS
            return totalM
        }
    }

    /// Altitude at each point averaged over the points within ±`halfWindowS`, m; nil where the point
    /// has no altitude.
    static func smoothedAltitudes(_ points: [WatchPoint], halfWindowS: Double) -> [Double?] {
        let indices = points.indices.filter { points[$0].altitudeM != nil }
        var smoothed = [Double?](repeating: nil, count: points.count)
        var low = 0, high = 0
        var sum = 0.0
        for index in indices {
            let timeS = points[index].timeUTCS
            while high < indices.count, points[indices[high]].timeUTCS <= timeS + halfWindowS {
                sum += points[indices[high]].altitudeM!
                high += 1
            }
            while points[indices[low]].timeUTCS < timeS - halfWindowS {
                sum -= points[indices[low]].altitudeM!
                low += 1
            }
            smoothed[index] = sum / Double(high - low)
        }
        return smoothed
    }

    /// The watch file as a person knows it: "FIT from Garmin product 4024 (run.fit)".
    static func sourceDescription(track: WatchTrack, sourceName: String) -> String {
        let format = track.format.rawValue.uppercased()
        if let device = track.device, !device.isEmpty { return "\(format) from \(device) (\(sourceName))" }
        return "\(format) (\(sourceName))"
    }
}

/// Why a watch file was not paired with a session: each case names the file and the numbers
/// that decided, so that the runner can tell a wrong file from a short one.
public enum WatchPairingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The watch cannot be placed on the session's clock (no start time and nothing to line up by).
    case cannotAlign(source: String, reason: String)
    /// The watch's recording and the session do not overlap in time (times in seconds since 1970 UTC;
    /// the session's by the offset found).
    case noTimeOverlap(source: String, watchStartUTCS: Double, watchEndUTCS: Double, sessionStartUTCS: Double, sessionEndUTCS: Double)
    /// The watch covers too few of the session's running minutes.
    case tooLittleCoverage(source: String, coveredMinutes: Int, runningMinutes: Int, minimumShare: Double)
    /// Where the clip runs, the watch shows walking or standing too often (share of the clip's
    /// running 5 s bins) at the offset found.
    case gaitDisagrees(source: String, notRunningShare: Double, maximumShare: Double)
    /// The two cadences are too far apart at the offset (median absolute difference of 5 s bins, steps/min).
    case cadenceDifferent(source: String, medianDifferenceSPM: Double, watchMedianSPM: Double, clipMedianSPM: Double,
                          comparedS: Double, maximumSPM: Double)
    /// The two cadences do not rise and fall together at any offset searched (`shiftS` from the
    /// first guess, which is "clock" or "moving start").
    case cadenceUncorrelated(source: String, correlation: Double, firstGuess: String, shiftS: Double, comparedS: Double,
                             minimumCorrelation: Double)

    public var description: String {
        switch self {
        case .cannotAlign(let source, let reason):
            return "\(source) cannot be placed on this session's clock: \(reason)"
        case .noTimeOverlap(let source, let watchStart, let watchEnd, let sessionStart, let sessionEnd):
            return "\(source) does not overlap this session in time: the watch recorded \(utc(watchStart)) to \(utc(watchEnd)), "
                + "the session ran \(utc(sessionStart)) to \(utc(sessionEnd))"
        case .tooLittleCoverage(let source, let covered, let total, let minimumShare):
            let share = total > 0 ? Double(covered) / Double(total) * 100 : 0
            return "\(source) covers too little of this session: \(covered) of its \(total) running minutes "
                + "(\(format(share, 0)) %; at least \(format(minimumShare * 100, 0)) % needed)"
        case .gaitDisagrees(let source, let share, let maximum):
            return "\(source) does not match this session: the watch shows walking or standing during \(format(share * 100, 0)) % "
                + "of the clip's running at the best offset (at most \(format(maximum * 100, 0)) % for the same run)"
        case .cadenceDifferent(let source, let difference, let watchMedian, let clipMedian, let comparedS, let maximum):
            let ratio = clipMedian > 0 ? watchMedian / clipMedian : 0
            let hint = (0.45...0.55).contains(ratio) ? "; about half: does the file count strides, not steps?" : ""
            return "\(source) does not match this session: its cadence differs from the clip's by \(format(difference, 1)) steps/min "
                + "(median over \(format(comparedS / 60, 1)) min of running; watch \(format(watchMedian, 0)), "
                + "clip \(format(clipMedian, 0)) steps/min; at most \(format(maximum, 0)) for the same run\(hint))"
        case .cadenceUncorrelated(let source, let correlation, let firstGuess, let shiftS, let comparedS, let minimum):
            return "\(source) does not match this session: cadence correlation \(format(correlation, 2)) at the best offset "
                + "(\(firstGuess) \(signedSeconds(shiftS)), over \(format(comparedS / 60, 1)) min of running; "
                + "the same run correlates at \(format(minimum, 2)) or more)"
        }
    }

    private func utc(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds.rounded()).formatted(.iso8601)
    }
}

/// `value` with `digits` decimals.
private func format(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

/// A shift in seconds with its sign: "+12.0 s", "−40.3 s".
private func signedSeconds(_ value: Double) -> String {
    (value < 0 ? "−" : "+") + format(abs(value), 1) + " s"
}
