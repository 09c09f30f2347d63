import ClipProtocol
import ClipSimulator
import GaitSynth
import Testing

/// Two short sessions: a 20 s run and a 12 s walk-run-walk.
let shortSessions: [SynthConfig] = [
    .easyRun(durationS: 20, seed: 3),
    .walkRunWalk(warmUpS: 3, runS: 6, stopS: 1, coolDownS: 2, seed: 4),
]

@Suite struct ClipSimulatorConversationTests {
    @Test func fullConversationHelloInfoListReadInPiecesAckEraseList() throws {
        let clip = ClipSimulator(serial: "BSC-000777", sessions: shortSessions)
        var host = HostDriver(clip)

        #expect(host.call(.hello(HelloRequest(minimumVersion: 1, maximumVersion: 2)))
            == .helloReply(HelloReply(version: 2, deviceMinimumVersion: 1, deviceMaximumVersion: 2)))
        #expect(clip.protocolVersion == 2)

        guard case let .info(info)? = host.call(.getInfo) else { Issue.record("no INFO"); return }
        #expect(info.serial == "BSC-000777")
        #expect(info.sessionCount == 2)
        #expect(info.sampleRateMilliHz == 100_000)
        #expect(info.bcdDevice == clip.configuration.firmwareBCD)
        #expect(info.flags.contains(.gyroscopeFitted))

        guard case let .sessionList(page)? = host.call(.listSessions(ListSessionsRequest())) else { Issue.record("no list"); return }
        #expect(page.totalCount == 2)
        #expect(page.entries.map(\.id) == [1, 2])
        #expect(info.flashUsedBytes == page.entries.reduce(0) { $0 + $1.byteLength })
        let first = page.entries[0]
        #expect(Int(first.sampleCount) == synthesize(shortSessions[0]).samples.count)
        #expect(first.flags == .hasGyroscope)
        #expect(page.entries[1].startTicks > first.startTicks + 20_000_000)

        // Read in pieces that do not line up with blocks, and check what the host would store.
        let bytesRead = host.readSession(id: first.id, pieceLength: 1000)
        let bytes = try #require(bytesRead)
        #expect(bytes == clip.sessionBytes(id: first.id))
        #expect(SessionChecksum.compute(bytes) == first.checksum)
        let decoded = SessionBlockDecoder.decode(bytes)
        #expect(decoded.isComplete)
        #expect(decoded.samples.count == Int(first.sampleCount))
        #expect(decoded.header?.serial == "BSC-000777")
        #expect(host.inTransferSizes.allSatisfy { $0 <= 64 })

        #expect(host.call(.ackErase(AckEraseRequest(sessionID: first.id, checksum: first.checksum)))
            == .erased(EraseResult(sessionID: first.id, freedBytes: first.byteLength)))
        guard case let .sessionList(after)? = host.call(.listSessions(ListSessionsRequest())) else { Issue.record("no list"); return }
        #expect(after.entries.map(\.id) == [2])

        // Erased sessions stay gone after a reconnect; ids are not reused.
        clip.unplug()
        clip.replug()
        var again = HostDriver(clip)
        #expect(clip.protocolVersion == nil)
        _ = again.call(.hello(HelloRequest()))
        guard case let .sessionList(reconnected)? = again.call(.listSessions(ListSessionsRequest())) else { Issue.record("no list"); return }
        #expect(reconnected.entries.map(\.id) == [2])
        #expect(clip.addSession(.easyRun(durationS: 2)).id == 3)
    }

    @Test func sessionsHoldTheSynthesisedSignalAtTheClipsRate() throws {
        let config = SynthConfig.easyRun(durationS: 5, sampleRateHz: 50, seed: 8) // the clip records at its own 100 Hz
        let clip = ClipSimulator(serial: "S", sessions: [config])
        let entry = clip.sessions[0]
        let decoded = SessionBlockDecoder.decode(try #require(clip.sessionBytes(id: entry.id)))
        var atClipRate = config
        atClipRate.sampleRateHz = 100
        let truth = synthesize(atClipRate).samples
        #expect(decoded.samples.count == truth.count)
        for n in stride(from: 0, to: truth.count, by: 7) {
            #expect(abs(decoded.samples.accelZG[n] - truth.accelZG[n]) <= 0.5 / 2048 + 1e-6)
            #expect(abs(decoded.samples.gyroYDPS[n] - truth.gyroYDPS[n]) <= 0.036)
            #expect(abs(decoded.samples.timeS[n] - truth.timeS[n]) < 1e-6)
        }
    }

    @Test(arguments: [1, 7, 64, 512, 4120])
    func responsesAreSplitToTheHostsTransferSize(_ size: Int) {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 3)])
        var host = HostDriver(clip, inTransferSize: size)
        guard case let .sessionData(chunk)? = host.call(.readSession(ReadSessionRequest(sessionID: 1, offset: 0))) else {
            Issue.record("no data"); return
        }
        #expect(chunk.data.count == 4096)
        #expect(host.inTransferSizes.allSatisfy { $0 <= size })
        #expect(clip.bulkIn(maxLength: size) == .pending)
    }

    @Test func nothingToSendIsPending() {
        let clip = ClipSimulator(serial: "S")
        #expect(clip.bulkIn(maxLength: 64) == .pending)
    }

    @Test func unknownAndMalformedRequestsGetErrorFramesNeverSilence() {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 2)])
        var host = HostDriver(clip)
        host.write(Frame(type: 0x3E, sequence: 40).encoded())
        #expect(host.receiveFrame().map { try? ClipResponse(decoding: $0) } == .error(ErrorResponse(requestType: 0x3E, code: .unknownCommand)))
        host.write(Frame(.helloReply, sequence: 41, payload: [2, 0, 1, 0, 2, 0, 8, 16]).encoded())
        #expect(host.receive() == .error(ErrorResponse(requestType: 0x81, code: .unknownCommand)))
        host.write(Frame(.readSession, sequence: 42, payload: [1, 0, 0]).encoded())
        #expect(host.receive() == .error(ErrorResponse(requestType: 0x06, code: .badLength, detail: 3)))
        host.write(Frame(.hello, sequence: 43, payload: [3, 0, 1, 0]).encoded())
        #expect(host.receive() == .error(ErrorResponse(requestType: 0x01, code: .badValue)))

        var corrupt = ClipRequest.ackErase(AckEraseRequest(sessionID: 1, checksum: 2)).encoded(sequence: 44)
        corrupt[13] ^= 0x10
        host.write(corrupt)
        guard let frame = host.receiveFrame(), case let .error(error)? = try? ClipResponse(decoding: frame) else {
            Issue.record("no answer to a corrupt request"); return
        }
        #expect(frame.sequence == 44)
        #expect(error.code == .payloadCRC && error.requestType == 0x09)
        #expect(clip.sessions.count == 1)

        // Garbage before a request is skipped and counted; the request is still answered.
        host.write([0x00, 0x42, 0x53, 0xFF, 0x42] + ClipRequest.getClock.encoded(sequence: 45))
        guard case .clock? = host.receive() else { Issue.record("no CLOCK after garbage"); return }
        #expect(clip.skippedOutBytes >= 5)
    }

    @Test func ackEraseNeedsTheMatchingChecksumAndAnExistingID() {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 2)])
        var host = HostDriver(clip)
        let entry = clip.sessions[0]
        #expect(host.call(.ackErase(AckEraseRequest(sessionID: entry.id, checksum: entry.checksum ^ 1)))
            == .error(ErrorResponse(requestType: 0x09, code: .checksumMismatch, detail: entry.checksum)))
        #expect(host.call(.ackErase(AckEraseRequest(sessionID: 99, checksum: entry.checksum)))
            == .error(ErrorResponse(requestType: 0x09, code: .unknownSession, detail: 99)))
        #expect(clip.sessions == [entry])
    }

    @Test func readsAreResumableAndBoundedByTheSessionLength() {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 2)])
        var host = HostDriver(clip)
        let entry = clip.sessions[0]
        let bytes = clip.sessionBytes(id: entry.id)!
        #expect(host.call(.readSession(ReadSessionRequest(sessionID: entry.id, offset: 1234, length: 10)))
            == .sessionData(SessionDataChunk(sessionID: entry.id, offset: 1234, data: Array(bytes[1234..<1244]))))
        #expect(host.call(.readSession(ReadSessionRequest(sessionID: entry.id, offset: entry.byteLength, length: 10)))
            == .sessionData(SessionDataChunk(sessionID: entry.id, offset: entry.byteLength, data: [])))
        #expect(host.call(.readSession(ReadSessionRequest(sessionID: entry.id, offset: entry.byteLength + 1, length: 10)))
            == .error(ErrorResponse(requestType: 0x06, code: .offsetOutOfRange, detail: entry.byteLength)))
        #expect(host.call(.readSession(ReadSessionRequest(sessionID: 77, offset: 0)))
            == .error(ErrorResponse(requestType: 0x06, code: .unknownSession, detail: 77)))
    }

    @Test func clockIsSetWithDriftAndAdvances() {
        var configuration = ClipSimulator.Configuration(serial: "S")
        configuration.utcAtTickZeroMicroseconds = nil
        let clip = ClipSimulator(configuration: configuration)
        var host = HostDriver(clip)
        guard case let .clock(before)? = host.call(.getClock) else { Issue.record("no clock"); return }
        #expect(!before.isUTCSet && before.tickRateHz == 1_000_000)
        let utc: Int64 = 1_764_061_200_000_000
        guard case let .clockSet(after)? = host.call(.setClock(SetClockRequest(utcMicroseconds: utc, driftPartsPerBillion: -1500))) else {
            Issue.record("no clock set"); return
        }
        #expect(after.isUTCSet && after.driftPartsPerBillion == -1500)
        #expect(after.utcMicroseconds(atTicks: after.deviceTicks) == utc)
        clip.advanceClock(bySeconds: 10)
        guard case let .clock(later)? = host.call(.getClock) else { Issue.record("no clock"); return }
        #expect(later.deviceTicks == after.deviceTicks + 10_000_000)
        #expect(abs(later.utcMicroseconds(atTicks: later.deviceTicks)! - (utc + 10_000_000 - 15)) <= 1)
        // A session recorded now carries that UTC.
        let entry = clip.addSession(.easyRun(durationS: 1))
        #expect(entry.startUTCMicroseconds == later.utcMicroseconds(atTicks: entry.startTicks))
    }

    @Test func batteryIsReportedInInfo() {
        let clip = ClipSimulator(serial: "S")
        clip.battery = 12
        var host = HostDriver(clip)
        guard case let .info(info)? = host.call(.getInfo) else { Issue.record("no info"); return }
        #expect(info.batteryPercent == 12)
    }

    @Test func noCommonVersionIsAnErrorWithTheClipsRange() {
        let clip = ClipSimulator(serial: "S")
        var host = HostDriver(clip)
        #expect(host.call(.hello(HelloRequest(minimumVersion: 3, maximumVersion: 4)))
            == .error(ErrorResponse(requestType: 0x01, code: .noCommonVersion, detail: 0x0001_0002)))
    }

    @Test func liveStreamingSendsConsecutiveFramesUntilStopped() {
        let clip = ClipSimulator(serial: "S")
        var host = HostDriver(clip)
        _ = host.call(.hello(HelloRequest()))
        let startTicks = clip.deviceTicks
        guard case let .streamStarted(parameters)? = host.call(.streamStart(StreamStartRequest())) else { Issue.record("no start"); return }
        #expect(parameters.sampleRateMilliHz == 100_000 && parameters.includeGyroscope && parameters.startTicks == startTicks)
        var expectedIndex: UInt32 = 0
        for frameNumber in 0..<5 {
            guard let frame = host.receiveFrame(), case let .streamData(data)? = try? ClipResponse(decoding: frame) else {
                Issue.record("no stream frame"); return
            }
            #expect(frame.sequence == UInt16(frameNumber))
            #expect(data.firstSampleIndex == expectedIndex)
            #expect(data.firstSampleTicks == startTicks + UInt64(expectedIndex) * 10_000)
            #expect(data.samples.count == 10 && data.includeGyroscope)
            let meanZ = data.samples.map { Float($0.accelZ) / 2048 }.reduce(0, +) / 10
            #expect(meanZ > -1 && meanZ < 4)
            expectedIndex += 10
        }
        host.send(.streamStop)
        // Stream frames may precede the response.
        var response: ClipResponse?
        while let next = host.receive() {
            if case .streamData = next { continue }
            response = next
            break
        }
        guard case let .streamStopped(totals)? = response else { Issue.record("no stop"); return }
        #expect(totals.frameCount >= 5 && totals.sampleCount == totals.frameCount * 10)
        #expect(!clip.isStreaming)
        #expect(clip.bulkIn(maxLength: 64) == .pending)
    }

    @Test func streamingAtAnotherRateIsRefused() {
        let clip = ClipSimulator(serial: "S")
        var host = HostDriver(clip)
        _ = host.call(.hello(HelloRequest()))
        #expect(host.call(.streamStart(StreamStartRequest(sampleRateMilliHz: 52_000)))
            == .error(ErrorResponse(requestType: 0x07, code: .badValue)))
    }
}
