import Foundation
import PostgresNIO

/// Where a PostgreSQL session store lives, parsed from a libpq-style URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or for a server on a Unix socket
/// `postgres://USER@/DATABASE?host=/SOCKET/FOLDER[&port=PORT]` (the folder holds `.s.PGSQL.PORT`).
///
/// The port defaults to 5432 and the database to the user's name, as with libpq. TLS is not
/// negotiated yet: `sslmode` may be absent or `disable` (a clinic's server on its own network or
/// loopback); any other mode is refused rather than silently sent in clear.
public struct PostgresStoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// The server's host name or address; nil for a Unix socket.
    public var host: String?
    /// The folder holding the server's Unix socket; nil for TCP.
    public var socketFolder: String?
    /// The server's port (TCP), or the number in the socket's name.
    public var port: Int
    /// The role to log in as.
    public var username: String
    /// The password, when the server asks for one.
    public var password: String?
    /// The database that holds the store.
    public var database: String

    /// Parses a `postgres://` or `postgresql://` URL.
    public init(url: String) throws(SessionStoreError) {
        func invalid(_ reason: String) -> SessionStoreError { .invalidValue(field: "PostgreSQL URL", reason: reason) }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("expected postgres://user@host:port/database")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        if let mode = query["sslmode"], mode != "disable" {
            throw invalid("sslmode=\(mode) is not supported yet (only disable)")
        }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else { throw invalid("the URL names no user") }
        username = user
        password = components.password?.removingPercentEncoding
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? user
        let hostInURL = components.host.flatMap { $0.isEmpty ? nil : $0 }
        if let socket = query["host"], socket.hasPrefix("/") {
            guard hostInURL == nil else { throw invalid("give either a host or a socket folder (?host=/folder), not both") }
            host = nil
            socketFolder = socket
        } else {
            guard let name = hostInURL ?? query["host"].flatMap({ $0.isEmpty ? nil : $0 }) else { throw invalid("the URL names no host") }
            host = name
            socketFolder = nil
        }
        let port = components.port ?? (query["port"].map { Int($0) ?? 0 } ?? 5432)
        guard (1...65535).contains(port) else { throw invalid("the port is 1 to 65535") }
        self.port = port
    }

    /// The URL without its password (for logs and error messages).
    public var description: String {
        var text = "postgres://\(username)@\(host ?? "")"
        if host != nil { text += ":\(port)" }
        text += "/\(database)"
        if let socketFolder { text += "?host=\(socketFolder)&port=\(port)" }
        return text
    }

    /// postgres-nio's connection configuration.
    var configuration: PostgresConnection.Configuration {
        if let socketFolder {
            return PostgresConnection.Configuration(unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: username,
                                                    password: password, database: database)
        }
        return PostgresConnection.Configuration(host: host ?? "localhost", port: port, username: username, password: password,
                                                database: database, tls: .disable)
    }
}
