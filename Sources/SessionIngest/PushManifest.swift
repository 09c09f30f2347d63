import Foundation
import GaitInference
import SessionStore

/// What a runner's gaitd sends with a session it pushes to a clinic, beside the samples (a
/// canonical CSV written from the stored raw samples): the session's identity, its start and
/// origin, and the runner's pain entries, each with a key that stays the same however often the
/// session is pushed. JSON with snake_case keys; times as UTC seconds (exact, unlike ISO 8601's).
public struct PushManifest: Codable, Sendable, Equatable {
    /// The format this build writes and reads.
    public static let currentFormat = 1

    /// The manifest's format (`currentFormat`).
    public var format: Int
    /// The content hash (SHA-256, 64 lowercase hex digits) of the file the session was first
    /// stored from: its identity in the clinic's store too.
    public var contentHash: String
    /// The file's name as the runner knows it, or the clip and its session ("clip BS-0001 session 7").
    public var sourceName: String?
    /// The session's start, UTC seconds since 1970; nil: unknown.
    public var startedUTCS: Double?
    /// The time zone it was recorded in (IANA name).
    public var timeZone: String?
    /// How it came into the runner's store: "clip", "csv" or "import".
    public var source: String?
    /// The clip's serial and its session id, for a clip session.
    public var clipSerial: String?
    public var clipSessionID: Int64?
    /// The distance run, km, when known.
    public var distanceKm: Double?
    /// The runner's pain and notes log for the session.
    public var pain: [PainEntry]
    /// Speed and slope from the runner's watch file, as aligned to the session on the runner's
    /// machine (the file itself is not kept there); nil: none paired.
    public var watchSpeed: SessionSpeed?

    /// One pain or notes log entry as pushed.
    public struct PainEntry: Codable, Sendable, Equatable {
        /// The device's stable key for the entry (its id in the runner's store): the clinic stores it once.
        public var key: String
        public var painScore: Int?
        public var location: String?
        /// When in the session it hurt, seconds from its start.
        public var atS: Double?
        public var note: String?
        /// When it was written, UTC seconds since 1970.
        public var recordedUTCS: Double
        public var nextDay: Bool?
        /// Red-flag symptoms (`RedFlagSymptom` raw values).
        public var symptoms: [String]

        enum CodingKeys: String, CodingKey {
            case key, painScore = "pain_score", location, atS = "at_s", note, recordedUTCS = "recorded_utc_s", nextDay = "next_day", symptoms
        }

        public init(key: String, painScore: Int?, location: String?, atS: Double?, note: String?, recordedUTCS: Double,
                    nextDay: Bool?, symptoms: [String]) {
            self.key = key
            self.painScore = painScore
            self.location = location
            self.atS = atS
            self.note = note
            self.recordedUTCS = recordedUTCS
            self.nextDay = nextDay
            self.symptoms = symptoms
        }

        /// The entry of a runner's store, keyed by its id there.
        public init(_ entry: PainLogEntry) {
            self.init(key: "\(entry.id ?? 0)", painScore: entry.painScore, location: entry.location, atS: entry.atS, note: entry.note,
                      recordedUTCS: entry.recordedAt.timeIntervalSince1970, nextDay: entry.nextDay, symptoms: entry.symptoms.map(\.rawValue))
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, contentHash = "content_hash", sourceName = "source_name", startedUTCS = "started_utc_s", timeZone = "time_zone"
        case source, clipSerial = "clip_serial", clipSessionID = "clip_session_id", distanceKm = "distance_km", pain
        case watchSpeed = "watch_speed"
    }

    public init(contentHash: String, sourceName: String?, startedUTCS: Double?, timeZone: String?, source: String?,
                clipSerial: String?, clipSessionID: Int64?, distanceKm: Double?, pain: [PainEntry], watchSpeed: SessionSpeed? = nil) {
        self.watchSpeed = watchSpeed
        self.format = Self.currentFormat
        self.contentHash = contentHash
        self.sourceName = sourceName
        self.startedUTCS = startedUTCS
        self.timeZone = timeZone
        self.source = source
        self.clipSerial = clipSerial
        self.clipSessionID = clipSessionID
        self.distanceKm = distanceKm
        self.pain = pain
    }

    /// Why the manifest cannot be taken, or nil: a format this build reads, a content hash of 64
    /// lowercase hex digits, plausible values and at most 1,000 entries of at most 10,000 characters.
    public var problem: String? {
        if format != Self.currentFormat { return "manifest format \(format) is not one this server reads (\(Self.currentFormat))" }
        if !Self.isSHA256(contentHash) { return "content_hash must be 64 lowercase hex digits" }
        if let distanceKm, !(distanceKm.isFinite && distanceKm >= 0 && distanceKm < 1000) { return "distance_km must be 0 to 1000" }
        if let startedUTCS, !startedUTCS.isFinite { return "started_utc_s must be a number" }
        if (sourceName?.count ?? 0) > 200 || (timeZone?.count ?? 0) > 100 || (clipSerial?.count ?? 0) > 100 { return "a name is too long" }
        if pain.count > 1000 { return "at most 1000 pain entries per session" }
        if let watchSpeed {
            if watchSpeed.minutes.count > 24 * 60 { return "watch_speed: at most a day of minutes" }
            if watchSpeed.source.count > 200 || watchSpeed.method.count > 100 { return "watch_speed: a name is too long" }
            let numbers: [Double] = [watchSpeed.offsetS, watchSpeed.overlap] + watchSpeed.minutes.flatMap { minute -> [Double] in
                [minute.startS, minute.speedMPS ?? 0, minute.gradePct ?? 0]
            }
            if numbers.contains(where: { !$0.isFinite }) { return "watch_speed: numbers must be finite" }
        }
        var keys = Set<String>()
        for entry in pain {
            if entry.key.isEmpty || entry.key.count > 100 || !keys.insert(entry.key).inserted { return "pain entry keys must be unique, 1–100 characters" }
            if let score = entry.painScore, !(0...10).contains(score) { return "pain_score is 0 to 10, got \(score)" }
            if (entry.note?.count ?? 0) > 10_000 || (entry.location?.count ?? 0) > 200 { return "a pain entry's text is too long" }
            if !entry.recordedUTCS.isFinite || entry.atS.map({ !$0.isFinite }) == true { return "a pain entry's time must be a number" }
            if let unknown = entry.symptoms.first(where: { RedFlagSymptom(rawValue: $0) == nil }) { return "unknown symptom '\(unknown)'" }
        }
        return nil
    }

    /// Whether `text` is a SHA-256 as this project writes it: 64 lowercase hex digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
