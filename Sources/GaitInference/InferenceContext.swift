import Foundation

/// What is known about a session beyond its samples: when it was, the shoe, the runner's earlier
/// sessions and the pain log. Everything is optional: with no context, flags use population
/// thresholds and the run itself.
public struct InferenceContext: Sendable, Equatable {
    /// The session's key (store id or file name) for its facts.
    public var sessionKey: String
    /// Start of the session, for weekly load; nil when unknown.
    public var startedAt: Date?
    /// The shoe worn, if recorded.
    public var shoe: ShoeInfo?
    /// Distance of the session, km, if known from outside.
    public var distanceKm: Double?
    /// Highest pain score (0–10) logged for this session, if any.
    public var painScore: Int?
    /// Whether the runner logged that the pain of this session lasted into the next day.
    public var painLastedIntoNextDay: Bool
    /// The runner's earlier sessions (any order); sessions later than this one are ignored.
    public var history: [SessionFacts]
    /// Speed and slope from the runner's watch, aligned to this session; nil without a watch file
    /// (comparisons are then not matched for speed, and say so).
    public var speed: SessionSpeed?

    /// Creates a context.
    public init(sessionKey: String = "session", startedAt: Date? = nil, shoe: ShoeInfo? = nil, distanceKm: Double? = nil,
                painScore: Int? = nil, painLastedIntoNextDay: Bool = false, history: [SessionFacts] = [], speed: SessionSpeed? = nil) {
        self.sessionKey = sessionKey
        self.startedAt = startedAt
        self.shoe = shoe
        self.distanceKm = distanceKm
        self.painScore = painScore
        self.painLastedIntoNextDay = painLastedIntoNextDay
        self.history = history
        self.speed = speed
    }

    /// The history strictly before this session (all of it when this session's start is unknown).
    public var earlierSessions: [SessionFacts] {
        history.filter { facts in
            guard facts.sessionKey != sessionKey else { return false }
            guard let start = startedAt, let other = facts.startedAt else { return true }
            return other < start
        }.sortedByStart()
    }
}

/// A shoe as the runner recorded it.
public struct ShoeInfo: Sendable, Equatable, Codable {
    /// The store's key of the shoe.
    public var key: String
    /// The runner's name for it.
    public var name: String
    /// Distance already run in it, km, as the runner declared it (including runs not recorded here).
    public var declaredDistanceKm: Double

    /// Creates a shoe.
    public init(key: String, name: String, declaredDistanceKm: Double = 0) {
        self.key = key
        self.name = name
        self.declaredDistanceKm = declaredDistanceKm
    }
}
