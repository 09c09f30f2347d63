import ClipProtocol

/// Request/response conversation with one clip over a `ClipHostTransport`.
///
/// Every request gets a new sequence number; answers to older requests (left over after a
/// timeout) and stream frames are skipped. A timeout re-sends the request (every request is
/// idempotent on the clip: reads re-read, an acknowledged erase answers `unknownSession`); a
/// stall is cleared and the request re-sent; garbage on the line is skipped by the frame decoder.
public final class ClipClient {
    /// The transport the bytes go through.
    public let transport: any ClipHostTransport
    /// How the clip is named in errors (its USB serial until INFO says otherwise).
    public private(set) var serial: String
    /// Milliseconds to wait for one transfer.
    public var timeoutMs: Int
    /// Times a request is sent before giving up.
    public var attempts: Int
    /// The protocol version agreed by `hello()`.
    public private(set) var version: UInt16?

    var sequence: UInt16 = 0
    var decoder = FrameDecoder()
    /// Read size: a whole frame, rounded up to 64-byte packets.
    static let readLength = (Frame.maxFrameLength + 63) / 64 * 64

    /// Creates a client; `serial` names the clip in errors.
    public init(transport: any ClipHostTransport, serial: String, timeoutMs: Int = 1000, attempts: Int = 4) {
        self.transport = transport
        self.serial = serial
        self.timeoutMs = timeoutMs
        self.attempts = attempts
    }

    /// Agrees on a protocol version (the highest both speak).
    @discardableResult
    public func hello() throws(ClipSyncError) -> HelloReply {
        let response = try request(.hello(HelloRequest()), named: "HELLO")
        switch response {
        case .helloReply(let reply):
            version = reply.version
            return reply
        case .error(let error) where error.code == .noCommonVersion:
            throw .incompatibleVersion(serial: serial, clipMinimum: UInt16(error.detail >> 16), clipMaximum: UInt16(error.detail & 0xFFFF))
        default:
            throw unexpected(response, to: "HELLO")
        }
    }

    /// Device information; also names the clip by its serial from now on.
    public func info() throws(ClipSyncError) -> DeviceInfo {
        let response = try request(.getInfo, named: "GET_INFO")
        guard case .info(let info) = response else { throw unexpected(response, to: "GET_INFO") }
        if !info.serial.isEmpty { serial = info.serial }
        return info
    }

    /// Every session on the clip, oldest first (all pages).
    public func listSessions() throws(ClipSyncError) -> [SessionEntry] {
        var entries: [SessionEntry] = []
        while true {
            let response = try request(.listSessions(ListSessionsRequest(startIndex: UInt16(entries.count))), named: "LIST_SESSIONS")
            guard case .sessionList(let page) = response else { throw unexpected(response, to: "LIST_SESSIONS") }
            entries += page.entries
            if page.entries.isEmpty || entries.count >= Int(page.totalCount) { return entries }
        }
    }

    /// Up to `length` bytes of session `id` at `offset`.
    public func readSession(id: UInt32, offset: UInt32, length: UInt32 = ReadSessionRequest.maxLength) throws(ClipSyncError) -> [UInt8] {
        let response = try request(.readSession(ReadSessionRequest(sessionID: id, offset: offset, length: length)), named: "READ_SESSION")
        guard case .sessionData(let chunk) = response, chunk.sessionID == id, chunk.offset == offset else {
            throw unexpected(response, to: "READ_SESSION \(id) @\(offset)")
        }
        return chunk.data
    }

    /// Asks the clip to erase session `id`, which the host has stored; true if it erased it now,
    /// false if it was already gone (an earlier acknowledgement whose answer was lost).
    @discardableResult
    public func acknowledgeAndErase(id: UInt32, checksum: UInt32) throws(ClipSyncError) -> Bool {
        let response = try request(.ackErase(AckEraseRequest(sessionID: id, checksum: checksum)), named: "ACK_ERASE")
        switch response {
        case .erased(let result) where result.sessionID == id: return true
        case .error(let error) where error.code == .unknownSession: return false
        case .error(let error): throw .clipError(serial: serial, error)
        default: throw unexpected(response, to: "ACK_ERASE")
        }
    }

    /// The clip's clock (ticks, tick rate, UTC origin).
    public func clock() throws(ClipSyncError) -> ClockState {
        let response = try request(.getClock, named: "GET_CLOCK")
        guard case .clock(let state) = response else { throw unexpected(response, to: "GET_CLOCK") }
        return state
    }

    /// Sets the clip's clock to `utcMicroseconds` (now) with a drift correction.
    @discardableResult
    public func setClock(utcMicroseconds: Int64, driftPartsPerBillion: Int32) throws(ClipSyncError) -> ClockState {
        let response = try request(.setClock(SetClockRequest(utcMicroseconds: utcMicroseconds, driftPartsPerBillion: driftPartsPerBillion)), named: "SET_CLOCK")
        guard case .clockSet(let state) = response else { throw unexpected(response, to: "SET_CLOCK") }
        return state
    }

    /// Starts live streaming at the clip's recording rate (protocol version 2).
    public func startStream(includeGyroscope: Bool = true) throws(ClipSyncError) -> StreamParameters {
        let response = try request(.streamStart(StreamStartRequest(includeGyroscope: includeGyroscope)), named: "STREAM_START")
        guard case .streamStarted(let parameters) = response else { throw unexpected(response, to: "STREAM_START") }
        return parameters
    }

    /// The stream frames that arrive in one transfer (empty on a timeout).
    public func readStream() throws(ClipSyncError) -> [StreamData] {
        let bytes: [UInt8]
        do {
            bytes = try transport.read(maxLength: Self.readLength, timeoutMs: timeoutMs)
        } catch {
            _ = try recover(from: error, during: "streaming")
            return []
        }
        var frames: [StreamData] = []
        for event in decoder.feed(bytes) {
            guard case .frame(let frame) = event, frame.type == FrameType.streamData.rawValue,
                  case .streamData(let data)? = try? ClipResponse(decoding: frame) else { continue }
            frames.append(data)
        }
        return frames
    }

    /// Stops live streaming; returns the clip's totals.
    @discardableResult
    public func stopStream() throws(ClipSyncError) -> StreamStopped {
        let response = try request(.streamStop, named: "STREAM_STOP")
        guard case .streamStopped(let totals) = response else { throw unexpected(response, to: "STREAM_STOP") }
        return totals
    }

    /// Sends `request` and returns the clip's answer to it (an error frame is returned, not thrown).
    public func request(_ request: ClipRequest, named name: String) throws(ClipSyncError) -> ClipResponse {
        for _ in 0..<attempts {
            sequence &+= 1
            let bytes = request.encoded(sequence: sequence)
            do {
                var written = 0
                while written < bytes.count {
                    written += try transport.write(Array(bytes[written...]), timeoutMs: timeoutMs)
                }
            } catch {
                if try recover(from: error, during: "sending \(name)") { continue }
            }
            if let response = try awaitResponse(sequence: sequence, name: name) { return response }
        }
        throw .noAnswer(serial: serial, request: name, attempts: attempts)
    }

    /// Reads until the answer with `expected` sequence arrives; nil on a timeout or stall (resend).
    func awaitResponse(sequence expected: UInt16, name: String) throws(ClipSyncError) -> ClipResponse? {
        while true {
            let bytes: [UInt8]
            do {
                bytes = try transport.read(maxLength: Self.readLength, timeoutMs: timeoutMs)
            } catch {
                _ = try recover(from: error, during: "waiting for the answer to \(name)")
                return nil
            }
            for event in decoder.feed(bytes) {
                guard case .frame(let frame) = event, frame.sequence == expected,
                      let type = FrameType(rawValue: frame.type), type != .streamData else { continue }
                do {
                    return try ClipResponse(decoding: frame)
                } catch {
                    return nil  // a frame that does not decode: ask again
                }
            }
        }
    }

    /// Returns true when the request should be re-sent; throws when the clip is gone.
    func recover(from error: any Error, during: String) throws(ClipSyncError) -> Bool {
        switch transport.classify(error) {
        case .disconnected:
            throw .disconnected(serial: serial, during: during)
        case .timedOut:
            return true
        case .stalled(let endpoint):
            do {
                try transport.clearHalt(endpoint: endpoint)
            } catch {
                if transport.classify(error) == .disconnected { throw .disconnected(serial: serial, during: during) }
                throw .transport(serial: serial, during: "clearing a stall", message: "\(error)")
            }
            decoder.reset()
            return true
        case .other:
            throw .transport(serial: serial, during: during, message: "\(error)")
        }
    }

    func unexpected(_ response: ClipResponse, to request: String) -> ClipSyncError {
        if case .error(let error) = response { return .clipError(serial: serial, error) }
        return .unexpectedResponse(serial: serial, request: request, got: "\(response.frameType)")
    }
}
