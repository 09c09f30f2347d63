/// Decodes a FIT activity file into watch points, written from Garmin's FIT Protocol document
/// (developer.garmin.com/fit/protocol; earlier Dynastream D00001275 "Flexible & Interoperable Data
/// Transfer (FIT) Protocol" Rev 1.8: file header, record headers, definition and data messages,
/// compressed timestamps, base types, CRC) and the FIT Profile (field numbers, scales and invalid
/// values as in Garmin's garmin-fit-sdk 21.218.0 `profile.py` and `fit.py`).
///
/// What it reads: the file header (12 or 14 bytes; the header CRC when not zero) and the file CRC;
/// definition messages in either byte order, with developer field definitions (developer data is
/// skipped by its declared size); normal and compressed-timestamp record headers; messages
/// `file_id` (0: manufacturer, product, product name), `sport` (12), `session` (18: sport) and
/// `record` (20). Every other message is skipped by its defined size. A chained file (a second
/// FIT file after the first one's CRC) is read up to the first file's end, with a warning.
///
/// Hostile input: every length comes from the file and is checked against the bytes left before
/// it is used; each record consumes at least one byte; nothing is allocated beyond what the
/// file's size bounds. Any violation is a `malformedFIT` error naming the byte offset.
struct FITDecoder {
    /// Seconds from the Unix epoch to the FIT epoch, 1989-12-31 00:00:00 UTC (FIT Protocol,
    /// "date_time"; Profile type `date_time`).
    static let fitEpochUnixS: Double = 631_065_600
    /// `date_time` values below this are seconds since the device powered on, not UTC (Profile,
    /// type `date_time`: "min" 0x10000000).
    static let systemTimeLimit: UInt32 = 0x1000_0000
    /// Bytes of one value of each base type, by base type number (`base_type & 0x1F`, 0x00–0x10):
    /// enum, sint8, uint8, sint16, uint16, sint32, uint32, string, float32, float64, uint8z,
    /// uint16z, uint32z, byte, sint64, uint64, uint64z.
    static let baseTypeSizes: [Int] = [1, 1, 1, 2, 2, 4, 4, 1, 4, 8, 1, 2, 4, 1, 8, 8, 8]
    /// Profile `sport` enum, values 0–20.
    static let sportNames: [String] = [
        "generic", "running", "cycling", "transition", "fitness equipment", "swimming", "basketball", "soccer",
        "tennis", "american football", "training", "walking", "cross-country skiing", "alpine skiing",
        "snowboarding", "rowing", "mountaineering", "hiking", "multisport", "paddling", "flying",
    ]
    /// Profile `manufacturer` enum: the makers of running watches and sensors.
    static let manufacturerNames: [Int: String] = [
        1: "Garmin", 13: "Dynastream", 15: "Dynastream", 23: "Suunto", 32: "Wahoo", 89: "Tacx", 95: "Stryd",
        123: "Polar", 255: "development", 260: "Zwift", 265: "Strava", 267: "Bryton", 289: "Hammerhead",
        294: "COROS", 310: "Decathlon", 339: "Zepp", 348: "Huawei",
    ]

    /// One field of a definition message: its number, where it starts in the data message (after
    /// the record header), its size and base type.
    struct FieldDefinition {
        var number: UInt8
        var offset: Int
        var size: Int
        var baseType: UInt8
    }

    /// A definition message: the layout of the data messages of one local message type.
    struct MessageDefinition {
        var globalNumber: UInt16
        var bigEndian: Bool
        var fields: [FieldDefinition]
        /// Bytes of a data message after its header: fields plus developer fields.
        var dataBytes: Int
    }

    let bytes: [UInt8]
    let path: String
    private var result = WatchFileContent()
    private var definitions = [MessageDefinition?](repeating: nil, count: 16)
    /// The last `timestamp` (field 253) of any message, or the last compressed timestamp: the base
    /// of the next compressed-timestamp header (FIT Protocol, "Compressed Timestamp Header").
    private var lastTimestamp: UInt32?
    private var recordsWithoutTime = 0
    private var recordsInSystemTime = 0
    private var fileIDSeen = false
    private var sessionSport: Double?
    private var sportMessage: (sport: Double?, name: String?)?

    /// Decodes `bytes` (a whole FIT file); errors name `path`.
    static func decode(_ bytes: [UInt8], path: String) throws(SessionIOError) -> WatchFileContent {
        var decoder = FITDecoder(bytes: bytes, path: path)
        return try decoder.run()
    }

    private init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    private func malformed(_ offset: Int, _ expected: String) -> SessionIOError {
        .malformedFIT(path: path, offset: offset, expected: expected)
    }

    private mutating func run() throws(SessionIOError) -> WatchFileContent {
        let (headerSize, dataEnd) = try readHeader()
        let stored = UInt16(bytes[dataEnd]) | UInt16(bytes[dataEnd + 1]) << 8
        let computed = FITCRC.compute(bytes, 0..<dataEnd)
        guard stored == computed else {
            throw .fitChecksumMismatch(path: path, offset: dataEnd, region: "file", stored: stored, computed: computed)
        }
        let extra = bytes.count - (dataEnd + 2)
        if extra > 0 {
            result.warnings.append("\(extra) bytes follow the first FIT file (a chained FIT file); only the first file was read")
        }
        var offset = headerSize
        while offset < dataEnd {
            offset = try readRecord(at: offset, dataEnd: dataEnd)
        }
        finish()
        return result
    }

    /// Checks the file header; returns its size and the end of the data records (where the file
    /// CRC starts).
    private func readHeader() throws(SessionIOError) -> (headerSize: Int, dataEnd: Int) {
        guard bytes.count >= 12 else {
            throw malformed(bytes.count, "a 12- or 14-byte file header, but the file has only \(bytes.count) bytes")
        }
        let headerSize = Int(bytes[0])
        guard headerSize == 12 || headerSize == 14 else {
            throw malformed(0, "a header size of 12 or 14 bytes, found \(headerSize)")
        }
        guard bytes.count >= headerSize else {
            throw malformed(bytes.count, "a \(headerSize)-byte file header, but the file has only \(bytes.count) bytes")
        }
        guard bytes[1] >> 4 <= 2 else {
            throw malformed(1, "protocol version 1.x or 2.x, found \(bytes[1] >> 4).\(bytes[1] & 0xF)")
        }
        guard bytes[8] == UInt8(ascii: "."), bytes[9] == UInt8(ascii: "F"), bytes[10] == UInt8(ascii: "I"),
              bytes[11] == UInt8(ascii: "T") else {
            throw malformed(8, "the signature '.FIT' at bytes 8-11")
        }
        if headerSize == 14 {
            let stored = UInt16(bytes[12]) | UInt16(bytes[13]) << 8
            if stored != 0 {
                let computed = FITCRC.compute(bytes, 0..<12)
                guard stored == computed else {
                    throw .fitChecksumMismatch(path: path, offset: 12, region: "header", stored: stored, computed: computed)
                }
            }
        }
        let dataSize = Int(UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24)
        let dataEnd = headerSize + dataSize
        guard dataEnd + 2 <= bytes.count else {
            throw malformed(4, "a data size that fits the file: the header gives \(dataSize) bytes of records and "
                            + "a 2-byte CRC after its \(headerSize) bytes, but the file has \(bytes.count) bytes (cut short?)")
        }
        return (headerSize, dataEnd)
    }

    /// Reads the record (definition or data message) at `offset`; returns the offset after it.
    private mutating func readRecord(at offset: Int, dataEnd: Int) throws(SessionIOError) -> Int {
        let header = bytes[offset]
        if header & 0x80 != 0 {
            // Compressed timestamp header: local type in bits 5-6, seconds offset in bits 0-4,
            // relative to the last full timestamp, rolling over every 32 s.
            guard let last = lastTimestamp else {
                throw malformed(offset, "a message with a timestamp before the first compressed-timestamp header")
            }
            let timeOffset = UInt32(header & 0x1F)
            var timestamp = (last & ~0x1F) &+ timeOffset
            if timeOffset < last & 0x1F { timestamp = timestamp &+ 0x20 }
            lastTimestamp = timestamp
            return try readData(local: Int((header >> 5) & 0x03), headerOffset: offset, dataEnd: dataEnd, compressedTimestamp: timestamp)
        }
        if header & 0x40 != 0 {
            return try readDefinition(header: header, headerOffset: offset, dataEnd: dataEnd)
        }
        return try readData(local: Int(header & 0x0F), headerOffset: offset, dataEnd: dataEnd, compressedTimestamp: nil)
    }

    private mutating func readDefinition(header: UInt8, headerOffset: Int, dataEnd: Int) throws(SessionIOError) -> Int {
        var offset = headerOffset + 1
        guard dataEnd - offset >= 5 else {
            throw malformed(headerOffset, "a definition message (5 bytes before its fields), but only \(dataEnd - offset) bytes of records remain")
        }
        let architecture = bytes[offset + 1]
        guard architecture <= 1 else {
            throw malformed(offset + 1, "architecture 0 (little-endian) or 1 (big-endian), found \(architecture)")
        }
        let bigEndian = architecture == 1
        let globalNumber = bigEndian ? UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
                                     : UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8
        let fieldCount = Int(bytes[offset + 4])
        offset += 5
        guard dataEnd - offset >= 3 * fieldCount else {
            throw malformed(headerOffset, "a definition of \(fieldCount) fields (\(3 * fieldCount) bytes), "
                            + "but only \(dataEnd - offset) bytes of records remain")
        }
        var fields: [FieldDefinition] = []
        fields.reserveCapacity(fieldCount)
        var dataBytes = 0
        for _ in 0..<fieldCount {
            let size = Int(bytes[offset + 1])
            fields.append(FieldDefinition(number: bytes[offset], offset: dataBytes, size: size, baseType: bytes[offset + 2]))
            dataBytes += size
            offset += 3
        }
        if header & 0x20 != 0 {
            guard offset < dataEnd else {
                throw malformed(offset, "the number of developer fields, but the records end here")
            }
            let developerCount = Int(bytes[offset])
            offset += 1
            guard dataEnd - offset >= 3 * developerCount else {
                throw malformed(offset - 1, "\(developerCount) developer field definitions (\(3 * developerCount) bytes), "
                                + "but only \(dataEnd - offset) bytes of records remain")
            }
            for _ in 0..<developerCount {
                dataBytes += Int(bytes[offset + 1])
                offset += 3
            }
        }
        definitions[Int(header & 0x0F)] = MessageDefinition(globalNumber: globalNumber, bigEndian: bigEndian, fields: fields,
                                                            dataBytes: dataBytes)
        return offset
    }

    private mutating func readData(local: Int, headerOffset: Int, dataEnd: Int, compressedTimestamp: UInt32?) throws(SessionIOError) -> Int {
        guard let definition = definitions[local] else {
            throw malformed(headerOffset, "a definition message for local message type \(local) before its data")
        }
        let start = headerOffset + 1
        guard dataEnd - start >= definition.dataBytes else {
            throw malformed(headerOffset, "\(definition.dataBytes) bytes of data for message \(definition.globalNumber) "
                            + "(local type \(local)), but only \(dataEnd - start) bytes of records remain")
        }
        var timestamp = compressedTimestamp
        for field in definition.fields where field.number == 253 {
            if let value = number(field, start, definition.bigEndian), value >= 0, value <= Double(UInt32.max) {
                timestamp = UInt32(value)
                lastTimestamp = timestamp
            }
        }
        switch definition.globalNumber {
        case 0: readFileID(definition, start)
        case 12: readSport(definition, start)
        case 18: readSession(definition, start)
        case 20: readRecordMessage(definition, start, timestamp: timestamp)
        default: break
        }
        return start + definition.dataBytes
    }

    private mutating func readRecordMessage(_ definition: MessageDefinition, _ start: Int, timestamp: UInt32?) {
        guard let timestamp else {
            recordsWithoutTime += 1
            return
        }
        if timestamp < Self.systemTimeLimit { recordsInSystemTime += 1 }
        var point = WatchPoint(timeUTCS: Double(timestamp) + Self.fitEpochUnixS)
        var speed: Double?, enhancedSpeed: Double?, altitude: Double?, enhancedAltitude: Double?
        var cadence: Double?, fractionalCadence: Double?
        let semicirclesToDegrees = 180.0 / 2_147_483_648.0
        for field in definition.fields {
            guard field.number != 253, let value = number(field, start, definition.bigEndian) else { continue }
            switch field.number {
            case 0: point.latitudeDeg = abs(value * semicirclesToDegrees) <= 90 ? value * semicirclesToDegrees : nil
            case 1: point.longitudeDeg = abs(value * semicirclesToDegrees) <= 180 ? value * semicirclesToDegrees : nil
            case 2: altitude = value / 5 - 500
            case 3: point.heartRateBPM = value
            case 4: cadence = value
            case 5: point.distanceM = value / 100
            case 6: speed = value / 1000
            case 39: point.verticalOscillationMM = value / 10
            case 40: point.stanceTimePct = value / 100
            case 41: point.stanceTimeMS = value / 10
            case 53: fractionalCadence = value / 128
            case 73: enhancedSpeed = value / 1000
            case 78: enhancedAltitude = value / 5 - 500
            case 83: point.verticalRatioPct = value / 100
            case 84: point.stanceTimeBalancePct = value / 100
            case 85: point.stepLengthMM = value / 10
            default: break
            }
        }
        point.speedMPS = enhancedSpeed ?? speed
        point.altitudeM = enhancedAltitude ?? altitude
        if let cadence { point.cadenceSPM = 2 * (cadence + (fractionalCadence ?? 0)) }
        if point.latitudeDeg == nil || point.longitudeDeg == nil {
            point.latitudeDeg = nil
            point.longitudeDeg = nil
        }
        result.points.append(point)
    }

    private mutating func readFileID(_ definition: MessageDefinition, _ start: Int) {
        guard !fileIDSeen else { return }
        fileIDSeen = true
        var manufacturer: Int?, product: Int?, productName: String?
        for field in definition.fields {
            switch field.number {
            case 1: manufacturer = number(field, start, definition.bigEndian).flatMap(Self.integer)
            case 2: product = number(field, start, definition.bigEndian).flatMap(Self.integer)
            case 8: productName = string(field, start)
            default: break
            }
        }
        let maker = manufacturer.map { Self.manufacturerNames[$0] ?? "manufacturer \($0)" }
        if let productName {
            if let maker, manufacturer != 255, !productName.lowercased().hasPrefix(maker.lowercased()) {
                result.device = maker + " " + productName
            } else {
                result.device = productName
            }
        } else if let maker {
            result.device = product.map { "\(maker) product \($0)" } ?? maker
        }
    }

    private mutating func readSport(_ definition: MessageDefinition, _ start: Int) {
        guard sportMessage == nil else { return }
        var sport: Double?, name: String?
        for field in definition.fields {
            switch field.number {
            case 0: sport = number(field, start, definition.bigEndian)
            case 3: name = string(field, start)
            default: break
            }
        }
        sportMessage = (sport, name)
    }

    private mutating func readSession(_ definition: MessageDefinition, _ start: Int) {
        guard sessionSport == nil else { return }
        for field in definition.fields where field.number == 5 {
            sessionSport = number(field, start, definition.bigEndian)
        }
    }

    private mutating func finish() {
        func sportName(_ value: Double) -> String {
            guard let index = Self.integer(value) else { return "sport \(value)" }
            return Self.sportNames.indices.contains(index) ? Self.sportNames[index] : "sport \(index)"
        }
        let name = sportMessage?.name
        if let sport = sessionSport ?? sportMessage?.sport {
            result.sport = name.map { sportName(sport) + " (" + $0 + ")" } ?? sportName(sport)
        } else {
            result.sport = name
        }
        if recordsWithoutTime > 0 {
            result.warnings.append("\(recordsWithoutTime) record message\(recordsWithoutTime == 1 ? "" : "s") without a timestamp skipped")
        }
        if recordsInSystemTime > 0 {
            result.warnings.append("\(recordsInSystemTime) record timestamp\(recordsInSystemTime == 1 ? " is" : "s are") "
                                   + "device time since power-on, not UTC (below 0x10000000): the times are not real dates")
        }
    }

    /// The first value of a numeric field, or nil when it holds its base type's invalid value
    /// (FIT Protocol, "Base Types": 0xFF, 0x7F, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0 for the
    /// `z` types, all ones for floats), is a string or an unknown base type, or is too small.
    private func number(_ field: FieldDefinition, _ start: Int, _ bigEndian: Bool) -> Double? {
        let base = Int(field.baseType & 0x1F)
        guard base < Self.baseTypeSizes.count, base != 0x07 else { return nil }
        let size = Self.baseTypeSizes[base]
        guard field.size >= size else { return nil }
        let at = start + field.offset
        var raw: UInt64 = 0
        if bigEndian {
            for index in 0..<size { raw = raw << 8 | UInt64(bytes[at + index]) }
        } else {
            for index in stride(from: size - 1, through: 0, by: -1) { raw = raw << 8 | UInt64(bytes[at + index]) }
        }
        switch base {
        case 0x00, 0x02, 0x0D: return raw == 0xFF ? nil : Double(raw)
        case 0x01: return raw == 0x7F ? nil : Double(Int8(truncatingIfNeeded: raw))
        case 0x03: return raw == 0x7FFF ? nil : Double(Int16(truncatingIfNeeded: raw))
        case 0x04: return raw == 0xFFFF ? nil : Double(raw)
        case 0x05: return raw == 0x7FFF_FFFF ? nil : Double(Int32(truncatingIfNeeded: raw))
        case 0x06: return raw == 0xFFFF_FFFF ? nil : Double(raw)
        case 0x08:
            let value = Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
            return raw == 0xFFFF_FFFF || !value.isFinite ? nil : value
        case 0x09:
            let value = Double(bitPattern: raw)
            return raw == UInt64.max || !value.isFinite ? nil : value
        case 0x0A, 0x0B, 0x0C, 0x10: return raw == 0 ? nil : Double(raw)
        case 0x0E: return raw == 0x7FFF_FFFF_FFFF_FFFF ? nil : Double(Int64(bitPattern: raw))
        default: return raw == UInt64.max ? nil : Double(raw)     // 0x0F uint64
        }
    }

    /// `value` as an Int when it is a whole number a field could hold (a float field can hold anything).
    private static func integer(_ value: Double) -> Int? {
        guard abs(value) < 9.0e15, value == value.rounded() else { return nil }
        return Int(value)
    }

    /// A string field up to its first NUL (invalid UTF-8 repaired), or nil when empty.
    private func string(_ field: FieldDefinition, _ start: Int) -> String? {
        guard field.baseType & 0x1F == 0x07 else { return nil }
        let at = start + field.offset
        var end = at
        while end < at + field.size && bytes[end] != 0 { end += 1 }
        guard end > at else { return nil }
        return String(decoding: bytes[at..<end], as: UTF8.self)
    }
}
