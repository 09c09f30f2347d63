import ClipProtocol
import ClipSimulator
import Foundation
import GaitSynth
import Testing

@Suite struct ClipSimulatorFaultTests {
    @Test func unplugAtAnInByteDisconnectsThatTransferAndEverythingAfter() {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 3)])
        clip.inject(.unplugAtInByte(1000))
        var host = HostDriver(clip)
        host.send(.readSession(ReadSessionRequest(sessionID: 1, offset: 0)))
        #expect(host.receiveFrame() == nil)
        #expect(host.lastFailure == .disconnect)
        #expect(clip.transferredByteCounts.toHost == 960) // 15 whole 64-byte transfers before byte 1000
        #expect(!clip.isConnected)
        #expect(clip.bulkOut([1, 2, 3]) == .disconnect)
        #expect(clip.bulkIn(maxLength: 64) == .disconnect)
        // Plugged back in, the clip answers from scratch and still holds its session.
        clip.replug()
        var again = HostDriver(clip)
        guard case let .sessionList(page)? = again.call(.listSessions(ListSessionsRequest())) else { Issue.record("no list"); return }
        #expect(page.entries.count == 1)
    }

    @Test func unplugAtAnOutByteRefusesThatTransfer() {
        let clip = ClipSimulator(serial: "S")
        clip.inject(.unplugAtOutByte(30))
        var host = HostDriver(clip)
        host.outTransferSize = 16
        host.send(.getInfo)            // bytes 0…15: accepted
        #expect(host.receive() != nil)
        host.send(.getInfo)            // bytes 16…31: this transfer carries byte 30
        #expect(host.lastFailure == .disconnect)
        #expect(clip.transferredByteCounts.fromHost == 16)
        #expect(!clip.isConnected)
    }

    @Test func corruptSessionReadOnceDamagesOneBlockOfOneRead() throws {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 3)])
        let entry = clip.sessions[0]
        clip.inject(.corruptSessionRead(sessionID: entry.id, offset: 2000, persistent: false))
        var host = HostDriver(clip)
        let firstRead = host.readSession(id: entry.id, pieceLength: 4096)
        let first = try #require(firstRead)
        #expect(SessionChecksum.compute(first) != entry.checksum)
        let decoded = SessionBlockDecoder.decode(first)
        #expect(decoded.badBlocks.map(\.index) == [3])
        if case .crcMismatch = decoded.badBlocks.first?.reason {} else { Issue.record("expected a CRC mismatch") }
        #expect(decoded.samples.count == Int(entry.sampleCount) - 40)
        let secondRead = host.readSession(id: entry.id, pieceLength: 4096)
        let second = try #require(secondRead)
        #expect(SessionChecksum.compute(second) == entry.checksum)
    }

    @Test func corruptSessionReadPersistentDamagesEveryRead() throws {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 3)])
        let entry = clip.sessions[0]
        clip.inject(.corruptSessionRead(sessionID: entry.id, offset: 10, persistent: true))
        var host = HostDriver(clip)
        for _ in 0..<2 {
            let bytesRead = host.readSession(id: entry.id, pieceLength: 512)
        let bytes = try #require(bytesRead)
            #expect(bytes[10] == clip.sessionBytes(id: entry.id)![10] ^ 0xFF)
            #expect(SessionBlockDecoder.decode(bytes).header == nil)
        }
        // A read that does not cover the offset is clean.
        #expect(host.call(.readSession(ReadSessionRequest(sessionID: entry.id, offset: 512, length: 16)))
            == .sessionData(SessionDataChunk(sessionID: entry.id, offset: 512, data: Array(clip.sessionBytes(id: entry.id)![512..<528]))))
    }

    @Test(arguments: [UInt8(0x81), UInt8(0x01)])
    func stalledEndpointStaysStalledUntilTheHaltIsCleared(_ endpoint: UInt8) {
        let clip = ClipSimulator(serial: "S")
        var host = HostDriver(clip)
        if endpoint == 0x81 { host.send(.getInfo) }
        clip.inject(.stall(endpoint: endpoint))
        for _ in 0..<3 {
            let outcome = endpoint == 0x81 ? clip.bulkIn(maxLength: 64) : clip.bulkOut(ClipRequest.getInfo.encoded(sequence: 9))
            #expect(outcome == .stall)
        }
        clip.clearHalt(endpoint: endpoint)
        if endpoint == 0x01 { host.send(.getInfo) }
        guard case .info? = host.receive() else { Issue.record("no INFO after clearing the halt"); return }
    }

    @Test func timedOutInTransferKeepsItsDataForTheNextOne() {
        let clip = ClipSimulator(serial: "S")
        var host = HostDriver(clip)
        host.send(.getClock)
        clip.inject(.timeOut(endpoint: 0x81))
        #expect(clip.bulkIn(maxLength: 64) == .neverComplete)
        guard case .clock? = host.receive() else { Issue.record("no CLOCK after the timeout"); return }
    }

    @Test func timedOutOutTransferLosesTheRequest() {
        let clip = ClipSimulator(serial: "S")
        var host = HostDriver(clip)
        clip.inject(.timeOut(endpoint: 0x01))
        host.send(.getClock)
        #expect(host.lastFailure == .neverComplete)
        #expect(clip.bulkIn(maxLength: 64) == .pending)
        host.send(.getClock)
        guard case .clock? = host.receive() else { Issue.record("no CLOCK on the retry"); return }
    }

    @Test func resetDropsTheConnectionStateButKeepsTheFlash() {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 2)])
        var host = HostDriver(clip)
        _ = host.call(.hello(HelloRequest()))
        _ = host.call(.streamStart(StreamStartRequest()))
        host.send(.getInfo)
        #expect(clip.pendingToHostByteCount > 0)
        clip.reset()
        #expect(clip.resetCount == 1)
        #expect(clip.pendingToHostByteCount == 0)
        #expect(clip.protocolVersion == nil && !clip.isStreaming)
        #expect(clip.bulkIn(maxLength: 64) == .pending)
        var fresh = HostDriver(clip)
        guard case let .info(info)? = fresh.call(.getInfo) else { Issue.record("no INFO after reset"); return }
        #expect(info.sessionCount == 1)
    }

    @Test func olderFirmwareAnswersHelloWithVersion1AndHasNoStreaming() {
        let clip = ClipSimulator(serial: "S")
        clip.inject(.olderProtocol(maximumVersion: 1))
        var host = HostDriver(clip)
        #expect(host.call(.hello(HelloRequest(minimumVersion: 1, maximumVersion: 2)))
            == .helloReply(HelloReply(version: 1, deviceMinimumVersion: 1, deviceMaximumVersion: 1)))
        #expect(host.call(.streamStart(StreamStartRequest())) == .error(ErrorResponse(requestType: 0x07, code: .unknownCommand)))
        guard case .info? = host.call(.getInfo) else { Issue.record("version 1 commands must still work"); return }
        clip.clearFaults()
        #expect(host.call(.hello(HelloRequest())) == .helloReply(HelloReply(version: 2, deviceMinimumVersion: 1, deviceMaximumVersion: 2)))
    }

    @Test func powerLossMidRecordingLeavesAnIncompleteSessionWithItsGoodBlocks() throws {
        let clip = ClipSimulator(serial: "S")
        let entry = clip.addSessionCutByPowerLoss(.easyRun(durationS: 2.05), programmedBytes: 100) // 205 samples: last block holds 5
        #expect(entry.flags.contains(.incomplete))
        #expect(entry.sampleCount == 200)
        var host = HostDriver(clip)
        guard case let .sessionList(page)? = host.call(.listSessions(ListSessionsRequest())) else { Issue.record("no list"); return }
        #expect(page.entries == [entry])
        let bytesRead = host.readSession(id: entry.id, pieceLength: 4096)
        let bytes = try #require(bytesRead)
        #expect(SessionChecksum.compute(bytes) == entry.checksum)
        #expect(bytes.suffix(412).allSatisfy { $0 == 0xFF })
        let decoded = SessionBlockDecoder.decode(bytes)
        #expect(!decoded.isComplete)
        #expect(decoded.badBlocks == [BadBlock(index: 6, reason: .partiallyWritten(programmedBytes: 100))])
        #expect(decoded.samples.count == 200)
    }

    @Test func rawSessionsAreStoredAsGiven() {
        let clip = ClipSimulator(serial: "S")
        let raw: [UInt8] = Array(repeating: 0xAB, count: 700)
        let entry = clip.addRawSession(raw)
        #expect(clip.sessionBytes(id: entry.id) == raw)
        #expect(entry.flags.contains(.incomplete) && entry.checksum == SessionChecksum.compute(raw) && entry.byteLength == 700)
    }

    @Test func anotherThreadCanInspectWhileTheHandlerThreadTalks() async {
        let clip = ClipSimulator(serial: "S", sessions: [.easyRun(durationS: 2)])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var host = HostDriver(clip)
                for _ in 0..<200 { _ = host.call(.listSessions(ListSessionsRequest())) }
            }
            group.addTask {
                for _ in 0..<200 { #expect(clip.sessions.count == 1 && clip.isConnected) }
            }
        }
        #expect(clip.receivedRequests.count == 200)
    }
}
