#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the data rows of a recognised CSV into columns of samples: the hot loop of `SessionIO`.
///
/// Reads whole lines straight out of `ByteSource`'s buffer with raw pointers: no `String`, no
/// allocation and no closure per line. Anything the fast path does not understand (quotes, spaces,
/// long mantissas, garbage) goes to `parseFieldSlowly`, which either parses it or builds the error.
/// A row cut short (too few fields, or a last field that is the beginning of a number) is not
/// reported at once: if nothing but blank lines follows it is the truncated last line of a
/// recording that stopped mid-write, and becomes a warning; otherwise its error is thrown when the
/// next row arrives.
final class CSVRowParser {
    let source: ByteSource
    let layout: CSVLayout
    let blockCapacity: Int
    /// Number of the last line consumed (1-based; comment, header and preamble lines count).
    private(set) var lineNumber: Int
    private(set) var warnings: [SessionIOWarning] = []
    private(set) var samplesRead = 0
    private var finished = false
    private var previousTimeS = -Double.infinity
    /// Time of the first sample, seconds; NaN before it. Every later time must lie within
    /// `SessionTimeLimits.maximumSessionSpanS` of it.
    private var firstTimeS = Double.nan
    private var timestampOriginMicroseconds: Int64 = 0
    private var hasTimestampOrigin = false
    private var deferredError: SessionIOError?
    private var deferredWarning: SessionIOWarning?

    /// Sample columns of the block being filled: time, then six `Float` columns of `blockCapacity`.
    let timeColumn: UnsafeMutablePointer<Double>
    let valueColumns: UnsafeMutablePointer<Float>
    private let fieldSlots: UnsafeMutablePointer<Int8>
    private let factors: UnsafeMutablePointer<Double>
    private let row: UnsafeMutablePointer<Double>

    init(source: ByteSource, layout: CSVLayout, blockCapacity: Int, linesBefore: Int) {
        self.source = source
        self.layout = layout
        self.blockCapacity = max(1, blockCapacity)
        self.lineNumber = linesBefore
        timeColumn = .allocate(capacity: self.blockCapacity)
        valueColumns = .allocate(capacity: 6 * self.blockCapacity)
        fieldSlots = .allocate(capacity: layout.fieldSlots.count)
        fieldSlots.initialize(from: layout.fieldSlots, count: layout.fieldSlots.count)
        factors = .allocate(capacity: 7)
        factors.initialize(from: layout.slotFactors, count: 7)
        row = .allocate(capacity: 8)
        row.initialize(repeating: 0, count: 8)
    }

    deinit {
        timeColumn.deallocate()
        valueColumns.deallocate()
        fieldSlots.deallocate()
        factors.deallocate()
        row.deallocate()
    }

    /// Parses up to `blockCapacity` samples into the columns; returns how many (0 at the end).
    func fill() throws(SessionIOError) -> Int {
        if finished { return 0 }
        do {
            return try fillColumns()
        } catch {
            finished = true
            throw error
        }
    }

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private func fillColumns() throws(SessionIOError) -> Int {
        let newline = Self.newline
        let carriageReturn = Self.carriageReturn
        let capacity = blockCapacity
        let delimiter = layout.delimiter
        let decimalAlternative = layout.acceptsDecimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let fieldsNeeded = layout.fieldsNeeded
        let hasGyro = layout.hasGyro
        let timeSlot = layout.fieldSlots.contains(CSVLayout.timestampSlot) ? Int(CSVLayout.timestampSlot) : 0
        let slots = fieldSlots
        let values = row
        let powers = DecimalParser.powersOfTen
        let reciprocals = DecimalParser.reciprocalPowersOfTen
        let timeFactor = factors[0]
        let factorX = factors[1], factorY = factors[2], factorZ = factors[3]
        let factorGyroX = factors[4], factorGyroY = factors[5], factorGyroZ = factors[6]
        let maxLineBytes = source.maxLineBytes
        let base = source.buffer
        let times = timeColumn
        let accelX = valueColumns, accelY = valueColumns + capacity, accelZ = valueColumns + 2 * capacity
        let gyroX = valueColumns + 3 * capacity, gyroY = valueColumns + 4 * capacity, gyroZ = valueColumns + 5 * capacity

        var count = 0
        var line = lineNumber
        var previousTime = previousTimeS
        var firstTime = firstTimeS
        var hasDeferred = deferredError != nil
        defer {
            lineNumber = line
            previousTimeS = previousTime
            firstTimeS = firstTime
            samplesRead += count
        }

        while count < capacity {
            if source.start >= source.completeEnd {
                if try !source.ensureCompleteLine(lineNumber: line + 1) {
                    finished = true
                    if let warning = deferredWarning {
                        warnings.append(warning)
                        deferredWarning = nil
                        deferredError = nil
                    }
                    if samplesRead + count == 0 { throw .noSamples(path: source.path) }
                    break
                }
            }
            var cursor = UnsafePointer(base + source.start)
            let limit = UnsafePointer(base + source.completeEnd)
            lines: while cursor < limit && count < capacity {
                line += 1
                let lineStart = cursor
                var byte = cursor.pointee
                if byte == newline {
                    cursor += 1
                    continue
                }
                if byte == carriageReturn && cursor[1] == newline {
                    cursor += 2
                    continue
                }
                if hasDeferred { throw deferredError! }
                var field = 0
                while true {
                    let slot = slots[field]
                    if slot < 0 {
                        byte = cursor.pointee
                        while byte != delimiter && byte != newline {
                            cursor += 1
                            byte = cursor.pointee
                        }
                    } else {
                        let fieldStart = cursor
                        var value: Double
                        var parsed: Bool
                        if slot != CSVLayout.timestampSlot {
                            (value, parsed) = DecimalParser.parseFast(
                                &cursor, decimalAlternative: decimalAlternative, exact: slot == 0,
                                powersOfTen: powers, reciprocalPowersOfTen: reciprocals)
                        } else {
                            (value, parsed) = parseTimestampSeconds(&cursor)
                        }
                        byte = cursor.pointee
                        if !parsed || (byte != delimiter && byte != newline && byte != carriageReturn) {
                            guard let slow = try parseFieldSlowly(
                                lineStart: lineStart, fieldStart: fieldStart, fieldIndex: field, slot: slot, line: line)
                            else {
                                cursor = Self.pointerPastNewline(from: fieldStart, limit: limit)
                                hasDeferred = deferredError != nil
                                continue lines
                            }
                            value = slow.value
                            cursor = slow.end
                            byte = cursor.pointee
                        }
                        values[Int(slot)] = value
                    }
                    field += 1
                    if byte == delimiter {
                        cursor += 1
                        if field == fieldsNeeded {
                            cursor = Self.pointerPastNewline(from: cursor, limit: limit) - 1
                            break
                        }
                    } else {
                        if field < fieldsNeeded {
                            deferRowTooShort(fieldsFound: field, line: line)
                            hasDeferred = true
                            cursor = Self.pointerPastNewline(from: cursor, limit: limit)
                            continue lines
                        }
                        if byte != newline { cursor = Self.pointerPastNewline(from: cursor, limit: limit) - 1 }
                        break
                    }
                }
                cursor += 1
                if cursor - lineStart - 1 > maxLineBytes {
                    throw .lineTooLong(path: source.path, line: line, limitBytes: maxLineBytes)
                }
                let time = values[timeSlot] * timeFactor
                if !(abs(time - firstTime) <= SessionTimeLimits.maximumSessionSpanS) {
                    if firstTime.isNaN, time.isFinite {
                        firstTime = time
                    } else {
                        throw .timeOutOfSpan(path: source.path, line: line, column: layout.slotNames[0],
                                             firstS: firstTime, timeS: time)
                    }
                }
                if time < previousTime {
                    throw .timeWentBackwards(
                        path: source.path, line: line, column: layout.slotNames[0], previousS: previousTime, timeS: time)
                }
                previousTime = time
                times[count] = time
                let x = Float(values[1] * factorX), y = Float(values[2] * factorY), z = Float(values[3] * factorZ)
                accelX[count] = x
                accelY[count] = y
                accelZ[count] = z
                // inf - inf is NaN; finite values give exactly 0.
                var overflowCheck = (x - x) + (y - y) + (z - z)
                if hasGyro {
                    let rateX = Float(values[4] * factorGyroX)
                    let rateY = Float(values[5] * factorGyroY)
                    let rateZ = Float(values[6] * factorGyroZ)
                    gyroX[count] = rateX
                    gyroY[count] = rateY
                    gyroZ[count] = rateZ
                    overflowCheck += (rateX - rateX) + (rateY - rateY) + (rateZ - rateZ)
                }
                if overflowCheck != 0 { throw outOfRangeError(line: line) }
                count += 1
            }
            source.start = cursor - UnsafePointer(base)
        }
        return count
    }

    /// The position just after the next '\n' at or after `pointer` (one is always before `limit`).
    @inline(__always)
    private static func pointerPastNewline(from pointer: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        let found = memchr(pointer, Int32(newline), limit - pointer)!
        return UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
    }

    /// Result of parsing a field the fast path did not accept.
    private struct SlowField {
        var value: Double
        var end: UnsafePointer<UInt8>
    }

    /// Parses a field the fast path rejected. Returns nil when the line is to be skipped (a comment,
    /// a blank line, or a truncation deferred until we know whether it is the last line); throws
    /// the error the field deserves otherwise.
    @inline(never)
    private func parseFieldSlowly(
        lineStart: UnsafePointer<UInt8>, fieldStart: UnsafePointer<UInt8>, fieldIndex: Int, slot: Int8, line: Int
    ) throws(SessionIOError) -> SlowField? {
        if fieldIndex == 0 {
            var scan = lineStart
            while scan.pointee == UInt8(ascii: " ") || scan.pointee == UInt8(ascii: "\t") || scan.pointee == Self.carriageReturn {
                scan += 1
            }
            if scan.pointee == UInt8(ascii: "#") || scan.pointee == Self.newline { return nil }
        }
        var fieldEnd = fieldStart
        while fieldEnd.pointee != layout.delimiter && fieldEnd.pointee != Self.newline { fieldEnd += 1 }
        let raw = UnsafeBufferPointer(start: fieldStart, count: fieldEnd - fieldStart)
        if raw.contains(0) || String(validating: raw, as: UTF8.self) == nil {
            throw .binaryData(path: source.path, line: line)
        }
        let trimmed = DecimalParser.trimmedField(raw)
        let text = String(decoding: trimmed, as: UTF8.self)
        let column = layout.columnName(atField: fieldIndex)
        let endsLine = fieldEnd.pointee == Self.newline

        if slot == CSVLayout.timestampSlot {
            var padded = Array(trimmed)
            padded.append(Self.newline)
            let (seconds, parsed, consumedAll) = padded.withUnsafeBufferPointer { buffer -> (Double, Bool, Bool) in
                var cursor = buffer.baseAddress!
                let (seconds, parsed) = parseTimestampSeconds(&cursor)
                return (seconds, parsed, cursor == buffer.baseAddress! + trimmed.count)
            }
            if parsed && consumedAll { return SlowField(value: seconds, end: fieldEnd) }
            let error = SessionIOError.invalidTimestamp(path: source.path, line: line, column: column, text: text)
            if endsLine && trimmed.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) && !trimmed.contains(UInt8(ascii: ",")) {
                deferTruncation(error, line: line, reason: "timestamp cut to '\(text)'")
                return nil
            }
            throw error
        }

        switch DecimalParser.parseSlow(raw, decimalComma: layout.acceptsDecimalComma) {
        case .value(let value):
            if slot != 0 && !(abs(value * factors[Int(slot)]) <= Double(Float.greatestFiniteMagnitude)) {
                throw .nonFinite(path: source.path, line: line, column: column, text: text)
            }
            return SlowField(value: value, end: fieldEnd)
        case .nonFinite:
            throw .nonFinite(path: source.path, line: line, column: column, text: text)
        case .notANumber:
            let error = SessionIOError.notANumber(path: source.path, line: line, column: column, text: text)
            if endsLine && DecimalParser.isNumberPrefix(trimmed) {
                deferTruncation(error, line: line, reason: "field '\(column)' cut to '\(text)'")
                return nil
            }
            throw error
        }
    }

    private func deferTruncation(_ error: SessionIOError, line: Int, reason: String) {
        deferredError = error
        deferredWarning = .truncatedLastLine(path: source.path, line: line, reason: reason)
    }

    @inline(never)
    private func deferRowTooShort(fieldsFound: Int, line: Int) {
        let missing = layout.columnName(atField: fieldsFound)
        deferTruncation(
            .tooFewFields(path: source.path, line: line, column: missing, expected: layout.fieldsNeeded, found: fieldsFound),
            line: line, reason: "field '\(missing)' missing, \(fieldsFound) of \(layout.fieldsNeeded) fields")
    }

    /// The error for a value that overflowed `Float` after unit conversion.
    @inline(never)
    private func outOfRangeError(line: Int) -> SessionIOError {
        for slot in 1...(layout.hasGyro ? 6 : 3) where !Float(row[slot] * factors[slot]).isFinite {
            return .nonFinite(path: source.path, line: line, column: layout.slotNames[slot], text: "\(row[slot])")
        }
        return .nonFinite(path: source.path, line: line, column: layout.slotNames[1], text: "\(row[1])")
    }

    /// Parses a GENEActiv timestamp `YYYY-MM-DD hh:mm:ss:mmm` (the fraction may also follow a `.`,
    /// with 1–6 digits) into seconds since the file's first timestamp. Dates matter, so midnight
    /// rollovers are handled.
    private func parseTimestampSeconds(_ cursor: inout UnsafePointer<UInt8>) -> (Double, Bool) {
        var scan = cursor
        @inline(__always) func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                let digit = scan.pointee &- UInt8(ascii: "0")
                if digit >= 10 { return nil }
                value = value * 10 + Int(digit)
                scan += 1
            }
            return value
        }
        @inline(__always) func expect(_ byte: UInt8) -> Bool {
            if scan.pointee != byte { return false }
            scan += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2), scan.pointee == UInt8(ascii: " ") || scan.pointee == UInt8(ascii: "T")
        else { return (0, false) }
        scan += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), expect(UInt8(ascii: ":")),
              let second = digits(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return (0, false) }
        var microseconds = 0
        if scan.pointee == UInt8(ascii: ":") || scan.pointee == UInt8(ascii: ".") {
            scan += 1
            var fractionDigits = 0
            var digit = scan.pointee &- UInt8(ascii: "0")
            while digit < 10 {
                if fractionDigits < 6 {
                    microseconds = microseconds * 10 + Int(digit)
                    fractionDigits += 1
                }
                scan += 1
                digit = scan.pointee &- UInt8(ascii: "0")
            }
            if fractionDigits == 0 { return (0, false) }
            for _ in fractionDigits..<6 { microseconds *= 10 }
        }
        // Days since 1970-01-01 in the proleptic Gregorian calendar (Hinnant, "chrono-compatible
        // low-level date algorithms", days_from_civil).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let total = Int64(((days * 24 + hour) * 60 + minute) * 60 + second) * 1_000_000 + Int64(microseconds)
        if !hasTimestampOrigin {
            timestampOriginMicroseconds = total
            hasTimestampOrigin = true
        }
        cursor = scan
        return (Double(total - timestampOriginMicroseconds) / 1e6, true)
    }
}
