import ClipProtocol
import Testing

private func sampleFrames() -> [Frame] {
    [
        ClipRequest.hello(HelloRequest()).frame(sequence: 1),
        ClipRequest.getInfo.frame(sequence: 2),
        ClipResponse.sessionData(SessionDataChunk(sessionID: 9, offset: 0, data: (0..<300).map { UInt8(truncatingIfNeeded: $0) })).frame(sequence: 3),
        ClipResponse.error(ErrorResponse(requestType: 0x30, code: .unknownCommand)).frame(sequence: 4),
        // A payload full of magic bytes, to tempt the scanner.
        ClipResponse.sessionData(SessionDataChunk(sessionID: 1, offset: 0, data: Array(repeating: 0x42, count: 40) + [0x53])).frame(sequence: 5),
    ]
}

private func frames(in events: [FrameDecoder.Event]) -> [Frame] {
    events.compactMap { if case let .frame(frame) = $0 { frame } else { nil } }
}

@Suite struct FrameDecoderTests {
    @Test func decodesBackToBackFramesInOneChunk() {
        let expected = sampleFrames()
        var decoder = FrameDecoder()
        let events = decoder.feed(expected.flatMap { $0.encoded() })
        #expect(events == expected.map { .frame($0) })
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func splitChunksOfEverySizeGiveTheSameFrames() {
        let expected = sampleFrames()
        let stream = expected.flatMap { $0.encoded() }
        for size in 1...stream.count {
            var decoder = FrameDecoder()
            var got: [Frame] = []
            var offset = 0
            while offset < stream.count {
                got += frames(in: decoder.feed(Array(stream[offset..<min(offset + size, stream.count)])))
                offset += size
            }
            #expect(got == expected, "chunk size \(size)")
            #expect(decoder.skippedByteCount == 0, "chunk size \(size)")
        }
    }

    @Test func resynchronisesAfterRandomGarbageAndCountsSkippedBytes() {
        var random = SystemRandomNumberGenerator()
        for trial in 0..<200 {
            let expected = sampleFrames()
            var stream: [UInt8] = []
            var garbageTotal = 0
            for frame in expected {
                var garbage = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                if trial % 3 == 0 { garbage += [0x42, 0x53, 0x01] } // a false start: magic and a bit of header
                garbageTotal += garbage.count
                stream += garbage + frame.encoded()
            }
            var decoder = FrameDecoder()
            var got: [Frame] = []
            var skipped = 0
            var offset = 0
            let chunk = 1 + trial % 97
            while offset < stream.count {
                for event in decoder.feed(Array(stream[offset..<min(offset + chunk, stream.count)])) {
                    switch event {
                    case let .frame(frame): got.append(frame)
                    case let .skipped(count): skipped += count
                    case .corruptFrame: break
                    }
                }
                offset += chunk
            }
            #expect(got == expected, "trial \(trial)")
            #expect(skipped == garbageTotal, "trial \(trial)")
            #expect(decoder.skippedByteCount == garbageTotal, "trial \(trial)")
        }
    }

    @Test func corruptPayloadIsReportedAndTheNextFrameStillDecodes() {
        let first = ClipRequest.readSession(ReadSessionRequest(sessionID: 3, offset: 0)).frame(sequence: 7)
        let second = ClipRequest.getClock.frame(sequence: 8)
        var bytes = first.encoded()
        bytes[14] ^= 0x01
        var decoder = FrameDecoder()
        let events = decoder.feed(bytes + second.encoded())
        guard case let .corruptFrame(type, sequence, error) = events.first else {
            Issue.record("expected a corrupt-frame event first, got \(events)")
            return
        }
        #expect(type == FrameType.readSession.rawValue)
        #expect(sequence == 7)
        if case .payloadCRCMismatch = error {} else { Issue.record("unexpected error \(error)") }
        #expect(frames(in: events) == [second])
        #expect(events.contains(.skipped(byteCount: first.encodedLength)))
    }

    @Test func oversizeLengthOrBadHeaderCRCCostsOneByteNotAStall() {
        var header: [UInt8] = [0x42, 0x53, 0x86, 0x00, 0x01, 0x00, 0xFF, 0xFF]
        var crc = CRC32C()
        crc.update(header)
        let value = crc.value
        header += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
        #expect(throws: ClipProtocolError.payloadTooLong(length: 0xFFFF, maximum: Frame.maxPayloadLength)) { try Frame(decoding: header) }
        let good = ClipRequest.getInfo.frame(sequence: 1)
        var decoder = FrameDecoder()
        #expect(frames(in: decoder.feed(header + good.encoded())) == [good])
        #expect(decoder.skippedByteCount == header.count)
    }

    @Test func singleFrameDecodingNamesTheProblem() {
        var bytes = ClipRequest.getInfo.encoded(sequence: 1)
        #expect(throws: ClipProtocolError.frameLengthMismatch(declared: 16, actual: 17)) { try Frame(decoding: bytes + [0]) }
        bytes[0] = 0x41
        #expect(throws: ClipProtocolError.badMagic(found: [0x41, 0x53])) { try Frame(decoding: bytes) }
    }
}

@Suite struct MessageTests {
    @Test func shortPayloadNamesTheMissingField() {
        let frame = Frame(.readSession, sequence: 1, payload: [1, 0, 0, 0, 2, 0])
        #expect(throws: ClipProtocolError.truncated(message: "READ_SESSION", field: "offset", offset: 4, needed: 4, available: 2)) {
            try ClipRequest(decoding: frame)
        }
        let error = ClipProtocolError.truncated(message: "READ_SESSION", field: "offset", offset: 4, needed: 4, available: 2)
        #expect(error.description == "READ_SESSION: payload too short for offset at offset 4 (needs 4 bytes, 2 left)")
    }

    @Test func trailingBytesFromANewerVersionAreIgnored() throws {
        let payload = ClipRequest.ackErase(AckEraseRequest(sessionID: 5, checksum: 6)).payload() + [9, 9, 9]
        #expect(try ClipRequest(decoding: Frame(.ackErase, sequence: 1, payload: payload)) == .ackErase(AckEraseRequest(sessionID: 5, checksum: 6)))
    }

    @Test func responseTypesAreNotRequests() {
        #expect(throws: ClipProtocolError.unknownFrameType(type: 0x81, expected: "request")) {
            try ClipRequest(decoding: Frame(.helloReply, sequence: 1, payload: [2, 0, 1, 0, 2, 0, 8, 16]))
        }
        #expect(throws: ClipProtocolError.unknownFrameType(type: 0x3E, expected: "response")) {
            try ClipResponse(decoding: Frame(type: 0x3E, sequence: 1))
        }
    }

    @Test func versionNegotiationPicksTheHighestCommonVersion() {
        #expect(ClipProtocolVersion.negotiate(hostMinimum: 1, hostMaximum: 2, deviceMinimum: 1, deviceMaximum: 1) == 1)
        #expect(ClipProtocolVersion.negotiate(hostMinimum: 1, hostMaximum: 2, deviceMinimum: 1, deviceMaximum: 5) == 2)
        #expect(ClipProtocolVersion.negotiate(hostMinimum: 3, hostMaximum: 4, deviceMinimum: 1, deviceMaximum: 2) == nil)
    }

    @Test func clockConvertsTicksToUTCWithDrift() {
        let clock = ClockState(deviceTicks: 0, tickRateHz: 1_000_000, isUTCSet: true, utcAtTickZeroMicroseconds: 1_000, driftPartsPerBillion: 1_000_000)
        let utc: Int64? = clock.utcMicroseconds(atTicks: 1_000_000)
        #expect(utc == Int64(1_002_000))
        #expect(ClockState(deviceTicks: 0, tickRateHz: 1_000_000, isUTCSet: false, utcAtTickZeroMicroseconds: 0, driftPartsPerBillion: 0)
            .utcMicroseconds(atTicks: 5) == nil)
    }

    @Test func bcdDeviceIsMajorMinorInBCD() {
        let info = DeviceInfo(serial: "X", firmwareMajor: 1, firmwareMinor: 12, firmwarePatch: 0, hardwareRevision: 1, accelRangeG: 16,
                              gyroRangeDPS: 2000, accelGPerLsb: 1, gyroDPSPerLsb: 1, sampleRateMilliHz: 1, batteryPercent: 1,
                              isCharging: false, batteryMillivolts: 1, flashTotalBytes: 1, flashUsedBytes: 1, sessionCount: 0, flags: [])
        #expect(info.bcdDevice == 0x0112)
    }
}
