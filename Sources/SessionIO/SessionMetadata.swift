/// What a reader learned about a session file from its header, comments and preamble, before
/// reading any sample.
public struct SessionMetadata: Sendable, Equatable {
    /// The file read, as given to the reader (`<memory>` or a caller-chosen name for in-memory input).
    public var path: String
    /// The CSV dialect recognised from the header or preamble.
    public var dialect: CSVDialect
    /// Human-readable dialect name, e.g. "phyphox CSV".
    public var dialectName: String { dialect.displayName }
    /// Sampling rate the file declares (`# fs_hz=` comment, GENEActiv `Measurement Frequency`), Hz;
    /// nil when the file does not say. The reader never infers it from the timestamps.
    public var declaredSampleRateHz: Double?
    /// Device model or name (`# device=`, GENEActiv `Device Type`/`Device Model`).
    public var device: String?
    /// Device serial number (`# serial=`, GENEActiv `Device Unique Serial Code`).
    public var serial: String?
    /// Whether the blocks carry gyroscope samples.
    public var hasGyro: Bool
    /// Unit of the acceleration columns in the file; blocks are always converted to g.
    public var accelUnit: AccelerationUnit
    /// Unit of the gyroscope columns in the file, nil without gyroscope; blocks are always in deg/s.
    public var gyroUnit: AngularRateUnit?
    /// Which file column feeds which block array.
    public var columns: ColumnMapping
    /// Field separator byte as a character: `,`, `;` or a tab.
    public var delimiter: Character
    /// Whether `,` is accepted as the decimal point (files separated by `;` or tab, as phyphox's
    /// "decimal comma" exports are).
    public var acceptsDecimalComma: Bool
    /// 1-based line number of the column header; nil for headerless formats (GENEActiv).
    public var headerLine: Int?
    /// `key=value` comments and preamble `key,value` pairs, keys as written.
    public var properties: [String: String]
    /// Free-text comment lines (without the leading `#`), in file order.
    public var comments: [String]
    /// Start of the recording (UTC, seconds since 1970) as the file states it; nil when it does
    /// not (see `RecordingStart`).
    public var startUTCS: Double? = nil
}

/// A CSV dialect the reader recognises.
public enum CSVDialect: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Backstride's own format: `# key=value` comments, then `t_s,ax_g,ay_g,az_g[,gx_dps,gy_dps,gz_dps]`.
    case canonical
    /// phyphox CSV export ("Acceleration with g", optionally with "Gyroscope" columns).
    case phyphox
    /// Sensor Logger (Kelvin Choi) `TotalAcceleration.csv`: `time,seconds_elapsed,z,y,x` in m/s².
    case sensorLogger
    /// MetaWear MetaBase export: `epoch (ms),time (-00:00),elapsed (s),x-axis (g),y-axis (g),z-axis (g)`.
    case metaWear
    /// GENEActiv `.bin` converted to CSV by the GENEActiv PC software (preamble, no header).
    case geneActiv

    /// The dialect's name as users know it.
    public var displayName: String {
        switch self {
        case .canonical: return "Backstride canonical CSV"
        case .phyphox: return "phyphox CSV"
        case .sensorLogger: return "Sensor Logger CSV"
        case .metaWear: return "MetaWear MetaBase CSV"
        case .geneActiv: return "GENEActiv CSV"
        }
    }

    public var description: String { displayName }
}

/// Unit of acceleration columns in a file.
public enum AccelerationUnit: String, Sendable {
    /// Standard gravity, 9.80665 m/s².
    case g
    /// Metres per second squared; divided by 9.80665 on read.
    case metresPerSecondSquared
}

/// Unit of angular-rate columns in a file.
public enum AngularRateUnit: String, Sendable {
    /// Degrees per second.
    case degreesPerSecond
    /// Radians per second; multiplied by 180/π on read.
    case radiansPerSecond
}

/// Which file column (0-based index and header name) feeds each array of `IMUBlock`.
public struct ColumnMapping: Sendable, Equatable {
    /// One file column.
    public struct Column: Sendable, Equatable {
        /// 0-based field index in a row.
        public var index: Int
        /// Header name as written in the file (or a descriptive name for headerless formats).
        public var name: String

        /// Creates a column reference.
        public init(index: Int, name: String) {
            self.index = index
            self.name = name
        }
    }

    /// Time column.
    public var time: Column
    /// Acceleration x, y, z columns.
    public var accelX: Column, accelY: Column, accelZ: Column
    /// Angular rate x, y, z columns; nil without gyroscope.
    public var gyroX: Column?, gyroY: Column?, gyroZ: Column?
}

/// Standard gravity, m/s² per g (CGPM 1901).
let standardGravityMPS2 = 9.80665
