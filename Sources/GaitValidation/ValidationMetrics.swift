import GaitDSP

/// The metrics of one trial or of a pool of trials; a pool is scored over all its pairs and
/// bouts together (counts add up), not as a mean of trial scores.
public struct ValidationMetrics: Sendable, Codable, Equatable {
    /// Number of trials pooled.
    public var trialCount: Int
    /// Reference initial contacts inside the reference bouts.
    public var referenceContactCount: Int
    /// Initial-contact detection at each tolerance.
    public var contactDetection: [DetectionScore]
    /// Initial-contact timing, detected − reference, seconds, over the pairs matched within
    /// `ValidationSettings.pairingToleranceS` (bias and spread; limits of agreement).
    public var contactTimingS: AgreementStatistics
    /// Cadence error per reference bout.
    public var cadence: CadenceAgreement
    /// Side agreement over the pairs whose reference side is known.
    public var side: SideAgreement
    /// Contact time, detected − reference, seconds, over the pairs with both values.
    public var contactTimeS: AgreementStatistics
    /// The same by treadmill slope; nil when no trial states a slope.
    public var contactTimeBySlopeS: SlopeGroups?
    /// Per-trial median contact time against the reference median, seconds.
    public var contactTimeMediansS: MedianAgreement
    /// Final contact (toe-off) time, detected − reference, seconds, over the pairs with both values.
    public var finalContactS: AgreementStatistics
    /// Peak vertical force per step, detected − reference, body weights.
    public var peakForceBW: AgreementStatistics
    /// Per-trial median peak vertical force against the reference median, body weights.
    public var peakForceMediansBW: MedianAgreement

    /// Detection of initial contacts at one tolerance.
    public struct DetectionScore: Sendable, Codable, Equatable {
        /// The matching tolerance, seconds.
        public var toleranceS: Double
        /// Reference contacts with a detected contact within the tolerance (one-to-one).
        public var truePositives: Int
        /// Detected contacts matched to none.
        public var falsePositives: Int
        /// Reference contacts matched to none.
        public var falseNegatives: Int
        /// TP / (TP + FP).
        public var precision: Double
        /// TP / (TP + FN).
        public var recall: Double
        /// Harmonic mean of precision and recall.
        public var f1: Double
    }

    /// Cadence error over the reference bouts: |60 / mean detected step time − reference cadence|.
    public struct CadenceAgreement: Sendable, Codable, Equatable {
        /// Bouts with a reference cadence.
        public var boutCount: Int
        /// Mean error over the bouts, steps/min.
        public var meanErrorSpm: Double?
        /// Largest error of a bout, steps/min.
        public var maxErrorSpm: Double?
        /// The same with our cadence computed as the reference computed its own
        /// (`TrialEvidence.BoutCadence.likeForLikeSpm`).
        public var likeForLikeMeanErrorSpm: Double?
        public var likeForLikeMaxErrorSpm: Double?
    }

    /// How often the detected side is the reference foot.
    public struct SideAgreement: Sendable, Codable, Equatable {
        /// Pairs with a known reference side and a detected side.
        public var count: Int
        /// Of those, the ones where the sides agree.
        public var agreeing: Int
        /// agreeing / count.
        public var share: Double?
        /// Pairs with a known reference side whose step got no side.
        public var unlabelledCount: Int
        /// Pairs whose side confidence is at least `ValidationSettings.confidentSideThreshold`.
        public var confidentCount: Int
        /// Of those, the ones where the sides agree.
        public var confidentAgreeing: Int
        /// confidentAgreeing / confidentCount: a calibrated confidence keeps this near 1.
        public var confidentShare: Double?
    }

    /// Contact-time agreement by treadmill slope.
    public struct SlopeGroups: Sendable, Codable, Equatable {
        /// |slope| under `ValidationSettings.levelSlopeLimitDeg`.
        public var level: AgreementStatistics
        /// Uphill slopes.
        public var uphill: AgreementStatistics
        /// Downhill slopes.
        public var downhill: AgreementStatistics
    }

    /// Agreement of per-trial medians across trials.
    public struct MedianAgreement: Sendable, Codable, Equatable {
        /// Trials with both medians.
        public var trialCount: Int
        /// Pearson's r of detected against reference medians; nil for fewer than three trials.
        public var pearsonR: Double?
        /// Mean over the trials of (detected median − reference median); nil without trials.
        public var bias: Double?
    }

    /// Scores the pool of `trials`.
    public init(trials: [TrialEvidence], settings: ValidationSettings = ValidationSettings()) {
        trialCount = trials.count
        referenceContactCount = trials.reduce(0) { $0 + $1.referenceContactCount }
        contactDetection = settings.tolerancesS.indices.map { index in
            let match = trials.reduce(EventMatch.zero) { $0 + $1.contactMatches[index] }
            return DetectionScore(toleranceS: settings.tolerancesS[index], truePositives: match.truePositives,
                                  falsePositives: match.falsePositives, falseNegatives: match.falseNegatives,
                                  precision: match.precision, recall: match.recall, f1: match.f1)
        }
        contactTimingS = AgreementStatistics(differences: trials.flatMap(\.contactErrorsS))

        let cadenceErrors = trials.flatMap(\.boutCadences).map(\.errorSpm)
        let likeForLikeErrors = trials.flatMap(\.boutCadences).map(\.likeForLikeErrorSpm)
        cadence = CadenceAgreement(boutCount: cadenceErrors.count, meanErrorSpm: SampleStatistics.mean(cadenceErrors),
                                   maxErrorSpm: cadenceErrors.max(), likeForLikeMeanErrorSpm: SampleStatistics.mean(likeForLikeErrors),
                                   likeForLikeMaxErrorSpm: likeForLikeErrors.max())

        let sides = trials.flatMap(\.sides)
        let labelled = sides.filter { $0.detected != nil }
        let confident = labelled.filter { $0.confidence >= settings.confidentSideThreshold }
        let agreeing = labelled.filter { $0.detected == $0.reference }.count
        let confidentAgreeing = confident.filter { $0.detected == $0.reference }.count
        side = SideAgreement(count: labelled.count, agreeing: agreeing, share: Self.share(agreeing, labelled.count),
                             unlabelledCount: sides.count - labelled.count, confidentCount: confident.count,
                             confidentAgreeing: confidentAgreeing, confidentShare: Self.share(confidentAgreeing, confident.count))

        contactTimeS = AgreementStatistics(pairs: trials.flatMap(\.contactTimesS))
        if trials.contains(where: { $0.conditions?.treadmillSlopeDeg != nil }) {
            func pooled(_ include: (Double) -> Bool) -> AgreementStatistics {
                AgreementStatistics(pairs: trials.filter { $0.conditions?.treadmillSlopeDeg.map(include) ?? false }.flatMap(\.contactTimesS))
            }
            let limit = settings.levelSlopeLimitDeg
            contactTimeBySlopeS = SlopeGroups(level: pooled { abs($0) < limit }, uphill: pooled { $0 >= limit },
                                              downhill: pooled { $0 <= -limit })
        }
        contactTimeMediansS = MedianAgreement(trials.map(\.medianContactTimeS))
        finalContactS = AgreementStatistics(pairs: trials.flatMap(\.finalContactsS))
        peakForceBW = AgreementStatistics(pairs: trials.flatMap(\.peakForcesBW))
        peakForceMediansBW = MedianAgreement(trials.map(\.medianPeakForceBW))
    }

    private static func share(_ part: Int, _ whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }

    /// F1 at `toleranceS`, if that tolerance was scored.
    public func f1(atToleranceS toleranceS: Double) -> Double? {
        contactDetection.first { abs($0.toleranceS - toleranceS) < 1e-9 }?.f1
    }
}

extension ValidationMetrics.MedianAgreement {
    /// The agreement of the trials' medians that have both values.
    init(_ medians: [TrialEvidence.OptionalPair]) {
        let pairs = medians.compactMap { m in m.detected.flatMap { d in m.reference.map { ValuePair(detected: d, reference: $0) } } }
        trialCount = pairs.count
        pearsonR = SampleStatistics.pearsonR(pairs.map(\.detected), pairs.map(\.reference))
        bias = SampleStatistics.mean(pairs.map(\.difference))
    }
}
