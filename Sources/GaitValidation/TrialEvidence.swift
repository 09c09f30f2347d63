import GaitDSP

/// What one recording's analysis shows against its reference: the matches, pairs and values
/// every metric is computed from, so that a trial and a pool of trials are scored the same way.
///
/// Everything is counted inside the reference bouts: reference contacts between a bout's start
/// and end, detected contacts within the tolerance of them.
public struct TrialEvidence: Sendable {
    /// The recording's name (file stem).
    public var name: String
    /// Whether the recording is in the folder's `held-out.txt`.
    public var isHeldOut: Bool
    /// Speed and treadmill slope, as the reference states them.
    public var conditions: ValidationReference.Conditions?
    /// Initial-contact matches, one per tolerance of `ValidationSettings.tolerancesS`, in order.
    public var contactMatches: [EventMatch]
    /// Detected − reference time of each initial contact paired within the pairing tolerance, seconds.
    public var contactErrorsS: [Double]
    /// The side of each pair whose reference side is known.
    public var sides: [SidePair]
    /// Contact time of each pair with a detected and a reference value, seconds.
    public var contactTimesS: [ValuePair]
    /// Final contact (toe-off) time of each pair with both values, seconds on the recording's clock.
    public var finalContactsS: [ValuePair]
    /// Peak vertical force of each pair with both values, body weights.
    public var peakForcesBW: [ValuePair]
    /// Cadence of each reference bout with a reference cadence.
    public var boutCadences: [BoutCadence]
    /// Median contact time of the detected steps inside the bouts, and of the reference contacts, seconds.
    public var medianContactTimeS: OptionalPair
    /// Median peak vertical force of the detected steps inside the bouts, and of the reference contacts, body weights.
    public var medianPeakForceBW: OptionalPair
    /// How many reference contacts inside the bouts have each measure.
    public var referenceCounts: MeasureCounts
    /// How many detected steps inside the bouts have each measure.
    public var detectedCounts: MeasureCounts

    /// How many contacts or steps carry each measure (what a source can be scored on).
    public struct MeasureCounts: Sendable, Equatable, Codable {
        /// With a side.
        public var sides = 0
        /// With a contact time.
        public var contactTimes = 0
        /// With a final contact (toe-off).
        public var finalContacts = 0
        /// With a peak vertical force.
        public var peakForces = 0

        /// Adds the counts of another trial.
        public static func + (a: MeasureCounts, b: MeasureCounts) -> MeasureCounts {
            MeasureCounts(sides: a.sides + b.sides, contactTimes: a.contactTimes + b.contactTimes,
                          finalContacts: a.finalContacts + b.finalContacts, peakForces: a.peakForces + b.peakForces)
        }
    }

    /// The side of a paired step and of its reference contact.
    public struct SidePair: Sendable, Equatable {
        /// The side the analysis gave the step; nil if it gave none.
        public var detected: FootSide?
        /// The analysis's confidence in that side, 0 to 1.
        public var confidence: Float
        /// The reference foot.
        public var reference: FootSide
    }

    /// One bout's cadence: the reference's, and 60 / mean step time of the detected steps in it.
    public struct BoutCadence: Sendable, Equatable {
        /// Reference cadence, steps/min.
        public var referenceSpm: Double
        /// Detected cadence, steps/min; nil when no step with a step time was detected in the bout.
        public var detectedSpm: Double?
        /// Detected cadence computed as the reference computed its own, steps/min: the mean of
        /// 120 / stride time over our strides (two steps in a row, each with a step time, their
        /// contacts within the pairing tolerance of the bout) where the reference's is the mean of
        /// stride cadences (`ValidationReference.cadence(ofBoutAt:)`), else `detectedSpm`; nil
        /// when there is no such stride or step.
        public var likeForLikeSpm: Double?
        /// |detected − reference|, steps/min; the whole reference cadence when nothing was detected.
        public var errorSpm: Double { detectedSpm.map { abs($0 - referenceSpm) } ?? referenceSpm }
        /// |like for like − reference|, steps/min; the whole reference cadence when nothing was detected.
        public var likeForLikeErrorSpm: Double { likeForLikeSpm.map { abs($0 - referenceSpm) } ?? referenceSpm }
    }

    /// A detected and a reference value that may each be missing.
    public struct OptionalPair: Sendable, Equatable {
        /// The detected value.
        public var detected: Double?
        /// The reference value.
        public var reference: Double?
    }

    /// Scores the steps of an analysis (`GaitAnalysis.steps`) against `reference`.
    public init(name: String, steps: [GaitStep], reference: ValidationReference, isHeldOut: Bool,
                settings: ValidationSettings = ValidationSettings()) {
        self.name = name
        self.isHeldOut = isHeldOut
        conditions = reference.recording
        let bouts = reference.reference?.walkingBouts ?? []
        let contacts = reference.reference?.initialContacts ?? []

        func contactIndices(in bout: ValidationReference.Bout) -> [Int] {
            contacts.indices.filter { contacts[$0].initialContactS >= bout.startS - 1e-6 && contacts[$0].initialContactS <= bout.endS + 1e-6 }
        }
        func stepIndices(in bout: ValidationReference.Bout, toleranceS: Double) -> [Int] {
            steps.indices.filter { steps[$0].initialContactS >= bout.startS - toleranceS && steps[$0].initialContactS <= bout.endS + toleranceS }
        }

        contactMatches = settings.tolerancesS.map { tolerance in
            bouts.reduce(EventMatch.zero) { total, bout in
                total + EventMatch.match(detected: stepIndices(in: bout, toleranceS: tolerance).map { steps[$0].initialContactS },
                                         reference: contactIndices(in: bout).map { contacts[$0].initialContactS },
                                         toleranceS: tolerance)
            }
        }

        var errors: [Double] = [], sides: [SidePair] = []
        var contactTimes: [ValuePair] = [], finalContacts: [ValuePair] = [], forces: [ValuePair] = []
        for bout in bouts {
            let d = stepIndices(in: bout, toleranceS: settings.pairingToleranceS), r = contactIndices(in: bout)
            let pairs = MatchedEvent.pairs(detected: d.map { steps[$0].initialContactS }, reference: r.map { contacts[$0].initialContactS },
                                           toleranceS: settings.pairingToleranceS)
            for pair in pairs {
                let step = steps[d[pair.detectedIndex]], contact = contacts[r[pair.referenceIndex]]
                errors.append(pair.errorS)
                if let side = contact.side { sides.append(SidePair(detected: step.side, confidence: step.sideConfidence, reference: side)) }
                if let detected = step.groundContactTimeS, let truth = contact.contactTimeS {
                    contactTimes.append(ValuePair(detected: Double(detected), reference: truth))
                }
                if let detected = step.finalContactS, let truth = contact.finalContactS {
                    finalContacts.append(ValuePair(detected: detected, reference: truth))
                }
                if let detected = step.peakVerticalForceBW, let truth = contact.peakVerticalForceBW {
                    forces.append(ValuePair(detected: Double(detected), reference: truth))
                }
            }
        }
        contactErrorsS = errors
        self.sides = sides
        contactTimesS = contactTimes
        finalContactsS = finalContacts
        peakForcesBW = forces

        boutCadences = bouts.indices.compactMap { index in
            guard let truth = reference.cadence(ofBoutAt: index) else { return nil }
            let bout = bouts[index]
            let times = steps.filter { $0.initialContactS >= bout.startS && $0.initialContactS < bout.endS }.compactMap(\.stepTimeS)
            let detected = SampleStatistics.mean(times.map(Double.init)).map { 60 / $0 }
            var likeForLike = detected
            if truth.estimator == .meanOfStrideCadences {
                let inBout = stepIndices(in: bout, toleranceS: settings.pairingToleranceS)
                let strides = inBout.indices.dropLast(2).compactMap { k -> Double? in
                    let (a, b, c) = (inBout[k], inBout[k + 1], inBout[k + 2])
                    guard b == a + 1, c == a + 2, steps[b].stepTimeS != nil, steps[c].stepTimeS != nil else { return nil }
                    return 120 / (steps[c].initialContactS - steps[a].initialContactS)
                }
                likeForLike = SampleStatistics.mean(strides)
            }
            return BoutCadence(referenceSpm: truth.spm, detectedSpm: detected, likeForLikeSpm: likeForLike)
        }

        let stepsInBouts = steps.filter { step in bouts.contains { step.initialContactS >= $0.startS && step.initialContactS <= $0.endS } }
        let contactsInBouts = bouts.flatMap { contactIndices(in: $0).map { contacts[$0] } }
        medianContactTimeS = OptionalPair(
            detected: SampleStatistics.median(stepsInBouts.compactMap(\.groundContactTimeS).map(Double.init)),
            reference: SampleStatistics.median(contactsInBouts.compactMap(\.contactTimeS)))
        medianPeakForceBW = OptionalPair(
            detected: SampleStatistics.median(stepsInBouts.compactMap(\.peakVerticalForceBW).map(Double.init)),
            reference: SampleStatistics.median(contactsInBouts.compactMap(\.peakVerticalForceBW)))
        referenceCounts = MeasureCounts(
            sides: contactsInBouts.filter { $0.side != nil }.count, contactTimes: contactsInBouts.filter { $0.contactTimeS != nil }.count,
            finalContacts: contactsInBouts.filter { $0.finalContactS != nil }.count,
            peakForces: contactsInBouts.filter { $0.peakVerticalForceBW != nil }.count)
        detectedCounts = MeasureCounts(
            sides: stepsInBouts.filter { $0.side != nil }.count, contactTimes: stepsInBouts.filter { $0.groundContactTimeS != nil }.count,
            finalContacts: stepsInBouts.filter { $0.finalContactS != nil }.count,
            peakForces: stepsInBouts.filter { $0.peakVerticalForceBW != nil }.count)
    }

    /// Reference initial contacts inside the bouts.
    public var referenceContactCount: Int {
        contactMatches.first.map { $0.truePositives + $0.falseNegatives } ?? 0
    }
}
