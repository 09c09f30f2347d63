import Foundation

/// What is known of a session from outside its samples: who ran it, in which shoes, how far and
/// when. Anything left nil is worked out by `SessionIngest`: the runner from the clip's owner
/// (or `defaultRunner`), the shoes from the runner's current shoes, the start from the recording.
public struct Attribution: Sendable, Equatable {
    /// The runner, by name (`gait import --runner`, an upload on a runner's page). Overrides the clip's owner.
    public var runner: String?
    /// Whether an unknown `runner` is added (the CLI's import does) or refused.
    public var createRunner: Bool
    /// The shoes, by the runner's name for them (added to the runner's shoes when new).
    public var shoe: String?
    /// Distance already run in the shoes before they were recorded here, km.
    public var shoeDistanceKm: Double?
    /// The session's distance, km (a watch or a log; the clip cannot measure it).
    public var distanceKm: Double?
    /// The session's start when the recording does not say.
    public var startedAt: Date?
    /// gaitd's `default_runner`: owns a clip that has no owner yet when its first session arrives.
    public var defaultRunner: String?
    /// gaitd's `default_shoe`: the shoes of a session whose runner has no current shoes.
    public var defaultShoe: String?
    /// The file's name as its owner knows it (an upload's), stored and shown instead of the
    /// temporary path it was read from; nil: the path.
    public var sourceName: String?
    /// The runner's watch file for the session (FIT, GPX or TCX): read, aligned to the session by
    /// clock and cadence, and refused when it does not match (`WatchPairing`).
    public var watchPath: String?
    /// The watch file's name as its owner knows it (an upload's); nil: `watchPath`'s last component.
    public var watchName: String?
    /// The session's identity in the store when the file read is a faithful re-export of another
    /// (a session a runner's gaitd pushed: the content hash of the file it was first stored from,
    /// so it is stored once however often, and from whichever copy, it arrives); nil: the file's own hash.
    public var contentHash: String?
    /// The time zone the session was recorded in (IANA identifier); nil: this machine's.
    public var timeZone: String?

    /// Nothing known from outside.
    public init(runner: String? = nil, createRunner: Bool = false, shoe: String? = nil, shoeDistanceKm: Double? = nil,
                distanceKm: Double? = nil, startedAt: Date? = nil, defaultRunner: String? = nil, defaultShoe: String? = nil,
                sourceName: String? = nil, watchPath: String? = nil, watchName: String? = nil, contentHash: String? = nil,
                timeZone: String? = nil) {
        self.timeZone = timeZone
        self.contentHash = contentHash
        self.watchPath = watchPath
        self.watchName = watchName
        self.runner = runner
        self.createRunner = createRunner
        self.shoe = shoe
        self.shoeDistanceKm = shoeDistanceKm
        self.distanceKm = distanceKm
        self.startedAt = startedAt
        self.defaultRunner = defaultRunner
        self.defaultShoe = defaultShoe
        self.sourceName = sourceName
    }
}
