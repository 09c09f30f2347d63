import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL session store lives, parsed from a libpq-style URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or for a server on a Unix socket
/// `postgres://USER@/DATABASE?host=/SOCKET/FOLDER[&port=PORT]` (the folder holds `.s.PGSQL.PORT`).
///
/// The port defaults to 5432 and the database to the user's name, as with libpq. TLS over TCP
/// follows libpq's `sslmode` and `sslrootcert`:
/// - `disable`: never; `prefer` (the default, as libpq's): TLS when the server offers it, not verified;
/// - `require`: TLS or no connection, the certificate not checked (checked against `sslrootcert`
///   when one is given, as libpq does);
/// - `verify-ca`: the server's certificate must chain to `sslrootcert` (or the system's roots);
/// - `verify-full`: that, and it must name the host. Use this for a database on another machine.
/// A Unix socket never uses TLS (libpq ignores `sslmode` there too). `allow` is refused: it would
/// try in clear first.
public struct PostgresStoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode` values this store supports.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

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
    /// Whether and how TLS protects a TCP connection.
    public var tlsMode: TLSMode
    /// The certificates (PEM) the server's must chain to; nil: the system's roots.
    public var rootCertificatePath: String?

    /// Parses a `postgres://` or `postgresql://` URL.
    public init(url: String) throws(SessionStoreError) {
        func invalid(_ reason: String) -> SessionStoreError { .invalidValue(field: "PostgreSQL URL", reason: reason) }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("expected postgres://user@host:port/database")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
        guard let mode = TLSMode(rawValue: query["sslmode"] ?? TLSMode.prefer.rawValue) else {
            throw invalid("sslmode=\(query["sslmode"] ?? "") is not supported (one of \(modes))")
        }
        tlsMode = mode
        rootCertificatePath = query["sslrootcert"].flatMap { $0.isEmpty ? nil : $0 }
        if let path = rootCertificatePath, !FileManager.default.isReadableFile(atPath: path) {
            throw invalid("sslrootcert=\(path) cannot be read")
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
        var tls: [String] = []
        if socketFolder == nil, tlsMode != .prefer { tls.append("sslmode=\(tlsMode.rawValue)") }
        if socketFolder == nil, let rootCertificatePath { tls.append("sslrootcert=\(rootCertificatePath)") }
        if !tls.isEmpty { text += "?" + tls.joined(separator: "&") }
        return text
    }

    /// postgres-nio's connection configuration (throws when the root certificates cannot be loaded).
    func configuration() throws -> PostgresConnection.Configuration {
        if let socketFolder {
            return PostgresConnection.Configuration(unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: username,
                                                    password: password, database: database)
        }
        return PostgresConnection.Configuration(host: host ?? "localhost", port: port, username: username, password: password,
                                                database: database, tls: try tls())
    }

    /// The TLS of a TCP connection, as `sslmode` and `sslrootcert` ask.
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        switch tlsMode {
        case .disable: return .disable
        case .prefer: configuration.certificateVerification = .none
        case .require: configuration.certificateVerification = rootCertificatePath == nil ? .none : .noHostnameVerification
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let rootCertificatePath {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificatePath))
            } catch {
                throw SessionStoreError.invalidValue(field: "PostgreSQL URL", reason: "sslrootcert=\(rootCertificatePath) holds no PEM certificate: \(error)")
            }
        }
        let context = try NIOSSLContext(configuration: configuration)
        return tlsMode == .prefer ? .prefer(context) : .require(context)
    }
}
