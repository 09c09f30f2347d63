import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SessionIngest

/// The clinic's API as gaitd uses it (`Docs/openapi.yaml`): pairing, and the chunked, resumable
/// upload of a session. Each call is one HTTP request with a deadline; an error status becomes
/// `ClinicPushError.refused` with the clinic's reason, a failed connection `.unreachable`.
public struct ClinicClient: Sendable {
    /// The clinic.
    public let endpoint: ClinicEndpoint
    /// The device token; nil before pairing.
    public let deviceToken: String?
    /// How long a request may take, seconds; completing an upload (the clinic analyses the session) gets 10 times this.
    public let requestTimeoutS: Int64

    public init(endpoint: ClinicEndpoint, deviceToken: String?, requestTimeoutS: Int64 = 30) {
        self.endpoint = endpoint
        self.deviceToken = deviceToken
        self.requestTimeoutS = requestTimeoutS
    }

    /// What the clinic answers to a pairing.
    public struct Paired: Decodable, Sendable {
        public let deviceID: Int64
        public let deviceToken: String
        public let runnerID: Int64
        enum CodingKeys: String, CodingKey { case deviceID = "device_id", deviceToken = "device_token", runnerID = "runner_id" }
    }

    /// Pairs this device with a code shown on the clinic's site.
    public func pair(code: String, deviceName: String) async throws(ClinicPushError) -> Paired {
        struct Body: Encodable { let code: String; let device_name: String }
        let (_, data) = try await send(.POST, "api/v1/devices", json: Body(code: code, device_name: deviceName))
        return try decode(Paired.self, data, "api/v1/devices")
    }

    /// The state of an upload: declared, resumed, or already stored.
    public struct UploadState: Decodable, Sendable {
        public let uploadID: String?
        public let size: Int?
        public let receivedBytes: Int?
        public let chunkBytes: Int?
        public let sessionID: Int64?
        public let alreadyStored: Bool
        enum CodingKeys: String, CodingKey {
            case uploadID = "upload_id", size, receivedBytes = "received_bytes", chunkBytes = "chunk_bytes"
            case sessionID = "session_id", alreadyStored = "already_stored"
        }
    }

    /// Declares an upload of `size` bytes with this SHA-256 (or finds the one declared before).
    public func declareUpload(sha256: String, size: Int, manifest: PushManifest) async throws(ClinicPushError) -> UploadState {
        struct Body: Encodable { let sha256: String; let size: Int; let manifest: PushManifest }
        let (_, data) = try await send(.POST, "api/v1/uploads", json: Body(sha256: sha256, size: size, manifest: manifest))
        return try decode(UploadState.self, data, "api/v1/uploads")
    }

    /// How many bytes of the upload the clinic has.
    public func uploadState(id: String) async throws(ClinicPushError) -> UploadState {
        let (_, data) = try await send(.GET, "api/v1/uploads/\(id)")
        return try decode(UploadState.self, data, "api/v1/uploads/\(id)")
    }

    /// Sends one chunk at `offset`; returns the bytes the clinic has after it.
    public func sendChunk(id: String, offset: Int, bytes: [UInt8], sha256: String) async throws(ClinicPushError) -> Int {
        let path = "api/v1/uploads/\(id)?offset=\(offset)"
        let (_, data) = try await send(.PUT, path, body: bytes, contentType: "application/octet-stream", extraHeaders: [("X-Chunk-SHA256", sha256)])
        let state = try decode(UploadState.self, data, path)
        guard let received = state.receivedBytes else { throw .unexpectedAnswer(url: endpoint.url(path), reason: "no received_bytes") }
        return received
    }

    /// What completing an upload answers.
    public struct Completed: Decodable, Sendable {
        public let sessionID: Int64
        public let inserted: Bool
        enum CodingKeys: String, CodingKey { case sessionID = "session_id", inserted }
    }

    /// Asks the clinic to check and store the whole upload.
    public func complete(id: String) async throws(ClinicPushError) -> Completed {
        let path = "api/v1/uploads/\(id)/complete"
        let (_, data) = try await send(.POST, path, timeoutS: requestTimeoutS * 10)
        return try decode(Completed.self, data, path)
    }

    // MARK: HTTP

    /// One client for the process (never shut down, like `HTTPClient.shared`), which fails a
    /// request at once when the clinic cannot be connected to, instead of retrying inside the
    /// request until its deadline: the pusher's own backoff decides when to try again, and the
    /// runner sees why meanwhile (`gait clinic status`).
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(300))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    func send(_ method: HTTPMethod, _ path: String, json: some Encodable) async throws(ClinicPushError) -> (Int, Data) {
        let body: Data
        do { body = try JSONEncoder().encode(json) } catch { throw .unexpectedAnswer(url: endpoint.url(path), reason: "cannot encode: \(error)") }
        return try await send(method, path, body: Array(body), contentType: "application/json")
    }

    /// One request; a 2xx answer's status and body, else the error.
    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = nil,
              extraHeaders: [(String, String)] = [], timeoutS: Int64? = nil) async throws(ClinicPushError) -> (Int, Data) {
        let url = endpoint.url(path)
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let deviceToken { request.headers.add(name: "Authorization", value: "Bearer \(deviceToken)") }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let status: Int
        let data: Data
        do {
            let response = try await Self.http.execute(request, timeout: .seconds(timeoutS ?? requestTimeoutS))
            status = Int(response.status.code)
            data = Data((try await response.body.collect(upTo: 4 << 20)).readableBytesView)
        } catch is CancellationError {
            throw .unreachable(url: url, reason: "cancelled (shutting down)")
        } catch {
            throw .unreachable(url: url, reason: "\(error)")
        }
        guard (200..<300).contains(status) else {
            struct ErrorBody: Decodable { struct Detail: Decodable { let message: String }; let error: Detail }
            let message = (try? JSONDecoder().decode(ErrorBody.self, from: data))?.error.message
                ?? String(decoding: data.prefix(200), as: UTF8.self)
            throw .refused(status: status, message: message, url: url)
        }
        return (status, data)
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ path: String) throws(ClinicPushError) -> T {
        do { return try JSONDecoder().decode(type, from: data) } catch {
            throw .unexpectedAnswer(url: endpoint.url(path), reason: "\(error)")
        }
    }
}
