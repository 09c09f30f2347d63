import Foundation
import Hummingbird
import NIOPosix
import SessionIngest
import SessionStore

/// The clinic's side of the clinic push: pairing codes, paired devices and the chunked,
/// resumable uploads with which a runner's gaitd pushes its sessions (`Docs/openapi.yaml`).
///
/// A runner (or a physiotherapist or administrator who may see them) asks for a pairing code;
/// `gait clinic pair URL CODE` turns it into a device token (`POST /api/v1/devices`), which
/// authenticates the device's uploads (`Authorization: Bearer bsd_…`). An upload is declared with
/// its SHA-256, size and `PushManifest`, sent in chunks of at most `maxPushChunkBytes` (each with
/// its own SHA-256), and completed: the server checks the whole and stores it through
/// `SessionIngest`, idempotently by the manifest's content hash. Nothing partial is ever stored.
struct ClinicController: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration
    let uploads: PushUploadFolder
    /// Pairing attempts are rate-limited like logins, per code and per client address.
    let throttle: LoginThrottle
    var access: Access { Access(store: store) }

    /// The characters of a pairing code: no 0/O, 1/I/L, so it can be read aloud and typed.
    static let codeAlphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    /// Letters of a pairing code (31^10 ≈ 8·10^14 codes).
    static let codeLength = 10
    /// Device tokens start with this, so they are never taken for a login token.
    static let deviceTokenPrefix = "bsd_"

    func add(to router: Router<ServerRequestContext>) {
        let api = router.group("api/v1")
        api.post("pairing-codes") { request, context in try await createPairingCode(request, context) }
        api.post("devices") { request, context in try await pairDevice(request, context) }
        api.get("devices") { request, context in try await listDevices(request, context) }
        api.delete("devices/:id") { request, context in
            try await revokeDevice(request, context.parameters.require("id", as: Int64.self), context)
        }
        api.post("uploads") { request, context in try await createUpload(request, context) }
        api.get("uploads/:id") { request, context in try await uploadStatus(request, context.parameters.require("id"), context) }
        api.put("uploads/:id") { request, context in try await receiveChunk(request, context.parameters.require("id"), context) }
        api.post("uploads/:id/complete") { request, context in try await complete(request, context.parameters.require("id"), context) }
    }

    // MARK: Pairing

    struct PairingCodeRequest: Decodable {
        var runnerID: Int64?
        enum CodingKeys: String, CodingKey { case runnerID = "runner_id" }
    }

    struct PairingCode: Encodable {
        let code: String
        let runnerID: Int64
        let expiresAt: Date
        enum CodingKeys: String, CodingKey { case code; case runnerID = "runner_id"; case expiresAt = "expires_at" }
    }

    /// A new pairing code for a runner: a runner's own, or (`runner_id`) one the caller may see.
    func createPairingCode(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        let account = try access.account(context)
        let body = try await Access.json(PairingCodeRequest.self, request, context,
                                         usage: "Send {} as JSON (a runner), or {\"runner_id\": N} for a runner you may see.")
        guard let runnerID = body.runnerID ?? account.runnerId else {
            throw HTTPError(.badRequest, message: "Name the runner whose device is paired: {\"runner_id\": N}.")
        }
        _ = try await access.runner(runnerID, context)
        let (code, record) = try await newPairingCode(runnerID: runnerID, account: account)
        return try JSONResponses.json(PairingCode(code: Self.display(code), runnerID: runnerID, expiresAt: record.expiresAt), status: .created)
    }

    /// Stores a new pairing code for a runner the caller may see (checked by the caller); the code and its record.
    func newPairingCode(runnerID: Int64, account: AccountRecord) async throws -> (String, PairingCodeRecord) {
        let code = Self.newCode()
        let now = configuration.now()
        let record = PairingCodeRecord(codeHash: Self.codeHash(code), runnerId: runnerID, createdByAccountId: account.id, createdAt: now,
                                       expiresAt: now.addingTimeInterval(configuration.pairingCodeLifetimeS))
        try await store.run { try $0.addPairingCode(record) }
        return (code, record)
    }

    struct PairRequest: Decodable {
        var code: String
        var deviceName: String?
        enum CodingKeys: String, CodingKey { case code; case deviceName = "device_name" }
    }

    struct Paired: Encodable {
        let deviceID: Int64
        let deviceToken: String
        let runnerID: Int64
        let expiresAt: Date
        enum CodingKeys: String, CodingKey {
            case deviceID = "device_id"; case deviceToken = "device_token"; case runnerID = "runner_id"; case expiresAt = "expires_at"
        }
    }

    /// Pairs a device with a code (no login: the code is the proof): 201 with its device token.
    func pairDevice(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let body = try await Access.json(PairRequest.self, request, context,
                                         usage: "Send {\"code\": \"the pairing code\", \"device_name\": \"...\"} as JSON.")
        let code = Self.normalised(body.code)
        let name = (body.deviceName ?? "gaitd").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count), !name.contains(where: { $0.isNewline }) else {
            throw HTTPError(.badRequest, message: "device_name: 1–100 characters on one line.")
        }
        let now = configuration.now()
        do {
            try await throttle.begin(account: "pairing:" + code, address: context.clientAddress, now: now)
        } catch let refusal as LoginThrottle.Refusal {
            var response = try JSONResponses.error(status: .tooManyRequests, message:
                "Too many wrong pairing codes from this address; try again in \(refusal.retryAfterS) seconds.")
            response.headers.append(contentsOf: PasswordCheck.retryAfterHeaders(refusal))
            return response
        }
        let token = Self.deviceTokenPrefix + LoginTokens.random()
        let device = DeviceRecord(runnerId: 0, name: name, tokenHash: LoginTokens.hash(token), createdAt: now,
                                  expiresAt: now.addingTimeInterval(configuration.deviceTokenLifetimeS))
        let outcome = try await store.run { try $0.redeemPairingCode(codeHash: Self.codeHash(code), device: device, now: now) }
        switch outcome {
        case .paired(let paired):
            await throttle.succeeded(account: "pairing:" + code, address: context.clientAddress)
            return try JSONResponses.json(Paired(deviceID: paired.id!, deviceToken: token, runnerID: paired.runnerId, expiresAt: paired.expiresAt),
                                          status: .created)
        case .unknownCode:
            throw HTTPError(.forbidden, message: "This pairing code is not known here; check it, or ask for a new one on the clinic's site.")
        case .alreadyUsed:
            throw HTTPError(.forbidden, message: "This pairing code was used already (each pairs one device); ask for a new one on the clinic's site.")
        case .expired:
            throw HTTPError(.forbidden, message: "This pairing code has expired (codes last \(Int(configuration.pairingCodeLifetimeS / 60)) minutes); ask for a new one on the clinic's site.")
        }
    }

    struct DeviceItem: Encodable {
        let id: Int64
        let name: String
        let runnerID: Int64
        let createdAt: Date
        let expiresAt: Date
        let revokedAt: Date?
        enum CodingKeys: String, CodingKey {
            case id, name; case runnerID = "runner_id"; case createdAt = "created_at"; case expiresAt = "expires_at"; case revokedAt = "revoked_at"
        }
        init(_ device: DeviceRecord) {
            id = device.id ?? 0; name = device.name; runnerID = device.runnerId; createdAt = device.createdAt
            expiresAt = device.expiresAt; revokedAt = device.revokedAt
        }
    }

    /// The runner's paired devices (`?runner_id=N` for a runner the caller may see).
    func listDevices(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let runnerID = try await runnerOfRequest(request, context)
        let devices = try await store.run { try $0.devices(runnerID: runnerID) }
        return try JSONResponses.json(devices.map(DeviceItem.init))
    }

    /// Revokes a device: its token is refused from now on (401).
    func revokeDevice(_ request: Request, _ id: Int64, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        let runnerID = try await runnerOfRequest(request, context)
        let now = configuration.now()
        guard try await store.run({ try $0.revokeDevice(id: id, runnerID: runnerID, at: now) }) else {
            throw HTTPError(.notFound, message: "No device \(id) in use for this runner.")
        }
        return Response(status: .noContent)
    }

    /// The runner a device request is about: `runner_id` in the query, else the caller's own.
    func runnerOfRequest(_ request: Request, _ context: ServerRequestContext) async throws -> Int64 {
        let account = try access.account(context)
        let given = request.uri.queryParameters["runner_id"].map { Int64(String($0)) }
        if let given, given == nil { throw HTTPError(.badRequest, message: "runner_id must be a number.") }
        guard let runnerID = given.flatMap({ $0 }) ?? account.runnerId else {
            throw HTTPError(.badRequest, message: "Name the runner: ?runner_id=N.")
        }
        _ = try await access.runner(runnerID, context)
        return runnerID
    }

    /// A device authenticated by its token, or 401 saying why.
    func device(_ request: Request) async throws -> DeviceRecord {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw HTTPError(.unauthorized, message: "Send the device token as Authorization: Bearer (gait clinic pair gives it).")
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard token.hasPrefix(Self.deviceTokenPrefix), token.count == Self.deviceTokenPrefix.count + 64,
              let device = try await store.run({ try $0.device(tokenHash: LoginTokens.hash(token)) }) else {
            throw HTTPError(.unauthorized, message: "This device token is not known here; pair the device again (gait clinic pair).")
        }
        if device.revokedAt != nil {
            throw HTTPError(.unauthorized, message: "This device's pairing was revoked on the clinic's site; pair it again (gait clinic pair).")
        }
        if device.expiresAt <= configuration.now() {
            throw HTTPError(.unauthorized, message: "This device's pairing has expired; pair it again (gait clinic pair).")
        }
        return device
    }

    // MARK: Uploads

    struct UploadRequest: Decodable {
        var sha256: String
        var size: Int
        var manifest: PushManifest
    }

    struct UploadState: Encodable {
        let uploadID: String?
        let size: Int?
        let receivedBytes: Int?
        let chunkBytes: Int?
        let sessionID: Int64?
        let alreadyStored: Bool
        enum CodingKeys: String, CodingKey {
            case uploadID = "upload_id", size, receivedBytes = "received_bytes", chunkBytes = "chunk_bytes"
            case sessionID = "session_id", alreadyStored = "already_stored"
        }
    }

    /// Declares an upload: 201 with its id and the bytes the server has (0, or more when resumed),
    /// or 200 with the session when the store has it already (its pain entries attached).
    func createUpload(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let device = try await device(request)
        let body = try await Access.json(UploadRequest.self, request, context, usage: "Send {\"sha256\": ..., \"size\": N, \"manifest\": {...}} as JSON.",
                                         limit: Self.maxManifestBytes)
        guard PushManifest.isSHA256(body.sha256) else { throw HTTPError(.badRequest, message: "sha256 must be 64 lowercase hex digits.") }
        if let problem = body.manifest.problem { throw HTTPError(.badRequest, message: "manifest: \(problem).") }
        guard body.size > 0 else { throw HTTPError(.badRequest, message: "size must be at least 1 byte.") }
        guard body.size <= configuration.maxSessionUploadBytes else {
            throw HTTPError(.contentTooLarge, message: "The session is \(body.size) bytes; this server takes sessions up to \(configuration.maxSessionUploadBytes) bytes.")
        }
        let manifest = body.manifest
        if let stored = try await storedSession(manifest: manifest, device: device) {
            try await store.run { store in _ = try SessionIngest(store: store).attachPushedPain(sessionID: stored, entries: manifest.pain) }
            return try JSONResponses.json(UploadState(uploadID: nil, size: nil, receivedBytes: nil, chunkBytes: nil, sessionID: stored, alreadyStored: true))
        }
        let (upload, received): (PushUploadFolder.Upload, Int)
        do {
            (upload, received) = try await uploads.open(deviceID: device.id!, runnerID: device.runnerId, sha256: body.sha256, size: body.size,
                                                        manifest: manifest, now: configuration.now())
        } catch {
            context.logger.error("cannot create a push upload: \(error)")
            throw HTTPError(.serviceUnavailable, message: "The server cannot take uploads at the moment; try again later.")
        }
        var response = try JSONResponses.json(UploadState(uploadID: upload.id, size: upload.size, receivedBytes: received,
                                                          chunkBytes: configuration.maxPushChunkBytes, sessionID: nil, alreadyStored: false),
                                              status: .created)
        response.headers[.location] = "/api/v1/uploads/\(upload.id)"
        return response
    }

    /// The largest upload description (manifest with its pain log), bytes.
    static let maxManifestBytes = 2 << 20

    /// The stored session with the manifest's identity, or nil; 409 when it is another runner's.
    func storedSession(manifest: PushManifest, device: DeviceRecord) async throws -> SessionID? {
        let found = try await store.run { store -> SessionRecord? in
            try store.existingSession(contentHash: manifest.contentHash, clip: nil).flatMap { try store.session(id: $0) }
        }
        guard let found else { return nil }
        guard found.runnerId == device.runnerId else {
            throw HTTPError(.conflict, message: "This session is stored here for another runner; the clinic can reassign it.")
        }
        return found.id
    }

    /// The upload of this device with this id, or 404.
    func upload(_ id: String, of device: DeviceRecord) async throws -> PushUploadFolder.Upload {
        guard let upload = await uploads.upload(id), upload.deviceID == device.id else {
            throw HTTPError(.notFound, message: "No upload \(id) of this device (it was completed, or never declared): declare it again.")
        }
        return upload
    }

    /// How many bytes of the upload the server has: where to resume.
    func uploadStatus(_ request: Request, _ id: String, _ context: ServerRequestContext) async throws -> Response {
        let device = try await device(request)
        let upload = try await upload(id, of: device)
        return try JSONResponses.json(UploadState(uploadID: id, size: upload.size, receivedBytes: uploads.received(id),
                                                  chunkBytes: configuration.maxPushChunkBytes, sessionID: nil, alreadyStored: false))
    }

    /// One chunk at `?offset=N` (the bytes the server has), its SHA-256 in `X-Chunk-SHA256`:
    /// appended only when the hash matches (400 otherwise, nothing appended).
    func receiveChunk(_ request: Request, _ id: String, _ context: ServerRequestContext) async throws -> Response {
        let device = try await device(request)
        let upload = try await upload(id, of: device)
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/octet-stream" else {
            throw HTTPError(.unsupportedMediaType, message: "Send a chunk as application/octet-stream.")
        }
        guard let offsetText = request.uri.queryParameters["offset"], let offset = Int(String(offsetText)), offset >= 0 else {
            throw HTTPError(.badRequest, message: "Give the chunk's place in the file as ?offset=N (bytes).")
        }
        guard let expected = request.headers[.init("X-Chunk-SHA256")!]?.lowercased(), PushManifest.isSHA256(expected) else {
            throw HTTPError(.badRequest, message: "Give the chunk's SHA-256 (64 hex digits) in X-Chunk-SHA256.")
        }
        let limit = configuration.maxPushChunkBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPError(.contentTooLarge, message: "A chunk may be up to \(limit) bytes; this one is \(length).")
        }
        try await reserve(id)
        do {
            let received = try await receive(request, id: id, upload: upload, offset: offset, expected: expected, limit: limit)
            await uploads.release(id)
            return try JSONResponses.json(UploadState(uploadID: id, size: upload.size, receivedBytes: received, chunkBytes: limit,
                                                      sessionID: nil, alreadyStored: false))
        } catch {
            await uploads.release(id)
            throw error
        }
    }

    private func receive(_ request: Request, id: String, upload: PushUploadFolder.Upload, offset: Int, expected: String, limit: Int) async throws -> Int {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "A chunk may be up to \(limit) bytes.")
        }
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw HTTPError(.badRequest, message: "The chunk is empty.") }
        let actual = try await NIOThreadPool.singleton.runIfActive { ContentHash.of(bytes) }
        guard actual == expected else {
            throw HTTPError(.badRequest, message: "The chunk's bytes do not match X-Chunk-SHA256 (damaged on the way?); nothing was appended: send it again.")
        }
        do {
            let uploads = uploads
            return try await NIOThreadPool.singleton.runIfActive { try uploads.append(id, size: upload.size, offset: offset, bytes: bytes) }
        } catch PushUploadFolder.Refusal.offsetMismatch(let received) {
            throw HTTPError(.conflict, message: "The server has \(received) bytes of this upload, not \(offset): send from offset \(received).")
        } catch PushUploadFolder.Refusal.beyondSize(let size) {
            throw HTTPError(.contentTooLarge, message: "The chunk goes beyond the declared size of \(size) bytes.")
        }
    }

    struct Completed: Encodable {
        let sessionID: Int64
        let inserted: Bool
        let location: String
        enum CodingKeys: String, CodingKey { case sessionID = "session_id", inserted, location }
    }

    /// Checks the whole upload against its SHA-256 and stores it through `SessionIngest`: 201 with
    /// the new session, 200 when the store had it; an upload that does not match or cannot be
    /// read is discarded (400 / 422) with the reason.
    func complete(_ request: Request, _ id: String, _ context: ServerRequestContext) async throws -> Response {
        let device = try await device(request)
        let upload = try await upload(id, of: device)
        try await reserve(id)
        do {
            let response = try await completeReserved(id, upload: upload, device: device)
            await uploads.release(id)
            return response
        } catch {
            await uploads.release(id)
            throw error
        }
    }

    /// Reserves the upload for this request, or 503 (another request is writing to it: a retry
    /// that overtook a request the client gave up on).
    func reserve(_ id: String) async throws {
        do {
            try await uploads.reserve(id)
        } catch {
            throw HTTPError(.serviceUnavailable, message: "Another request is writing to this upload; try again in a moment (ask for its offset first).")
        }
    }

    private func completeReserved(_ id: String, upload: PushUploadFolder.Upload, device: DeviceRecord) async throws -> Response {
        let received = uploads.received(id)
        guard received == upload.size else {
            throw HTTPError(.badRequest, message: "The server has \(received) of the upload's \(upload.size) bytes; send the rest first.")
        }
        let path = uploads.dataPath(id)
        let hash = try await NIOThreadPool.singleton.runIfActive { try ContentHash.ofFile(path: path) }
        guard hash == upload.sha256 else {
            await uploads.remove(id)
            throw HTTPError(.badRequest, message: "The upload's bytes do not match its SHA-256; it was discarded: declare it again.")
        }
        guard let runner = try await store.run({ try $0.runner(id: upload.runnerID) }) else {
            await uploads.remove(id)
            throw HTTPError(.unauthorized, message: "The runner this device was paired for is no longer here.")
        }
        if let stored = try await storedSession(manifest: upload.manifest, device: device) {
            try await store.run { store in _ = try SessionIngest(store: store).attachPushedPain(sessionID: stored, entries: upload.manifest.pain) }
            await uploads.remove(id)
            return try completed(stored, inserted: false)
        }
        let result: IngestResult
        do {
            result = try await store.run { store in
                try SessionIngest(store: store, spoolDirectory: configuration.uploadDirectory)
                    .ingestPushed(path: path, manifest: upload.manifest, runner: runner.name)
            }
        } catch let error as SessionIngestError {
            guard error.storeError == nil else { throw error }
            await uploads.remove(id)
            throw HTTPError(.unprocessableContent, message: "The session cannot be read: " + error.description.replacingOccurrences(of: path, with: "upload"))
        }
        await uploads.remove(id)
        return try completed(result.id, inserted: result.inserted)
    }

    func completed(_ id: SessionID, inserted: Bool) throws -> Response {
        let location = "/sessions/\(id)"
        var response = try JSONResponses.json(Completed(sessionID: id, inserted: inserted, location: location), status: inserted ? .created : .ok)
        response.headers[.location] = location
        return response
    }

    // MARK: Codes

    /// A new random code from `codeAlphabet`.
    static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<codeLength).map { _ in codeAlphabet.randomElement(using: &generator)! })
    }

    /// The code as shown: two groups of five ("ABCDE-FGH23").
    static func display(_ code: String) -> String {
        String(code.prefix(5)) + "-" + String(code.dropFirst(5))
    }

    /// The code as typed, upper case without spaces or dashes.
    static func normalised(_ typed: String) -> String {
        String(typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }.prefix(64))
    }

    /// The hash a code is stored under.
    static func codeHash(_ normalisedCode: String) -> String {
        ContentHash.of(Array(("pairing:" + normalisedCode).utf8))
    }
}
