// Payload encoding and decoding for every message.

extension HelloRequest {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.u16(minimumVersion); w.u16(maximumVersion); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "HELLO")
        self.init(minimumVersion: try r.u16("minimumVersion"), maximumVersion: try r.u16("maximumVersion"))
        guard minimumVersion <= maximumVersion else {
            throw .invalidField(message: "HELLO", field: "minimumVersion", value: Int64(minimumVersion), reason: "greater than maximumVersion \(maximumVersion)")
        }
    }
}

extension HelloReply {
    func payload() -> [UInt8] {
        var w = ByteWriter()
        w.u16(version); w.u16(deviceMinimumVersion); w.u16(deviceMaximumVersion); w.u16(maxPayloadLength)
        return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "HELLO_REPLY")
        self.init(version: try r.u16("version"), deviceMinimumVersion: try r.u16("deviceMinimumVersion"),
                  deviceMaximumVersion: try r.u16("deviceMaximumVersion"), maxPayloadLength: try r.u16("maxPayloadLength"))
    }
}

/// Checks a serial number: 1…`maximum` printable ASCII bytes.
func validatedSerial(_ bytes: [UInt8], message: String, field: String, maximum: Int) throws(ClipProtocolError) -> String {
    guard !bytes.isEmpty, bytes.count <= maximum else {
        throw .invalidField(message: message, field: field, value: Int64(bytes.count), reason: "length must be 1…\(maximum)")
    }
    for (index, byte) in bytes.enumerated() where !(0x21...0x7E).contains(byte) {
        throw .invalidField(message: message, field: "\(field)[\(index)]", value: Int64(byte), reason: "not printable ASCII")
    }
    return String(decoding: bytes, as: UTF8.self)
}

extension DeviceInfo {
    /// The longest serial number.
    public static let maxSerialLength = 32

    func payload() -> [UInt8] {
        var w = ByteWriter()
        let serialBytes = Array(serial.utf8.prefix(DeviceInfo.maxSerialLength))
        w.u8(UInt8(serialBytes.count)); w.append(serialBytes)
        w.u8(firmwareMajor); w.u8(firmwareMinor); w.u8(firmwarePatch); w.u8(hardwareRevision)
        w.u8(accelRangeG); w.u8(0); w.u16(gyroRangeDPS)
        w.f32(accelGPerLsb); w.f32(gyroDPSPerLsb); w.u32(sampleRateMilliHz)
        w.u8(batteryPercent); w.u8(isCharging ? 1 : 0); w.u16(batteryMillivolts)
        w.u32(flashTotalBytes); w.u32(flashUsedBytes)
        w.u16(sessionCount); w.u16(flags.rawValue)
        return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "INFO")
        let serialLength = Int(try r.u8("serialLength"))
        let serial = try validatedSerial(try r.bytes(serialLength, "serial"), message: "INFO", field: "serial", maximum: DeviceInfo.maxSerialLength)
        let major = try r.u8("firmwareMajor"), minor = try r.u8("firmwareMinor"), patch = try r.u8("firmwarePatch")
        let hardware = try r.u8("hardwareRevision")
        let accelRange = try r.u8("accelRangeG")
        _ = try r.u8("reserved")
        let gyroRange = try r.u16("gyroRangeDPS")
        let accelScale = try r.f32("accelGPerLsb"), gyroScale = try r.f32("gyroDPSPerLsb")
        let rate = try r.u32("sampleRateMilliHz")
        let battery = try r.u8("batteryPercent"), charging = try r.u8("charging"), millivolts = try r.u16("batteryMillivolts")
        guard battery <= 100 else {
            throw .invalidField(message: "INFO", field: "batteryPercent", value: Int64(battery), reason: "above 100")
        }
        let total = try r.u32("flashTotalBytes"), used = try r.u32("flashUsedBytes")
        let count = try r.u16("sessionCount"), flags = try r.u16("flags")
        self.init(serial: serial, firmwareMajor: major, firmwareMinor: minor, firmwarePatch: patch, hardwareRevision: hardware,
                  accelRangeG: accelRange, gyroRangeDPS: gyroRange, accelGPerLsb: accelScale, gyroDPSPerLsb: gyroScale,
                  sampleRateMilliHz: rate, batteryPercent: battery, isCharging: charging != 0, batteryMillivolts: millivolts,
                  flashTotalBytes: total, flashUsedBytes: used, sessionCount: count, flags: DeviceFlags(rawValue: flags))
    }
}

extension ClockState {
    func payload() -> [UInt8] {
        var w = ByteWriter()
        w.u64(deviceTicks); w.u32(tickRateHz); w.u16(isUTCSet ? 1 : 0); w.u16(0)
        w.i64(utcAtTickZeroMicroseconds); w.i32(driftPartsPerBillion)
        return w.bytes
    }
    init(payload: [UInt8], message: String) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: message)
        let ticks = try r.u64("deviceTicks"), rate = try r.u32("tickRateHz"), flags = try r.u16("flags")
        _ = try r.u16("reserved")
        guard rate > 0 else { throw .invalidField(message: message, field: "tickRateHz", value: 0, reason: "must be positive") }
        self.init(deviceTicks: ticks, tickRateHz: rate, isUTCSet: flags & 1 != 0,
                  utcAtTickZeroMicroseconds: try r.i64("utcAtTickZeroMicroseconds"), driftPartsPerBillion: try r.i32("driftPartsPerBillion"))
    }
}

extension SetClockRequest {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.i64(utcMicroseconds); w.i32(driftPartsPerBillion); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "SET_CLOCK")
        self.init(utcMicroseconds: try r.i64("utcMicroseconds"), driftPartsPerBillion: try r.i32("driftPartsPerBillion"))
    }
}

extension ListSessionsRequest {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.u16(startIndex); w.u16(maxCount); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "LIST_SESSIONS")
        self.init(startIndex: try r.u16("startIndex"), maxCount: try r.u16("maxCount"))
    }
}

extension SessionListPage {
    func payload() -> [UInt8] {
        var w = ByteWriter(capacity: 8 + entries.count * SessionEntry.encodedLength)
        w.u16(totalCount); w.u16(startIndex); w.u16(UInt16(entries.count)); w.u16(0)
        for e in entries {
            w.u32(e.id); w.u32(e.checksum); w.i64(e.startUTCMicroseconds); w.u64(e.startTicks)
            w.u32(e.byteLength); w.u32(e.sampleCount); w.u32(e.sampleRateMilliHz); w.u16(e.flags.rawValue); w.u16(0)
        }
        return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "SESSION_LIST")
        let total = try r.u16("totalCount"), start = try r.u16("startIndex"), count = try r.u16("count")
        _ = try r.u16("reserved")
        guard count <= SessionListPage.maxEntriesPerPage else {
            throw .invalidField(message: "SESSION_LIST", field: "count", value: Int64(count), reason: "more than \(SessionListPage.maxEntriesPerPage) entries")
        }
        var entries: [SessionEntry] = []
        entries.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            let f = "entries[\(index)]."
            let entry = SessionEntry(
                id: try r.u32(f + "id"), checksum: try r.u32(f + "checksum"), startUTCMicroseconds: try r.i64(f + "startUTCMicroseconds"),
                startTicks: try r.u64(f + "startTicks"), byteLength: try r.u32(f + "byteLength"), sampleCount: try r.u32(f + "sampleCount"),
                sampleRateMilliHz: try r.u32(f + "sampleRateMilliHz"), flags: SessionFlags(rawValue: try r.u16(f + "flags")))
            _ = try r.u16(f + "reserved")
            entries.append(entry)
        }
        self.init(totalCount: total, startIndex: start, entries: entries)
    }
}

extension ReadSessionRequest {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.u32(sessionID); w.u32(offset); w.u32(length); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "READ_SESSION")
        self.init(sessionID: try r.u32("sessionID"), offset: try r.u32("offset"), length: try r.u32("length"))
    }
}

extension SessionDataChunk {
    func payload() -> [UInt8] {
        var w = ByteWriter(capacity: 8 + data.count); w.u32(sessionID); w.u32(offset); w.append(data); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "SESSION_DATA")
        self.init(sessionID: try r.u32("sessionID"), offset: try r.u32("offset"), data: r.rest())
    }
}

extension StreamStartRequest {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.u32(sampleRateMilliHz); w.u16(includeGyroscope ? 1 : 0); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "STREAM_START")
        self.init(sampleRateMilliHz: try r.u32("sampleRateMilliHz"), includeGyroscope: try r.u16("flags") & 1 != 0)
    }
}

extension StreamParameters {
    func payload() -> [UInt8] {
        var w = ByteWriter()
        w.u32(sampleRateMilliHz); w.u16(includeGyroscope ? 1 : 0); w.u16(0)
        w.f32(accelGPerLsb); w.f32(gyroDPSPerLsb); w.u64(startTicks)
        return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "STREAM_STARTED")
        let rate = try r.u32("sampleRateMilliHz"), flags = try r.u16("flags")
        _ = try r.u16("reserved")
        self.init(sampleRateMilliHz: rate, includeGyroscope: flags & 1 != 0, accelGPerLsb: try r.f32("accelGPerLsb"),
                  gyroDPSPerLsb: try r.f32("gyroDPSPerLsb"), startTicks: try r.u64("startTicks"))
    }
}

extension StreamStopped {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.u32(frameCount); w.u32(sampleCount); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "STREAM_STOPPED")
        self.init(frameCount: try r.u32("frameCount"), sampleCount: try r.u32("sampleCount"))
    }
}

extension StreamData {
    func payload() -> [UInt8] {
        var w = ByteWriter(capacity: 16 + samples.count * 12)
        w.u64(firstSampleTicks); w.u32(firstSampleIndex); w.u16(UInt16(samples.count)); w.u16(includeGyroscope ? 1 : 0)
        for s in samples {
            w.i16(s.accelX); w.i16(s.accelY); w.i16(s.accelZ)
            if includeGyroscope { w.i16(s.gyroX); w.i16(s.gyroY); w.i16(s.gyroZ) }
        }
        return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "STREAM_DATA")
        let ticks = try r.u64("firstSampleTicks"), index = try r.u32("firstSampleIndex")
        let count = Int(try r.u16("sampleCount")), gyro = try r.u16("flags") & 1 != 0
        var samples: [RawSample] = []
        samples.reserveCapacity(count)
        for i in 0..<count {
            let f = "samples[\(i)]"
            var s = RawSample(accelX: Int16(bitPattern: try r.u16(f)), accelY: Int16(bitPattern: try r.u16(f)), accelZ: Int16(bitPattern: try r.u16(f)))
            if gyro {
                s.gyroX = Int16(bitPattern: try r.u16(f)); s.gyroY = Int16(bitPattern: try r.u16(f)); s.gyroZ = Int16(bitPattern: try r.u16(f))
            }
            samples.append(s)
        }
        self.init(firstSampleTicks: ticks, firstSampleIndex: index, includeGyroscope: gyro, samples: samples)
    }
}

extension AckEraseRequest {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.u32(sessionID); w.u32(checksum); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "ACK_ERASE")
        self.init(sessionID: try r.u32("sessionID"), checksum: try r.u32("checksum"))
    }
}

extension EraseResult {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.u32(sessionID); w.u32(freedBytes); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "ERASED")
        self.init(sessionID: try r.u32("sessionID"), freedBytes: try r.u32("freedBytes"))
    }
}

extension ErrorResponse {
    func payload() -> [UInt8] {
        var w = ByteWriter(); w.u8(requestType); w.u8(code.rawValue); w.u16(0); w.u32(detail); return w.bytes
    }
    init(payload: [UInt8]) throws(ClipProtocolError) {
        var r = ByteReader(payload, message: "ERROR")
        let type = try r.u8("requestType"), code = try r.u8("code")
        _ = try r.u16("reserved")
        self.init(requestType: type, code: ClipErrorCode(rawValue: code), detail: try r.u32("detail"))
    }
}
