import ClipProtocol

/// When a clip session really started, on the host's clock, measured at sync.
///
/// The clip counts ticks from power-on and maps them to UTC with whatever clock it was last given
/// (Firmware-protocol §5.3); a clip whose clock was never set, or that drifted, records wrong
/// start times. At sync the host reads the clip's ticks and its own UTC at (almost) the same
/// moment. A session recorded since the clock last ran continuously (the same power-on) started
/// `(ticksNow − startTicks) / tickRate` seconds before that moment, whatever the clip's UTC said.
/// Sessions of an earlier power-on cannot be placed this way: they keep the clip's recorded UTC
/// when its clock had been set, and are unknown otherwise (never a made-up date).
public struct SessionStartTime: Sendable, Equatable, Codable {
    /// Best known start, seconds since 1970 (UTC); nil when it cannot be known.
    public var startUTCSeconds: Double?
    /// Start on the host's clock minus the clip's recorded start, seconds; nil when no correction
    /// was applied (the clip's time was kept, or it had none).
    public var clockCorrectionS: Double?
    /// How the start was found, for the analysis document's warnings.
    public var method: Method

    public enum Method: String, Sendable, Equatable, Codable {
        /// From the clip's ticks and the host's clock at sync (same power-on).
        case hostClockAtSync = "host_clock_at_sync"
        /// The clip's recorded UTC, kept as it is (an earlier power-on, clock set then).
        case clipClock = "clip_clock"
        /// Not known: an earlier power-on and a clock that had never been set.
        case unknown
    }

    public init(startUTCSeconds: Double?, clockCorrectionS: Double?, method: Method) {
        self.startUTCSeconds = startUTCSeconds
        self.clockCorrectionS = clockCorrectionS
        self.method = method
    }

    /// The start of each listed session (by id), given the clip's clock read at sync and the
    /// host's UTC at that read, microseconds.
    ///
    /// Which sessions belong to the current power-on: walking from the newest back, start ticks
    /// must not exceed the ticks now and must fall with each older session; a session flagged
    /// incomplete (power lost while recording) ends the walk, since the clip restarted after it.
    /// A reset between two sessions whose ticks still fall cannot be seen (the protocol has no
    /// power-on counter): such an older session is placed as if the clock had run on.
    public static func measure(entries: [SessionEntry], clock: ClockState, hostNowMicroseconds: Int64) -> [UInt32: SessionStartTime] {
        var result: [UInt32: SessionStartTime] = [:]
        var ceiling = clock.deviceTicks
        var sameRun = clock.tickRateHz > 0
        for entry in entries.sorted(by: { $0.id > $1.id }) {
            let recorded: Double? = entry.startUTCMicroseconds == SessionHeader.utcNotSet ? nil : Double(entry.startUTCMicroseconds) / 1e6
            if sameRun && entry.startTicks <= ceiling && !entry.flags.contains(.incomplete) {
                let elapsedS = Double(clock.deviceTicks - entry.startTicks) / Double(clock.tickRateHz)
                    * (1 + Double(clock.driftPartsPerBillion) * 1e-9)
                let start = Double(hostNowMicroseconds) / 1e6 - elapsedS
                let correction = recorded.map { start - $0 }
                result[entry.id] = SessionStartTime(startUTCSeconds: start, clockCorrectionS: correction, method: .hostClockAtSync)
                ceiling = entry.startTicks
            } else {
                sameRun = false
                result[entry.id] = recorded.map { SessionStartTime(startUTCSeconds: $0, clockCorrectionS: nil, method: .clipClock) }
                    ?? SessionStartTime(startUTCSeconds: nil, clockCorrectionS: nil, method: .unknown)
            }
        }
        return result
    }
}
