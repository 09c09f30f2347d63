import ClipProtocol
import GaitSynth

extension ClipSimulator {
    /// What the simulated clip is: identity, sensor, battery, flash, clock and protocol range.
    public struct Configuration: Sendable {
        /// The serial number (USB iSerialNumber and INFO), printable ASCII, ≤ 32 bytes.
        public var serial: String
        public var firmwareMajor: UInt8 = 1
        public var firmwareMinor: UInt8 = 2
        public var firmwarePatch: UInt8 = 0
        public var hardwareRevision: UInt8 = 3
        /// Recording and streaming sample rate, Hz (stored in millihertz).
        public var sampleRateHz: Double = 100
        /// Whether a gyroscope is fitted (sessions and streams then carry it).
        public var hasGyroscope = true
        /// Protocol versions the firmware speaks.
        public var protocolVersions: ClosedRange<UInt16> = ClipProtocolVersion.minimum...ClipProtocolVersion.current
        /// Size of the session flash, bytes.
        public var flashTotalBytes: UInt32 = 8 * 1_048_576
        public var batteryPercent: UInt8 = 87
        public var batteryMillivolts: UInt16 = 3987
        public var isCharging = false
        /// Device ticks (µs since power-on) when the simulator is created.
        public var initialTicks: UInt64 = 3_600_000_000
        /// UTC µs at tick 0, or nil when the clock has never been set.
        public var utcAtTickZeroMicroseconds: Int64? = 1_767_225_600_000_000 - 3_600_000_000 // 2026-01-01T00:00Z at creation
        /// Whether device time also follows the wall clock (for demos); tests advance it by hand.
        public var followsWallClock = false
        /// Samples per STREAM_DATA frame (10 = one frame per 0.1 s at 100 Hz).
        public var streamSamplesPerFrame = 10
        /// The synthetic activity streamed live (its rate and gyroscope are the clip's).
        public var liveActivity: SynthConfig = .easyRun(durationS: 3600, seed: 99)

        /// A clip with this serial and defaults for everything else.
        public init(serial: String) { self.serial = serial }

        /// Sample rate in millihertz, as on the wire.
        public var sampleRateMilliHz: UInt32 { UInt32((sampleRateHz * 1000).rounded()) }
        /// The USB bcdDevice (firmware major.minor in BCD).
        public var firmwareBCD: UInt16 {
            func bcd(_ v: UInt8) -> UInt16 { UInt16(v / 10 % 10) << 4 | UInt16(v % 10) }
            return bcd(firmwareMajor) << 8 | bcd(firmwareMinor)
        }
        /// g per accelerometer count (±16 g).
        public var accelGPerLsb: Float { 1.0 / 2048 }
        /// deg/s per gyroscope count (±2000 deg/s).
        public var gyroDPSPerLsb: Float { hasGyroscope ? 0.07 : 0 }
    }

    /// A fault a test arms; each does exactly what its name says, once unless stated.
    public enum Fault: Sendable, Equatable {
        /// The bulk IN transfer that would carry byte `byte` (counted from 0 since plug-in or reset) of
        /// the clip → host stream returns `.disconnect`, and the clip is unplugged until `replug()`.
        case unplugAtInByte(Int)
        /// The bulk OUT transfer that would carry byte `byte` of the host → clip stream returns
        /// `.disconnect` (nothing of it is accepted), and the clip is unplugged until `replug()`.
        case unplugAtOutByte(Int)
        /// READ_SESSION answers carry session byte `offset` XOR 0xFF (a flash read error; the frame
        /// CRC is valid, the session's checksum and block CRC are not). Once, or on every read.
        case corruptSessionRead(sessionID: UInt32, offset: UInt32, persistent: Bool)
        /// The next transfer on `endpoint` (0x81 or 0x01) and every one after it returns `.stall`
        /// until the host clears the halt.
        case stall(endpoint: UInt8)
        /// The next transfer on `endpoint` returns `.neverComplete` (an OUT's bytes are lost; an IN's
        /// bytes stay queued for the next IN).
        case timeOut(endpoint: UInt8)
        /// The firmware is older: it speaks at most `maximumVersion` (HELLO is answered accordingly).
        case olderProtocol(maximumVersion: UInt16)
    }
}
