import ClipProtocol
import GaitSynth

extension ClipSimulator {
    /// Executes one request frame and queues exactly one response (or ERROR) for bulk IN.
    func handleLocked(_ frame: Frame) {
        let sequence = frame.sequence
        func fail(_ code: ClipErrorCode, _ detail: UInt32 = 0) {
            sendLocked(.error(ErrorResponse(requestType: frame.type, code: code, detail: detail)), sequence: sequence)
        }
        let request: ClipRequest
        do {
            request = try ClipRequest(decoding: frame)
        } catch {
            switch error {
            case .truncated: fail(.badLength, UInt32(frame.payload.count))
            case .invalidField: fail(.badValue)
            default: fail(.unknownCommand)
            }
            return
        }
        requestLog.append(request)
        let version = negotiatedVersion ?? ClipProtocolVersion.minimum
        switch request {
        case let .hello(hello):
            let deviceMinimum = configuration.protocolVersions.lowerBound
            guard let chosen = ClipProtocolVersion.negotiate(hostMinimum: hello.minimumVersion, hostMaximum: hello.maximumVersion,
                                                             deviceMinimum: deviceMinimum, deviceMaximum: maximumVersion) else {
                return fail(.noCommonVersion, UInt32(deviceMinimum) << 16 | UInt32(maximumVersion))
            }
            negotiatedVersion = chosen
            sendLocked(.helloReply(HelloReply(version: chosen, deviceMinimumVersion: deviceMinimum, deviceMaximumVersion: maximumVersion)), sequence: sequence)

        case .getInfo:
            sendLocked(.info(infoLocked()), sequence: sequence)

        case .getClock:
            sendLocked(.clock(clockStateLocked()), sequence: sequence)

        case let .setClock(set):
            let ticks = ticksLocked()
            driftPartsPerBillion = set.driftPartsPerBillion
            // The same conversion the host applies (ClockState.utcMicroseconds), from a zero origin.
            let elapsedUs = ClockState(deviceTicks: ticks, tickRateHz: 1_000_000, isUTCSet: true, utcAtTickZeroMicroseconds: 0,
                                       driftPartsPerBillion: set.driftPartsPerBillion).utcMicroseconds(atTicks: ticks) ?? 0
            utcAtTickZero = set.utcMicroseconds - elapsedUs
            sendLocked(.clockSet(clockStateLocked()), sequence: sequence)

        case let .listSessions(list):
            let start = min(Int(list.startIndex), flash.count)
            let count = min(Int(min(list.maxCount, SessionListPage.maxEntriesPerPage)), flash.count - start)
            let page = SessionListPage(totalCount: UInt16(flash.count), startIndex: list.startIndex,
                                       entries: flash[start..<(start + count)].map(\.entry))
            sendLocked(.sessionList(page), sequence: sequence)

        case let .readSession(read):
            guard let session = flash.first(where: { $0.entry.id == read.sessionID }) else {
                return fail(.unknownSession, read.sessionID)
            }
            let length = session.bytes.count
            guard Int(read.offset) <= length else { return fail(.offsetOutOfRange, UInt32(length)) }
            let end = min(length, Int(read.offset) + Int(min(read.length, ReadSessionRequest.maxLength)))
            var data = Array(session.bytes[Int(read.offset)..<end])
            applyReadCorruptionLocked(&data, sessionID: read.sessionID, offset: Int(read.offset))
            sendLocked(.sessionData(SessionDataChunk(sessionID: read.sessionID, offset: read.offset, data: data)), sequence: sequence)

        case let .streamStart(start):
            guard version >= ClipProtocolVersion.streaming else { return fail(.unknownCommand) }
            guard start.sampleRateMilliHz == 0 || start.sampleRateMilliHz == configuration.sampleRateMilliHz else { return fail(.badValue, 0) }
            let live = LiveStream(configuration: configuration, includeGyroscope: start.includeGyroscope && configuration.hasGyroscope,
                                  startTicks: ticksLocked())
            stream = live
            sendLocked(.streamStarted(live.parameters), sequence: sequence)

        case .streamStop:
            guard version >= ClipProtocolVersion.streaming else { return fail(.unknownCommand) }
            let totals = StreamStopped(frameCount: UInt32(stream?.frameCount ?? 0), sampleCount: UInt32(stream?.sampleCount ?? 0))
            stream = nil
            sendLocked(.streamStopped(totals), sequence: sequence)

        case let .ackErase(ack):
            guard let index = flash.firstIndex(where: { $0.entry.id == ack.sessionID }) else { return fail(.unknownSession, ack.sessionID) }
            let entry = flash[index].entry
            guard !entry.flags.contains(.recording) else { return fail(.sessionRecording, ack.sessionID) }
            guard entry.checksum == ack.checksum else { return fail(.checksumMismatch, entry.checksum) }
            flash.remove(at: index)
            sendLocked(.erased(EraseResult(sessionID: ack.sessionID, freedBytes: entry.byteLength)), sequence: sequence)
        }
    }

    func infoLocked() -> DeviceInfo {
        let used = flash.reduce(0) { $0 + $1.bytes.count }
        var flags: DeviceFlags = []
        if configuration.hasGyroscope { flags.insert(.gyroscopeFitted) }
        return DeviceInfo(serial: configuration.serial, firmwareMajor: configuration.firmwareMajor, firmwareMinor: configuration.firmwareMinor,
                          firmwarePatch: configuration.firmwarePatch, hardwareRevision: configuration.hardwareRevision, accelRangeG: 16,
                          gyroRangeDPS: configuration.hasGyroscope ? 2000 : 0, accelGPerLsb: configuration.accelGPerLsb,
                          gyroDPSPerLsb: configuration.gyroDPSPerLsb, sampleRateMilliHz: configuration.sampleRateMilliHz,
                          batteryPercent: batteryPercent, isCharging: configuration.isCharging, batteryMillivolts: configuration.batteryMillivolts,
                          flashTotalBytes: configuration.flashTotalBytes, flashUsedBytes: UInt32(min(used, Int(UInt32.max))),
                          sessionCount: UInt16(flash.count), flags: flags)
    }

    func applyReadCorruptionLocked(_ data: inout [UInt8], sessionID: UInt32, offset: Int) {
        var fired: [Fault] = []
        for fault in faults {
            guard case let .corruptSessionRead(id, at, persistent) = fault, id == sessionID else { continue }
            let position = Int(at) - offset
            guard position >= 0, position < data.count else { continue }
            data[position] ^= 0xFF
            if !persistent { fired.append(fault) }
        }
        faults.removeAll { fired.contains($0) }
    }

    /// While streaming and bulk IN has nothing queued: queue the next STREAM_DATA frame if samples are
    /// due (always, when the clock is manual: samples are generated on demand and the clock follows).
    func produceStreamFrameLocked() {
        guard var live = stream else { return }
        let due: Int
        if configuration.followsWallClock {
            let elapsedS = Double(ticksLocked() - live.startTicks) / 1e6
            due = min(configuration.streamSamplesPerFrame, Int(elapsedS * configuration.sampleRateHz) - live.sampleCount)
        } else {
            due = configuration.streamSamplesPerFrame
        }
        guard due > 0 else { return }
        let (data, sequence) = live.nextFrame(sampleCount: due)
        if !configuration.followsWallClock {
            manualTicks = max(manualTicks, live.ticks(ofSample: live.sampleCount))
        }
        stream = live
        sendLocked(.streamData(data), sequence: sequence)
    }
}

/// A live stream: samples generated on demand from the configured synthetic activity.
struct LiveStream {
    let parameters: StreamParameters
    let startTicks: UInt64
    private let header: SessionHeader
    private var activity: SynthConfig
    private var generator: SynthGenerator
    private var chunk = SynthChunk()
    private(set) var frameCount = 0
    private(set) var sampleCount = 0

    init(configuration: ClipSimulator.Configuration, includeGyroscope: Bool, startTicks: UInt64) {
        self.startTicks = startTicks
        var activity = configuration.liveActivity
        activity.sampleRateHz = configuration.sampleRateHz
        activity.includeGyro = includeGyroscope
        self.activity = activity
        generator = SynthGenerator(config: activity)
        header = SessionHeader(sessionID: 0, hasGyroscope: includeGyroscope, firmwareBCD: configuration.firmwareBCD,
                               sampleRateMilliHz: configuration.sampleRateMilliHz, startTicks: startTicks,
                               startUTCMicroseconds: SessionHeader.utcNotSet, accelGPerLsb: configuration.accelGPerLsb,
                               gyroDPSPerLsb: configuration.gyroDPSPerLsb, serial: configuration.serial)
        parameters = StreamParameters(sampleRateMilliHz: configuration.sampleRateMilliHz, includeGyroscope: includeGyroscope,
                                      accelGPerLsb: configuration.accelGPerLsb, gyroDPSPerLsb: includeGyroscope ? configuration.gyroDPSPerLsb : 0,
                                      startTicks: startTicks)
    }

    /// Device ticks of sample `index` since the start.
    func ticks(ofSample index: Int) -> UInt64 {
        startTicks + UInt64((Double(index) * 1e9 / Double(parameters.sampleRateMilliHz)).rounded())
    }

    /// The next frame of `sampleCount` samples and its stream sequence number.
    mutating func nextFrame(sampleCount count: Int) -> (StreamData, UInt16) {
        var samples: [RawSample] = []
        samples.reserveCapacity(count)
        while samples.count < count {
            if !generator.next(into: &chunk, maxSamples: count - samples.count) {
                generator = SynthGenerator(config: activity) // the activity loops
                continue
            }
            for n in 0..<chunk.count { samples.append(SessionRecorder.rawSample(chunk, n, header: header)) }
        }
        let data = StreamData(firstSampleTicks: ticks(ofSample: sampleCount), firstSampleIndex: UInt32(truncatingIfNeeded: sampleCount),
                              includeGyroscope: parameters.includeGyroscope, samples: samples)
        let sequence = UInt16(truncatingIfNeeded: frameCount)
        frameCount += 1
        sampleCount += count
        return (data, sequence)
    }
}
