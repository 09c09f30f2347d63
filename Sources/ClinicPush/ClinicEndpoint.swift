import Foundation

/// A clinic's base URL, checked: https, or plain http only to this machine (loopback).
public struct ClinicEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The base URL, ending in "/" ("https://clinic.example/").
    public let baseURL: String

    /// The hosts plain HTTP may go to: this machine's loopback names.
    public static let loopbackHosts: Set<String> = ["127.0.0.1", "::1", "localhost"]

    /// Checks `text` (an http(s) URL with a host; a path is kept, a query or fragment refused).
    public init(_ text: String) throws(ClinicPushError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty, components.query == nil, components.fragment == nil,
              components.user == nil, components.password == nil else {
            throw .invalidURL(text)
        }
        switch scheme {
        case "https": break
        case "http":
            let bare = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard Self.loopbackHosts.contains(bare) || bare.hasPrefix("127.") else { throw .insecureURL(text) }
        default:
            throw .invalidURL(text)
        }
        baseURL = trimmed.hasSuffix("/") ? trimmed : trimmed + "/"
    }

    /// The URL of an API path ("api/v1/uploads").
    public func url(_ path: String) -> String { baseURL + path }

    public var description: String { baseURL }
}
