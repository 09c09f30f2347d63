import ClipProtocol
import Testing

/// What each frame vector must decode to: the values PROTOCOL.md's vector index describes.
enum ExpectedMessage {
    case request(ClipRequest)
    case response(ClipResponse)
}

let accelScale: Float = 1.0 / 2048
let gyroScale: Float = 0.07

let expectedMessages: [String: ExpectedMessage] = [
    "hello-request": .request(.hello(HelloRequest(minimumVersion: 1, maximumVersion: 2))),
    "hello-reply": .response(.helloReply(HelloReply(version: 2, deviceMinimumVersion: 1, deviceMaximumVersion: 2, maxPayloadLength: 4104))),
    "hello-reply-v1": .response(.helloReply(HelloReply(version: 1, deviceMinimumVersion: 1, deviceMaximumVersion: 1, maxPayloadLength: 4104))),
    "get-info-request": .request(.getInfo),
    "info-response": .response(.info(DeviceInfo(
        serial: "BSC-000123", firmwareMajor: 1, firmwareMinor: 2, firmwarePatch: 0, hardwareRevision: 3, accelRangeG: 16,
        gyroRangeDPS: 2000, accelGPerLsb: accelScale, gyroDPSPerLsb: gyroScale, sampleRateMilliHz: 100_000, batteryPercent: 87,
        isCharging: false, batteryMillivolts: 3987, flashTotalBytes: 8_388_608, flashUsedBytes: 1_048_576, sessionCount: 2,
        flags: .gyroscopeFitted))),
    "get-clock-request": .request(.getClock),
    "clock-response": .response(.clock(ClockState(deviceTicks: 123_456_789_012, tickRateHz: 1_000_000, isUTCSet: true,
                                                  utcAtTickZeroMicroseconds: 1_764_000_000_000_000, driftPartsPerBillion: -1500))),
    "set-clock-request": .request(.setClock(SetClockRequest(utcMicroseconds: 1_764_061_200_000_000, driftPartsPerBillion: -1500))),
    "clock-set-response": .response(.clockSet(ClockState(deviceTicks: 123_456_790_000, tickRateHz: 1_000_000, isUTCSet: true,
                                                         utcAtTickZeroMicroseconds: 1_763_937_743_395_185, driftPartsPerBillion: -1500))),
    "list-sessions-request": .request(.listSessions(ListSessionsRequest(startIndex: 0, maxCount: 100))),
    "session-list-response": .response(.sessionList(SessionListPage(totalCount: 2, startIndex: 0, entries: [
        SessionEntry(id: 41, checksum: 0x89AB_CDEF, startUTCMicroseconds: 1_764_058_800_000_000, startTicks: 120_000_000_000,
                     byteLength: 20_480, sampleCount: 1_560, sampleRateMilliHz: 100_000, flags: .hasGyroscope),
        SessionEntry(id: 42, checksum: 0x0123_4567, startUTCMicroseconds: Int64.min, startTicks: 130_000_000_000,
                     byteLength: 1_536, sampleCount: 43, sampleRateMilliHz: 100_000, flags: [.hasGyroscope, .incomplete]),
    ]))),
    "read-session-request": .request(.readSession(ReadSessionRequest(sessionID: 41, offset: 4096, length: 4096))),
    "session-data-response": .response(.sessionData(SessionDataChunk(sessionID: 41, offset: 4096, data: Array(0..<16)))),
    "stream-start-request": .request(.streamStart(StreamStartRequest(sampleRateMilliHz: 0, includeGyroscope: true))),
    "stream-started-response": .response(.streamStarted(StreamParameters(sampleRateMilliHz: 100_000, includeGyroscope: true,
                                                                         accelGPerLsb: accelScale, gyroDPSPerLsb: gyroScale,
                                                                         startTicks: 123_460_000_000))),
    "stream-data": .response(.streamData(StreamData(firstSampleTicks: 123_460_000_000, firstSampleIndex: 0, includeGyroscope: true, samples: [
        RawSample(accelX: 0, accelY: 0, accelZ: 2048),
        RawSample(accelX: -2048, accelY: 1024, accelZ: 4096, gyroX: -714, gyroY: 714, gyroZ: 32767),
    ]))),
    "stream-stop-request": .request(.streamStop),
    "stream-stopped-response": .response(.streamStopped(StreamStopped(frameCount: 10, sampleCount: 200))),
    "ack-erase-request": .request(.ackErase(AckEraseRequest(sessionID: 41, checksum: 0x89AB_CDEF))),
    "erased-response": .response(.erased(EraseResult(sessionID: 41, freedBytes: 20_480))),
    "error-unknown-command": .response(.error(ErrorResponse(requestType: 0x3E, code: .unknownCommand, detail: 0))),
    "error-checksum-mismatch": .response(.error(ErrorResponse(requestType: 0x09, code: .checksumMismatch, detail: 0x89AB_CDEF))),
    "error-no-common-version": .response(.error(ErrorResponse(requestType: 0x01, code: .noCommonVersion, detail: 0x0001_0002))),
]

let vectorBlockSamples = [
    RawSample(accelX: 12, accelY: -40, accelZ: 2048, gyroX: 143, gyroY: -7, gyroZ: 0),
    RawSample(accelX: 35, accelY: -22, accelZ: 2301, gyroX: 160, gyroY: -3, gyroZ: 1),
    RawSample(accelX: -8, accelY: 5, accelZ: 6144, gyroX: 171, gyroY: 2, gyroZ: -1),
]

let vectorHeader = SessionHeader(sessionID: 41, hasGyroscope: true, accelRangeG: 16, gyroRangeDPS: 2000, firmwareBCD: 0x0102,
                                 sampleRateMilliHz: 100_000, tickRateHz: 1_000_000, startTicks: 120_000_000_000,
                                 startUTCMicroseconds: 1_764_058_800_000_000, accelGPerLsb: accelScale, gyroDPSPerLsb: gyroScale,
                                 serial: "BSC-000123")

@Suite struct VectorTests {
    @Test func indexListsEveryFrameTypeInBothDirections() {
        let types = Set(VectorIndex.vectors(kind: "request", "response").compactMap(\.type))
        for type in FrameType.allCases {
            #expect(types.contains("0x" + String(type.rawValue, radix: 16, uppercase: true).leftPadded(2)), "no vector for \(type)")
        }
        #expect(Set(VectorIndex.shared.vectors.map(\.kind)).isSuperset(of: ["header-block", "data-block", "bad-block", "session"]))
    }

    @Test(arguments: VectorIndex.vectors(kind: "request", "response"))
    func frameVectorDecodesToItsDocumentedMessageAndReencodesByteForByte(_ vector: VectorIndex.Vector) throws {
        let bytes = vector.bytes
        #expect(bytes.count == vector.length)
        let frame = try Frame(decoding: bytes)
        #expect(frame.encoded() == bytes)
        #expect(Int(frame.sequence) == vector.sequence)
        #expect("0x" + String(frame.type, radix: 16, uppercase: true).leftPadded(2) == vector.type)
        switch expectedMessages[vector.name] {
        case let .request(expected):
            #expect(vector.kind == "request")
            let request = try ClipRequest(decoding: frame)
            #expect(request == expected)
            #expect(request.encoded(sequence: frame.sequence) == bytes)
        case let .response(expected):
            #expect(vector.kind == "response")
            let response = try ClipResponse(decoding: frame)
            #expect(response == expected)
            #expect(response.encoded(sequence: frame.sequence) == bytes)
        case nil:
            Issue.record("no expected message for vector \(vector.name)")
        }
    }

    @Test func headerBlockVectorDecodesAndReencodes() throws {
        let bytes = VectorIndex.vector("session-header-block").bytes
        let header = try SessionHeader(block: bytes)
        #expect(header == vectorHeader)
        #expect(header.encodedBlock() == bytes)
    }

    @Test func dataBlockVectorsDecodeAndReencode() throws {
        let gyroBytes = VectorIndex.vector("session-data-block").bytes
        let block = try SessionDataBlock(block: gyroBytes)
        #expect(block == SessionDataBlock(sequence: 1, sessionID: 41, firstSampleIndex: 0, firstSampleTicks: 120_000_000_000,
                                          hasGyroscope: true, samples: vectorBlockSamples))
        #expect(block.encodedBlock() == gyroBytes)

        let accelBytes = VectorIndex.vector("session-data-block-accel-only").bytes
        let accel = try SessionDataBlock(block: accelBytes)
        #expect(accel == SessionDataBlock(sequence: 1, sessionID: 42, firstSampleIndex: 0, firstSampleTicks: 130_000_000_000, hasGyroscope: false,
                                          samples: [RawSample(accelX: 1, accelY: 2, accelZ: 2048), RawSample(accelX: -1, accelY: -2, accelZ: 2047)]))
        #expect(accel.encodedBlock() == accelBytes)
    }

    @Test func powerLossBlockVectorIsReportedAsPartiallyWritten() {
        let vector = VectorIndex.vector("session-data-block-power-loss")
        #expect(throws: BadBlockReason.partiallyWritten(programmedBytes: vector.programmedBytes!)) {
            try SessionDataBlock(block: vector.bytes)
        }
    }

    @Test func powerLossSessionVectorKeepsGoodBlocksAndInventsNothing() throws {
        let vector = VectorIndex.vector("session-power-loss")
        let decoded = SessionBlockDecoder.decode(vector.bytes)
        #expect(!decoded.isComplete)
        #expect(decoded.header == vectorHeader)
        #expect(decoded.badBlocks == [BadBlock(index: vector.badBlock!, reason: .partiallyWritten(programmedBytes: 100))])
        #expect(decoded.samples.count == vector.goodSamples)
        #expect(decoded.samples.timeS == [0, 0.01, 0.02])
        #expect(decoded.samples.accelZG == [1, 2301.0 / 2048, 3])
        #expect(decoded.samples.gyroXDPS == [143 * gyroScale, 160 * gyroScale, 171 * gyroScale])
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
