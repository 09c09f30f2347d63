import Foundation
import GaitInference
import Hummingbird
import SessionIngest
import SessionStore

/// Session files uploaded for a runner (a phone app's CSV, a `.bsession`): the runner's page
/// sends the file with its progress shown, an API client the same request with a bearer token.
/// The body is streamed to a temporary file (never held in memory), then takes the one way in,
/// `SessionIngest`, like every other session: nothing of a file that cannot be read is stored.
///
/// `POST /api/v1/runners/{id}/sessions`, the file as the body, its name in `X-File-Name`
/// (percent-encoded). 201 with the stored session, 200 when the same file was stored before,
/// 400 for an empty or unreadable file (with file, line and field), 413 beyond the limit.
struct UploadController: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration
    var access: Access { Access(store: store) }

    /// The upload script; the upload itself is an API route (`APIController`).
    func add(to router: Router<ServerRequestContext>) {
        router.get("/static/upload.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache",
                                            .init("X-Content-Type-Options")!: "nosniff"],
                     body: .init(byteBuffer: ByteBuffer(string: Self.script)))
        }
    }

    struct Uploaded: Encodable {
        let id: Int64
        let inserted: Bool
        let runnerID: Int64?
        let flags: [String]
        let warnings: [String]
        let location: String
        /// Set when this copy of a clip session replaced a less complete stored copy (same id).
        let replaced: Replaced?
        enum CodingKeys: String, CodingKey {
            case id, inserted; case runnerID = "runner_id"; case flags, warnings, location, replaced
        }
    }

    struct Replaced: Encodable {
        let previousSampleCount: Int
        let previousIncompleteReason: String?
        let sampleCount: Int
        enum CodingKeys: String, CodingKey {
            case previousSampleCount = "previous_sample_count", previousIncompleteReason = "previous_incomplete_reason", sampleCount = "sample_count"
        }
    }

    func upload(_ request: Request, _ runnerID: Int64, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        let runner = try await access.runner(runnerID, context)
        let (name, folder, path) = try await receiveUpload(request, limit: configuration.maxSessionUploadBytes, file: "The file", files: "session files")
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let attribution = Attribution(runner: runner.name, sourceName: name)
        let result: IngestResult
        do {
            result = try await store.run { store in try SessionIngest(store: store).ingestFile(path: path, attribution: attribution) }
        } catch let error as SessionIngestError {
            // The same words as `gait import`, with the name the runner knows instead of our temporary path.
            throw HTTPError(error.storeError == nil ? .badRequest : .internalServerError,
                            message: error.description.replacingOccurrences(of: folder + "/", with: ""))
        }
        let location = "/sessions/\(result.id)"
        let replaced = result.replaced.map {
            Replaced(previousSampleCount: $0.previousSampleCount, previousIncompleteReason: $0.previousIncompleteReason, sampleCount: $0.sampleCount)
        }
        let body = Uploaded(id: result.id, inserted: result.inserted, runnerID: result.runnerID, flags: result.flags.map(\.id),
                            warnings: result.analysis?.input.warnings ?? [], location: location, replaced: replaced)
        // 201 only for a new session: a copy that replaced a less complete one updated an existing session.
        var response = try JSONResponses.json(body, status: result.inserted && replaced == nil ? .created : .ok)
        response.headers[.location] = location
        return response
    }

    struct Paired: Encodable {
        let sessionID: Int64
        let source: String
        let offsetS: Double
        let method: String
        let cadenceCorrelation: Double?
        let overlap: Double
        let distanceKm: Double?
        let flags: [String]
        enum CodingKeys: String, CodingKey {
            case sessionID = "session_id", source, offsetS = "offset_s", method, cadenceCorrelation = "cadence_correlation", overlap
            case distanceKm = "distance_km", flags
        }
    }

    /// The runner's watch file for a stored session (`POST /api/v1/sessions/{id}/watch`, the file
    /// as the body): aligned by clock and cadence, or refused (400) when it does not match; the
    /// session's flags are then recomputed with speed and slope.
    func pairWatch(_ request: Request, _ sessionID: Int64, _ context: ServerRequestContext) async throws -> Response {
        try access.checkWrite(request, context)
        _ = try await access.session(sessionID, context)
        let (name, folder, path) = try await receiveUpload(request, limit: min(configuration.maxSessionUploadBytes, 256 << 20),
                                                           file: "The watch file", files: "watch files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let (speed, flags) = try await store.run { store -> (SessionSpeed, [String]) in
                let ingest = SessionIngest(store: store)
                let speed = try ingest.pairWatch(sessionID: sessionID, path: path, name: name)
                return (speed, try store.storedFlags(sessionID: sessionID).map(\.id))
            }
            return try JSONResponses.json(Paired(sessionID: sessionID, source: speed.source, offsetS: speed.offsetS, method: speed.method,
                                                 cadenceCorrelation: speed.cadenceCorrelation, overlap: speed.overlap,
                                                 distanceKm: speed.distanceKm, flags: flags))
        } catch let error as SessionIngestError {
            throw HTTPError(error.storeError == nil ? .badRequest : .internalServerError,
                            message: error.description.replacingOccurrences(of: folder + "/", with: ""))
        }
    }

    /// Receives an upload's body into a new folder of its own (the caller removes `folder`): 413
    /// when its declared or received size is over `limit`, 400 when it is empty. `file` and `files`
    /// name it in the messages ("The watch file", "watch files").
    func receiveUpload(_ request: Request, limit: Int, file: String, files: String) async throws -> (name: String, folder: String, path: String) {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPError(.contentTooLarge, message: "\(file) is \(length) bytes; this server takes \(files) up to \(limit) bytes.")
        }
        let name = Self.fileName(request.headers[.init("X-File-Name")!])
        let folder = (configuration.uploadDirectory ?? NSTemporaryDirectory()) + "/backstride-upload-\(UUID().uuidString)"
        let path = folder + "/" + name
        do {
            guard try await Self.receive(request.body, to: path, folder: folder, limit: limit) > 0 else {
                throw HTTPError(.badRequest, message: "\(name): the file is empty.")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        return (name, folder, path)
    }

    /// A safe file name from the client's (percent-encoded) one: its last path component, with
    /// anything but letters, digits, '.', '-', '_' and spaces replaced; "upload" when none is given.
    static func fileName(_ header: String?) -> String {
        let decoded = header.flatMap { $0.removingPercentEncoding } ?? header ?? ""
        let last = decoded.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(last.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || ".-_ ".contains(c)) ? c : "_"
        }.prefix(100))
        while name.hasPrefix(".") { name.removeFirst() }
        return name.trimmingCharacters(in: .whitespaces).isEmpty ? "upload" : name
    }

    /// Streams the body to `path`, at most `limit` bytes (413 beyond it); returns its size.
    static func receive(_ body: RequestBody, to path: String, folder: String, limit: Int) async throws -> Int {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw HTTPError(.internalServerError, message: "The server cannot store uploads at the moment.")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw HTTPError(.internalServerError, message: "The server cannot store uploads at the moment.")
        }
        defer { try? handle.close() }
        var size = 0
        for try await buffer in body {
            size += buffer.readableBytes
            guard size <= limit else {
                throw HTTPError(.contentTooLarge, message: "The file is larger than \(limit) bytes, the most this server takes.")
            }
            try buffer.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
        }
        return size
    }

    /// The runner page's upload: sends the chosen file with the login's CSRF token, shows the
    /// progress, then opens the stored session or shows the server's reason.
    static let script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          var form = document.getElementById("upload");
          if (!form) return;
          var input = form.querySelector("input[name=file]");
          var watch = form.querySelector("input[name=watch]");
          var bar = form.querySelector("progress");
          var status = document.getElementById("upload-status");
          form.addEventListener("submit", function (event) {
            event.preventDefault();
            var file = input.files[0];
            if (!file) { status.textContent = "Choose a file first."; return; }
            var xhr = new XMLHttpRequest();
            xhr.open("POST", form.getAttribute("data-action"));
            xhr.setRequestHeader("X-CSRF-Token", form.getAttribute("data-csrf"));
            xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
            xhr.setRequestHeader("Content-Type", "application/octet-stream");
            bar.hidden = false; bar.value = 0; bar.max = 1;
            status.className = ""; status.textContent = "Uploading " + file.name + "…";
            xhr.upload.onprogress = function (e) {
              if (e.lengthComputable) {
                bar.max = e.total; bar.value = e.loaded;
                status.textContent = "Uploading " + file.name + ": " + Math.round(100 * e.loaded / e.total) + " %";
              }
            };
            xhr.upload.onload = function () { status.textContent = "Analysing " + file.name + "…"; };
            xhr.onload = function () {
              var reply = {};
              try { reply = JSON.parse(xhr.responseText); } catch (e) {}
              if (xhr.status === 201 || xhr.status === 200) {
                status.textContent = xhr.status === 201 ? "Stored as session " + reply.id + "." : "Already stored as session " + reply.id + ".";
                if (watch && watch.files[0]) { pairWatch(reply); } else { window.location.assign(reply.location); }
              } else {
                bar.hidden = true;
                status.className = "error";
                status.textContent = (reply.error && reply.error.message) || reply.message || ("The upload failed (" + xhr.status + ").");
              }
            };
            xhr.onerror = function () { bar.hidden = true; status.className = "error"; status.textContent = "The upload was interrupted."; };
            xhr.send(file);
          });
          function pairWatch(session) {
            var file = watch.files[0];
            var request = new XMLHttpRequest();
            request.open("POST", "/api/v1/sessions/" + session.id + "/watch");
            request.setRequestHeader("X-CSRF-Token", form.getAttribute("data-csrf"));
            request.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
            request.setRequestHeader("Content-Type", "application/octet-stream");
            status.textContent = "Stored as session " + session.id + "; pairing " + file.name + "…";
            request.onload = function () {
              var reply = {};
              try { reply = JSON.parse(request.responseText); } catch (e) {}
              if (request.status === 200) {
                window.location.assign(session.location);
              } else {
                bar.hidden = true;
                status.className = "error";
                status.textContent = "Session " + session.id + " is stored, but the watch file was not paired: " +
                  ((reply.error && reply.error.message) || ("error " + request.status));
              }
            };
            request.onerror = function () { status.className = "error"; status.textContent = "The watch file upload was interrupted."; };
            request.send(file);
          }
        });
        """
}
