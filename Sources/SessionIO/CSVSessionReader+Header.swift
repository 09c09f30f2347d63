/// Reading the lines before the samples: BOM, `#` comments, the column header, or a GENEActiv preamble.
extension CSVSessionReader {
    struct Header {
        var metadata: SessionMetadata
        var layout: CSVLayout
        var warnings: [SessionIOWarning]
        var linesConsumed: Int
    }

    /// Most preamble lines accepted before the first GENEActiv row (the PC software writes 100).
    static let maxPreambleLines = 10_000

    static func readHeader(_ source: ByteSource) throws(SessionIOError) -> Header {
        let path = source.path
        let fileName = String(path.split(separator: "/").last ?? Substring(path))
        var line = 0
        var comments: [String] = []
        var properties: [String: String] = [:]
        var sawContent = false
        var checkedByteOrderMark = false

        /// The next line's text without consuming it, or nil at the end of input.
        func peekLine() throws(SessionIOError) -> String? {
            guard try source.ensureCompleteLine(lineNumber: line + 1) else { return nil }
            if !checkedByteOrderMark {
                checkedByteOrderMark = true
                let bytes = source.buffer + source.start
                if source.completeEnd - source.start >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
                    source.start += 3
                }
            }
            let bytes = source.currentLine()
            guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
                throw .binaryData(path: path, line: line + 1)
            }
            return text
        }

        while true {
            guard let text = try peekLine() else {
                throw sawContent ? .noHeader(path: path) : .emptyFile(path: path)
            }
            let trimmed = text.trimmingASCIIWhitespace()
            if trimmed.isEmpty {
                source.consumeLine()
                line += 1
                continue
            }
            sawContent = true
            if trimmed.hasPrefix("#") {
                source.consumeLine()
                line += 1
                let body = String(trimmed.dropFirst()).trimmingASCIIWhitespace()
                if let equals = body.firstIndex(of: "="),
                   case let key = String(body[..<equals]).trimmingASCIIWhitespace(),
                   !key.isEmpty, !key.contains(" ") {
                    properties[key] = String(body[body.index(after: equals)...]).trimmingASCIIWhitespace()
                } else {
                    comments.append(body)
                }
                continue
            }
            if trimmed.hasPrefix("Device Type"), trimmed.contains("GENEActiv") {
                return try readGENEActivPreamble(
                    source, firstLine: trimmed, linesBefore: line, properties: properties, comments: comments,
                    peekLine: peekLine)
            }
            source.consumeLine()
            line += 1
            let layout = try CSVHeaderRecognizer.layout(header: trimmed, path: path, line: line, fileName: fileName)
            var warnings: [SessionIOWarning] = []
            if layout.dialect == .sensorLogger && fileName.lowercased().contains("accelerometer") {
                warnings.append(.gravityMayBeMissing(
                    path: path, advice: "Sensor Logger's Accelerometer.csv excludes gravity on iOS; use TotalAcceleration.csv"))
            }
            var metadata = SessionMetadata(
                path: path, dialect: layout.dialect,
                declaredSampleRateHz: properties["fs_hz"].flatMap { Double($0) }.flatMap { $0 > 0 && $0.isFinite ? $0 : nil },
                device: properties["device"], serial: properties["serial"], hasGyro: layout.hasGyro,
                accelUnit: layout.accelUnit, gyroUnit: layout.gyroUnit, columns: layout.columns,
                delimiter: Character(Unicode.Scalar(layout.delimiter)), acceptsDecimalComma: layout.acceptsDecimalComma,
                headerLine: line, properties: properties, comments: comments)
            if let stated = properties["start_utc"] {
                metadata.startUTCS = RecordingStart.parseUTC(stated)
                if metadata.startUTCS == nil {
                    warnings.append(.ignoredProperty(path: path, key: "start_utc", value: stated,
                                                     reason: "not an ISO 8601 time with Z or an offset, nor seconds since 1970, between 2000 and 2100"))
                }
            } else if let row = try? peekLine() {
                // The first sample's Unix time, for the exports that carry one (not consumed here).
                let delimiter = Character(Unicode.Scalar(layout.delimiter))
                metadata.startUTCS = RecordingStart.firstRow(header: CSVHeaderRecognizer.splitFields(trimmed, delimiter: delimiter),
                                                             row: CSVHeaderRecognizer.splitFields(row, delimiter: delimiter), dialect: layout.dialect)
            }
            return Header(metadata: metadata, layout: layout, warnings: warnings, linesConsumed: line)
        }
    }

    /// Reads `key,value` preamble lines up to the first `YYYY-MM-DD hh:mm:ss:mmm,…` row.
    private static func readGENEActivPreamble(
        _ source: ByteSource, firstLine: String, linesBefore: Int, properties initialProperties: [String: String],
        comments: [String], peekLine: () throws(SessionIOError) -> String?
    ) throws(SessionIOError) -> Header {
        let path = source.path
        let afterKey = firstLine.dropFirst("Device Type".count).first ?? ","
        let delimiter: Character = afterKey == "\t" || afterKey == ";" ? afterKey : ","
        var properties = initialProperties
        var line = linesBefore
        var text = firstLine
        while true {
            let fields = CSVHeaderRecognizer.splitFields(text, delimiter: delimiter).map { $0.trimmingASCIIWhitespace() }
            if let key = fields.first, !key.isEmpty, properties[key] == nil {
                properties[key] = fields.dropFirst().first(where: { !$0.isEmpty }) ?? ""
            }
            source.consumeLine()
            line += 1
            guard let next = try peekLine() else { throw .noSamples(path: path) }
            if looksLikeGENEActivRow(next) { break }
            if line - linesBefore > maxPreambleLines { throw .noSamples(path: path) }
            text = next.trimmingASCIIWhitespace()
        }
        let layout = CSVHeaderRecognizer.geneActivLayout(delimiter: delimiter.asciiValue!)
        let frequency = properties["Measurement Frequency"].flatMap { value in
            Double(value.split(separator: " ").first.map(String.init) ?? "")
        }
        var device = properties["Device Type"]
        if let model = properties["Device Model"], !model.isEmpty, let type = device { device = "\(type) \(model)" }
        var metadata = SessionMetadata(
            path: path, dialect: .geneActiv, declaredSampleRateHz: frequency, device: device,
            serial: properties["Device Unique Serial Code"], hasGyro: false, accelUnit: .g, gyroUnit: nil,
            columns: layout.columns, delimiter: delimiter, acceptsDecimalComma: layout.acceptsDecimalComma,
            headerLine: nil, properties: properties, comments: comments)
        metadata.startUTCS = RecordingStart.geneActiv(start: properties["Start Time"], timeZone: properties["Time Zone"])
        return Header(metadata: metadata, layout: layout, warnings: [], linesConsumed: line)
    }

    /// Whether a line starts like `2019-08-06 10:25:50:000`.
    static func looksLikeGENEActivRow(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(11))
        guard bytes.count == 11 else { return false }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        return bytes[0..<4].allSatisfy(isDigit) && bytes[4] == UInt8(ascii: "-") && bytes[5..<7].allSatisfy(isDigit)
            && bytes[7] == UInt8(ascii: "-") && bytes[8..<10].allSatisfy(isDigit)
            && (bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"))
    }
}
