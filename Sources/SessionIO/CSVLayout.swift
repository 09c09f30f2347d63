/// How the fields of a recognised file's rows map onto the arrays of an `IMUBlock`.
///
/// Slots: 0 time, 1–3 acceleration x/y/z, 4–6 angular rate x/y/z; `timestampSlot` marks a
/// GENEActiv date-time field that feeds slot 0.
struct CSVLayout: Sendable {
    static let ignored: Int8 = -1
    static let timestampSlot: Int8 = 7

    var dialect: CSVDialect
    var delimiter: UInt8
    var acceptsDecimalComma: Bool
    /// Slot for each field index up to the last one needed.
    var fieldSlots: [Int8]
    /// Header name of each slot's column (7 entries; empty for an unused gyro slot).
    var slotNames: [String]
    /// Factor from file unit to block unit for each slot (seconds, g, deg/s).
    var slotFactors: [Double]
    var hasGyro: Bool
    var accelUnit: AccelerationUnit
    var gyroUnit: AngularRateUnit?
    var columns: ColumnMapping

    /// Builds a layout from the columns found for each slot (0…6; gyro slots optional).
    init(
        dialect: CSVDialect, delimiter: UInt8, found: [Int: ColumnMapping.Column], factors: [Double],
        accelUnit: AccelerationUnit, gyroUnit: AngularRateUnit?, timeIsTimestamp: Bool = false
    ) {
        self.dialect = dialect
        self.delimiter = delimiter
        self.acceptsDecimalComma = delimiter != UInt8(ascii: ",")
        let hasGyro = found[4] != nil
        self.hasGyro = hasGyro
        let usedSlots = hasGyro ? 0...6 : 0...3
        let lastField = usedSlots.map { found[$0]!.index }.max()!
        var slots = [Int8](repeating: Self.ignored, count: lastField + 1)
        for slot in usedSlots {
            slots[found[slot]!.index] = Int8(slot)
        }
        if timeIsTimestamp { slots[found[0]!.index] = Self.timestampSlot }
        self.fieldSlots = slots
        self.slotNames = (0...6).map { found[$0]?.name ?? "" }
        self.slotFactors = factors
        self.accelUnit = accelUnit
        self.gyroUnit = hasGyro ? gyroUnit : nil
        self.columns = ColumnMapping(
            time: found[0]!, accelX: found[1]!, accelY: found[2]!, accelZ: found[3]!,
            gyroX: hasGyro ? found[4] : nil, gyroY: hasGyro ? found[5] : nil, gyroZ: hasGyro ? found[6] : nil
        )
    }

    /// Number of fields a row must have.
    var fieldsNeeded: Int { fieldSlots.count }

    /// The header name of the column at field `index`, for error messages.
    func columnName(atField index: Int) -> String {
        guard index < fieldSlots.count else { return "field \(index + 1)" }
        let slot = fieldSlots[index]
        if slot == Self.timestampSlot { return slotNames[0] }
        if slot >= 0 { return slotNames[Int(slot)] }
        return "field \(index + 1)"
    }
}

/// Recognises a dialect from a header row and builds its layout.
enum CSVHeaderRecognizer {
    static let gyroscopeFactorRadiansToDegrees = 180.0 / Double.pi

    /// Splits a header line into fields, honouring double quotes (`""` inside quotes is a quote).
    static func splitFields(_ line: String, delimiter: Character) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { current.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == delimiter {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    /// The separator used by a header line: whichever of `,`, `;`, tab occurs most outside quotes.
    static func detectDelimiter(_ line: String) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        for character in line {
            if character == "\"" { inQuotes.toggle() } else if !inQuotes, counts[character] != nil { counts[character]! += 1 }
        }
        let best = [",", ";", "\t"].max { counts[$0]! < counts[$1]! }!
        return counts[best]! > 0 ? best : ","
    }

    /// Normalised header name: trimmed, lower-cased.
    static func normalise(_ field: String) -> String {
        field.lowercased().trimmingASCIIWhitespace()
    }

    /// Builds the layout for a header row, or throws the error that best explains why not.
    static func layout(
        header: String, path: String, line: Int, fileName: String
    ) throws(SessionIOError) -> CSVLayout {
        let delimiterCharacter = detectDelimiter(header)
        let delimiter = delimiterCharacter.asciiValue!
        let fields = splitFields(header, delimiter: delimiterCharacter).map { $0.trimmingASCIIWhitespace() }
        let names = fields.map(normalise)
        func index(_ name: String) -> Int? { names.firstIndex(of: name) }
        func column(_ name: String) -> ColumnMapping.Column? { index(name).map { .init(index: $0, name: fields[$0]) } }

        if names.contains(where: { $0.contains("linear acceleration") }) {
            throw .gravityRemoved(
                path: path, line: line,
                advice: "record with phyphox's \"Acceleration with g\" experiment instead of \"Acceleration (without g)\"")
        }

        // Canonical.
        let canonicalNames: Set = ["t_s", "ax_g", "ay_g", "az_g", "ax_mps2", "ay_mps2", "az_mps2", "gx_dps", "gy_dps", "gz_dps"]
        if names.contains(where: canonicalNames.contains) {
            var found: [Int: ColumnMapping.Column] = [:]
            var factors = [Double](repeating: 1, count: 7)
            guard let time = column("t_s") else { throw .missingColumn(path: path, line: line, column: "t_s") }
            found[0] = time
            var accelUnit = AccelerationUnit.g
            for (slot, axis) in [(1, "x"), (2, "y"), (3, "z")] {
                if let inG = column("a\(axis)_g") {
                    found[slot] = inG
                } else if let inMPS2 = column("a\(axis)_mps2") {
                    found[slot] = inMPS2
                    factors[slot] = 1 / standardGravityMPS2
                    if slot == 1 { accelUnit = .metresPerSecondSquared }
                } else {
                    throw .missingColumn(path: path, line: line, column: "a\(axis)_g")
                }
            }
            try addGyro(["gx_dps", "gy_dps", "gz_dps"], factor: 1, to: &found, factors: &factors,
                        column: column, path: path, line: line)
            return CSVLayout(dialect: .canonical, delimiter: delimiter, found: found, factors: factors,
                             accelUnit: accelUnit, gyroUnit: .degreesPerSecond)
        }

        // phyphox.
        if names.contains("time (s)") && names.contains(where: { $0.hasPrefix("acceleration ") || $0.hasPrefix("gyroscope ") }) {
            var found: [Int: ColumnMapping.Column] = [0: column("time (s)")!]
            var factors = [Double](repeating: 1, count: 7)
            let accelNames = ["x", "y", "z"].map { axis in names.firstIndex { $0.hasPrefix("acceleration \(axis) ") } }
            let gyroNames = ["x", "y", "z"].map { axis in names.firstIndex { $0.hasPrefix("gyroscope \(axis) ") } }
            if accelNames.allSatisfy({ $0 == nil }) && gyroNames.contains(where: { $0 != nil }) {
                throw .gyroscopeOnly(path: path, line: line,
                                     advice: "export phyphox's \"Acceleration with g\" experiment (it may include gyroscope columns)")
            }
            var accelUnit = AccelerationUnit.metresPerSecondSquared
            for (slot, axis) in [(1, "x"), (2, "y"), (3, "z")] {
                guard let fieldIndex = accelNames[slot - 1] else {
                    throw .missingColumn(path: path, line: line, column: "Acceleration \(axis) (m/s^2)")
                }
                found[slot] = .init(index: fieldIndex, name: fields[fieldIndex])
                if names[fieldIndex].contains("m/s") {
                    factors[slot] = 1 / standardGravityMPS2
                } else {
                    accelUnit = .g
                }
            }
            var gyroUnit = AngularRateUnit.radiansPerSecond
            if gyroNames.contains(where: { $0 != nil }) {
                for (slot, axis) in [(4, "x"), (5, "y"), (6, "z")] {
                    guard let fieldIndex = gyroNames[slot - 4] else {
                        throw .missingColumn(path: path, line: line, column: "Gyroscope \(axis) (rad/s)")
                    }
                    found[slot] = .init(index: fieldIndex, name: fields[fieldIndex])
                    if names[fieldIndex].contains("rad/s") {
                        factors[slot] = gyroscopeFactorRadiansToDegrees
                    } else {
                        gyroUnit = .degreesPerSecond
                    }
                }
            }
            return CSVLayout(dialect: .phyphox, delimiter: delimiter, found: found, factors: factors,
                             accelUnit: accelUnit, gyroUnit: gyroUnit)
        }

        // Sensor Logger.
        if names.contains("seconds_elapsed") || (names.contains("time") && names.contains("x") && names.contains("y") && names.contains("z")) {
            let lowerName = fileName.lowercased()
            if lowerName.contains("gyroscope") {
                throw .gyroscopeOnly(path: path, line: line, advice: "read Sensor Logger's TotalAcceleration.csv instead")
            }
            if lowerName.contains("gravity") || lowerName.contains("magnetometer") || lowerName.contains("orientation") {
                throw .unrecognisedHeader(path: path, line: line, header: header)
            }
            var found: [Int: ColumnMapping.Column] = [:]
            var factors = [Double](repeating: 1 / standardGravityMPS2, count: 7)
            if let elapsed = column("seconds_elapsed") {
                found[0] = elapsed
                factors[0] = 1
            } else if let unixNanoseconds = column("time") {
                found[0] = unixNanoseconds
                factors[0] = 1e-9
            } else {
                throw .missingColumn(path: path, line: line, column: "seconds_elapsed")
            }
            for (slot, axis) in [(1, "x"), (2, "y"), (3, "z")] {
                guard let axisColumn = column(axis) else { throw .missingColumn(path: path, line: line, column: axis) }
                found[slot] = axisColumn
            }
            return CSVLayout(dialect: .sensorLogger, delimiter: delimiter, found: found, factors: factors,
                             accelUnit: .metresPerSecondSquared, gyroUnit: nil)
        }

        // MetaWear / MetaBase.
        if names.contains("elapsed (s)") || names.contains("epoch (ms)") {
            if column("x-axis (g)") == nil && column("x-axis (deg/s)") != nil {
                throw .gyroscopeOnly(path: path, line: line,
                                     advice: "export the accelerometer stream from MetaBase (columns 'x-axis (g)')")
            }
            var found: [Int: ColumnMapping.Column] = [:]
            var factors = [Double](repeating: 1, count: 7)
            if let elapsed = column("elapsed (s)") {
                found[0] = elapsed
            } else {
                found[0] = column("epoch (ms)")!
                factors[0] = 1e-3
            }
            for (slot, axis) in [(1, "x"), (2, "y"), (3, "z")] {
                guard let axisColumn = column("\(axis)-axis (g)") else {
                    throw .missingColumn(path: path, line: line, column: "\(axis)-axis (g)")
                }
                found[slot] = axisColumn
            }
            return CSVLayout(dialect: .metaWear, delimiter: delimiter, found: found, factors: factors,
                             accelUnit: .g, gyroUnit: nil)
        }

        throw .unrecognisedHeader(path: path, line: line, header: header)
    }

    /// Adds all three gyro columns when any is present; a partial set names the first missing one.
    private static func addGyro(
        _ gyroNames: [String], factor: Double, to found: inout [Int: ColumnMapping.Column], factors: inout [Double],
        column: (String) -> ColumnMapping.Column?, path: String, line: Int
    ) throws(SessionIOError) {
        let present = gyroNames.map(column)
        guard present.contains(where: { $0 != nil }) else { return }
        for (offset, name) in gyroNames.enumerated() {
            guard let gyroColumn = present[offset] else { throw .missingColumn(path: path, line: line, column: name) }
            found[4 + offset] = gyroColumn
            factors[4 + offset] = factor
        }
    }

    /// Layout of GENEActiv CSV rows: timestamp, x, y, z (g), then lux, button, temperature (ignored).
    static func geneActivLayout(delimiter: UInt8) -> CSVLayout {
        CSVLayout(
            dialect: .geneActiv, delimiter: delimiter,
            found: [0: .init(index: 0, name: "timestamp"), 1: .init(index: 1, name: "x (g)"),
                    2: .init(index: 2, name: "y (g)"), 3: .init(index: 3, name: "z (g)")],
            factors: [Double](repeating: 1, count: 7), accelUnit: .g, gyroUnit: nil, timeIsTimestamp: true)
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs, CR and LF (no Foundation).
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
