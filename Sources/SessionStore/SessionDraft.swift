import Foundation
import GaitDSP
import GaitInference

/// A session read and analysed, ready for `SessionStore.insertSession`: everything the one short
/// write needs, computed before it (SessionIngest builds it).
public struct SessionDraft: Sendable {
    /// Where it came from.
    public var source: SessionSource
    /// The file it was read from (as given), or the clip archive path.
    public var sourcePath: String
    /// SHA-256 of the file's bytes: a file's identity.
    public var contentHash: String
    /// For a clip session: the clip's serial, firmware and the session's id on the clip (its identity).
    public var clip: ClipIdentity?
    /// Start of the recording (UTC), nil when it cannot be known.
    public var startedAt: Date?
    /// The rate the engine was told (declared in the file or by the clip); nil: estimated.
    public var configuredSampleRateHz: Double?
    /// What the reader reported, before the engine added its part (re-analysis starts from it).
    public var readerInput: InputDescription
    /// The analysis of the samples.
    public var analysis: GaitAnalysis
    /// Who ran it, in which shoes, how far (nil: not known).
    public var runnerID: Int64?
    public var shoeID: Int64?
    public var distanceKm: Double?

    /// A clip session's identity.
    public struct ClipIdentity: Sendable, Equatable {
        public var serial: String
        public var firmware: String?
        public var sessionID: UInt32

        public init(serial: String, firmware: String?, sessionID: UInt32) {
            self.serial = serial
            self.firmware = firmware
            self.sessionID = sessionID
        }
    }

    /// Speed and slope from the runner's watch file, aligned to the session; nil without one.
    public var speed: SessionSpeed?
    /// Why this copy is incomplete (bad blocks, a truncated tail), in one line; nil when complete.
    public var incompleteReason: String?
    /// The time zone the session was recorded in (an IANA identifier); nil: this machine's.
    /// A session pushed to a clinic keeps the runner's.
    public var timeZone: String?

    /// The zone stored with the session: `timeZone` when it is one this system knows, else this machine's.
    public var storedTimeZone: String {
        timeZone.flatMap { TimeZone(identifier: $0)?.identifier } ?? TimeZone.current.identifier
    }

    public init(source: SessionSource, sourcePath: String, contentHash: String, clip: ClipIdentity? = nil, startedAt: Date? = nil,
                configuredSampleRateHz: Double? = nil, readerInput: InputDescription, analysis: GaitAnalysis,
                runnerID: Int64? = nil, shoeID: Int64? = nil, distanceKm: Double? = nil, speed: SessionSpeed? = nil,
                incompleteReason: String? = nil, timeZone: String? = nil) {
        self.timeZone = timeZone
        self.speed = speed
        self.incompleteReason = incompleteReason
        self.source = source
        self.sourcePath = sourcePath
        self.contentHash = contentHash
        self.clip = clip
        self.startedAt = startedAt
        self.configuredSampleRateHz = configuredSampleRateHz
        self.readerInput = readerInput
        self.analysis = analysis
        self.runnerID = runnerID
        self.shoeID = shoeID
        self.distanceKm = distanceKm
    }
}

/// The flags of a session with the facts that later sessions' baselines read; stored together.
public struct SessionInference: Sendable {
    public var flags: [GaitFlag]
    public var facts: SessionFacts

    public init(flags: [GaitFlag], facts: SessionFacts) {
        self.flags = flags
        self.facts = facts
    }
}

/// What `insertSession` did.
public struct InsertOutcome: Sendable, Equatable {
    /// The session's id (the earlier one when it was already stored or was replaced).
    public var id: SessionID
    /// True when the session was written: stored new, or replacing a less complete copy
    /// (`replaced` says which). False when the same file, or an equally or more complete copy of
    /// the same clip session, was already stored: nothing was written.
    public var inserted: Bool
    /// How long the write transaction held the store's write lock, seconds.
    public var writeLockS: Double
    /// Set when the draft replaced a less complete stored copy of the same clip session.
    public var replaced: ReplacedCopy? = nil

    public init(id: SessionID, inserted: Bool, writeLockS: Double, replaced: ReplacedCopy? = nil) {
        self.id = id
        self.inserted = inserted
        self.writeLockS = writeLockS
        self.replaced = replaced
    }
}

/// The less complete copy of a clip session that a more complete one replaced in the store
/// (same clip serial and clip session id). The session kept its id, runner, shoes, distance,
/// start, pain log and notes, and watch pairing; its raw samples, analysis and steps are the new
/// copy's, and its flags are pending until recomputed.
///
/// "More complete" is a design choice: more samples from blocks that verified (every such block
/// is the clip's own, checked by its CRC, sequence and session id), so a truncated or damaged
/// copy never shadows the whole one; with as many samples, the stored copy stays. Tested in
/// `IncompleteCopyIngestTests`.
public struct ReplacedCopy: Sendable, Equatable {
    /// Samples of the copy that was replaced.
    public var previousSampleCount: Int
    /// Why the replaced copy was incomplete, as it was stored (nil: it looked complete, e.g. cut on a block boundary).
    public var previousIncompleteReason: String?
    /// Samples of the copy now stored.
    public var sampleCount: Int

    public init(previousSampleCount: Int, previousIncompleteReason: String?, sampleCount: Int) {
        self.previousSampleCount = previousSampleCount
        self.previousIncompleteReason = previousIncompleteReason
        self.sampleCount = sampleCount
    }
}
