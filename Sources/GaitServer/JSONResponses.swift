import Foundation
import Hummingbird

/// JSON responses of the API: snake_case keys as each type spells them, ISO 8601 dates.
enum JSONResponses {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static var headers: HTTPFields {
        [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff"]
    }

    /// `value` as a JSON response.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// `{"error": {"status": 404, "message": "..."}}`.
    static func error(status: HTTPResponse.Status, message: String) throws -> Response {
        struct Body: Encodable {
            struct Detail: Encodable { let status: Int; let message: String }
            let error: Detail
        }
        return try json(Body(error: .init(status: status.code, message: message)), status: status)
    }
}
