import Foundation

/// A throw-away PostgreSQL server for the tests, one per test process, and a new empty database
/// for each test that asks (`freshDatabaseURL()`), so tests never see each other's rows.
///
/// With `BACKSTRIDE_TEST_POSTGRES_URL` set (`postgres://USER@HOST:PORT/DATABASE`, a role allowed to
/// create databases), that server is used instead. Otherwise Debian's PostgreSQL binaries
/// (`/usr/lib/postgresql/VERSION/bin`, the `postgresql` package that
/// `scripts/install-system-packages.sh` installs) start a cluster in a temporary folder:
///
///     initdb -D FOLDER/data -U postgres -A trust -E UTF8 --locale=C --no-sync
///     postgres -D FOLDER/data -k FOLDER -c listen_addresses= -p 5432 \
///         -c fsync=off -c full_page_writes=off -c synchronous_commit=off   (output to FOLDER/server.log)
///
/// listening only on a Unix socket in that folder (no TCP port to collide with), with trust
/// authentication. As root, both run as the `postgres` user (`runuser -u postgres --`), which owns
/// the folder; the tests wait until psql answers. A watchdog shell stops the server (`pg_ctl stop -m immediate`) and removes the
/// folder within a second of the test process ending, however it ends.
///
/// Without PostgreSQL this throws `PostgresTestServer.Failure`, so the tests that need it fail
/// with that message: they are never skipped.
public enum PostgresTestServer {
    /// Why the throw-away server could not be had.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The environment variable naming an existing server to use instead of a throw-away one.
    public static let urlVariable = "BACKSTRIDE_TEST_POSTGRES_URL"

    /// A `postgres://` URL of a new, empty database on the test server.
    public static func freshDatabaseURL() throws -> String {
        let server = try shared.get()
        let name = "backstride_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try server.psql("CREATE DATABASE \(name)")
        return server.url(database: name)
    }

    /// A new, empty database on a second throw-away server that listens on TCP at 127.0.0.1 as well
    /// and accepts TCP connections only over TLS (`hostssl`; `hostnossl` is rejected), with a
    /// self-signed certificate for localhost and 127.0.0.1 made by openssl: the URL
    /// (`postgres://postgres@localhost:PORT/DATABASE`, no sslmode), the certificate's PEM file, and
    /// the file of another self-signed certificate the server's does not chain to.
    public static func freshTLSDatabase() throws -> (url: String, certificate: String, otherCertificate: String) {
        let server = try sharedTLS.get()
        let name = "backstride_tls_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try server.psql("CREATE DATABASE \(name)")
        return (server.url(database: name), server.certificate!, server.otherCertificate!)
    }

    /// The first column of the first row a query gives on the test server's maintenance database
    /// (e.g. a count from `pg_stat_activity`, which sees every database of the server).
    public static func value(of query: String) throws -> String {
        let server = try shared.get()
        let result = try Server.run(server.psqlCommand + ["-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", query])
        guard result.status == 0 else {
            throw Failure(description: "PostgreSQL test server: `\(query)` failed: \(result.standardError)")
        }
        return result.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
    }

    /// The servers, started on first use.
    private static let shared: Result<Server, Failure> = Result { try Server.start(tls: false) }.mapError { error in
        error as? Failure ?? Failure(description: "\(error)")
    }
    private static let sharedTLS: Result<Server, Failure> = Result { try Server.start(tls: true) }.mapError { error in
        error as? Failure ?? Failure(description: "\(error)")
    }

    private struct Server: Sendable {
        /// The URL prefix up to the database name, and what follows it (the socket folder).
        var urlPrefix: String
        var urlSuffix: String
        /// psql and its arguments that reach the maintenance database.
        var psqlCommand: [String]
        /// With TLS: the server's certificate, and another that it does not chain to.
        var certificate: String?
        var otherCertificate: String?

        func url(database: String) -> String { urlPrefix + database + urlSuffix }

        func psql(_ statement: String) throws {
            let result = try Self.run(psqlCommand + ["-v", "ON_ERROR_STOP=1", "-q", "-c", statement])
            guard result.status == 0 else {
                throw Failure(description: "PostgreSQL test server: `\(statement)` failed: \(result.standardError)")
            }
        }

        static func start(tls: Bool) throws -> Server {
            if !tls, let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty { return try existing(url: url) }
            guard let bin = binFolder() else {
                throw Failure(description: """
                    PostgreSQL is not installed: no initdb and pg_ctl under /usr/lib/postgresql/*/bin. Install Debian's postgresql \
                    (scripts/install-system-packages.sh does) or set \(urlVariable) to a server the tests may create databases on.
                    """)
            }
            let asRoot = getuid() == 0
            var template = Array("/tmp/backstride-pg-XXXXXX".utf8CString)
            guard let folderPointer = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw Failure(description: "PostgreSQL test server: cannot create a temporary folder: \(String(cString: strerror(errno)))")
            }
            // A short path: a Unix socket's path is at most 107 bytes.
            let folder = String(cString: folderPointer)
            let asOwner: [String]
            if asRoot {
                guard getpwnam("postgres") != nil else {
                    throw Failure(description: "PostgreSQL test server: running as root, but there is no `postgres` user to run the server as (Debian's postgresql package adds it)")
                }
                guard let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
                    throw Failure(description: "PostgreSQL test server: running as root, but runuser (util-linux) is missing")
                }
                try FileManager.default.setAttributes([.ownerAccountName: "postgres", .groupOwnerAccountName: "postgres"], ofItemAtPath: folder)
                asOwner = [runuser, "-u", "postgres", "--"]
            } else {
                asOwner = []
            }
            let data = folder + "/data"
            try check(run(asOwner + [bin + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]), "initdb")
            var port = 5432
            var listen = ["-c", "listen_addresses="]
            var files: (certificate: String, other: String)?
            if tls {
                port = try freeTCPPort()
                files = try makeTLSFiles(in: folder, owner: asRoot ? "postgres" : nil)
                listen = ["-c", "listen_addresses=127.0.0.1", "-c", "ssl=on", "-c", "ssl_cert_file=\(files!.certificate)",
                          "-c", "ssl_key_file=\(folder)/server-key.pem"]
                let rules = "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n"
                try rules.write(toFile: data + "/pg_hba.conf", atomically: false, encoding: .utf8)
            }
            let psql = [bin + "/psql", "-h", folder, "-p", String(port), "-U", "postgres", "-d", "postgres"]
            // The server runs as a child that is never waited for, not through `pg_ctl start`:
            // Foundation's Process sees a child end when a socket it hands the child closes, and
            // the server would inherit that socket, so waiting for pg_ctl would wait for the server.
            let log = folder + "/server.log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            if asRoot { try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: log) }
            let server = Process()
            server.executableURL = URL(fileURLWithPath: (asOwner + [bin + "/postgres"])[0])
            server.arguments = Array((asOwner + [bin + "/postgres", "-D", data, "-k", folder] + listen + ["-p", String(port),
                                                 "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"]).dropFirst())
            server.standardInput = FileHandle.nullDevice
            let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            server.standardOutput = logHandle
            server.standardError = logHandle
            try server.run()
            startWatchdog(stop: asOwner + [bin + "/pg_ctl", "-D", data, "stop", "-m", "immediate"], folder: folder)
            let deadline = Date().addingTimeInterval(60)
            while try run(psql + ["-q", "-c", "SELECT 1"]).status != 0 {
                guard Date() < deadline, server.isRunning else {
                    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    throw Failure(description: "PostgreSQL test server did not start (its log, \(log)):\n\(text)")
                }
                usleep(100_000)
            }
            if let files {
                return Server(urlPrefix: "postgres://postgres@localhost:\(port)/", urlSuffix: "", psqlCommand: psql,
                              certificate: files.certificate, otherCertificate: files.other)
            }
            return Server(urlPrefix: "postgres://postgres@/", urlSuffix: "?host=\(folder)&port=\(port)", psqlCommand: psql)
        }

        /// A loopback TCP port nobody listens on now.
        static func freeTCPPort() throws -> Int {
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { throw Failure(description: "PostgreSQL test server: no socket for a free port") }
            defer { close(socket) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
            }
            guard bound else { throw Failure(description: "PostgreSQL test server: cannot find a free port: \(String(cString: strerror(errno)))") }
            return Int(UInt16(bigEndian: address.sin_port))
        }

        /// The server's self-signed certificate and key (`server-cert.pem`, `server-key.pem`, the key
        /// readable by its owner only, as PostgreSQL demands) and another certificate, by openssl.
        static func makeTLSFiles(in folder: String, owner: String?) throws -> (certificate: String, other: String) {
            guard let openssl = ["/usr/bin/openssl", "/bin/openssl"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
                throw Failure(description: "PostgreSQL test server: openssl is missing (scripts/install-system-packages.sh installs it)")
            }
            for name in ["server", "other"] {
                try check(run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                               "-keyout", "\(folder)/\(name)-key.pem", "-out", "\(folder)/\(name)-cert.pem", "-days", "1",
                               "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]), "openssl req")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: "\(folder)/server-key.pem")
            if let owner {
                for file in ["server-key.pem", "server-cert.pem"] {
                    try FileManager.default.setAttributes([.ownerAccountName: owner], ofItemAtPath: "\(folder)/\(file)")
                }
            }
            return ("\(folder)/server-cert.pem", "\(folder)/other-cert.pem")
        }

        /// The server of `BACKSTRIDE_TEST_POSTGRES_URL`: databases are created through psql on it.
        static func existing(url: String) throws -> Server {
            guard var components = URLComponents(string: url) else { throw Failure(description: "\(urlVariable) is not a URL: \(url)") }
            let maintenance = components.string!
            components.path = "/"
            let text = components.string!
            let cut = text.firstIndex(of: "?") ?? text.endIndex
            let psql = ["/usr/bin/psql", "/usr/local/bin/psql"].first { FileManager.default.isExecutableFile(atPath: $0) }
                ?? binFolder().map { $0 + "/psql" }
            guard let psql else { throw Failure(description: "\(urlVariable) is set, but psql (Debian's postgresql-client) is not installed") }
            return Server(urlPrefix: String(text[..<cut]), urlSuffix: String(text[cut...]), psqlCommand: [psql, "-d", maintenance],
                          certificate: nil, otherCertificate: nil)
        }

        /// The newest `/usr/lib/postgresql/VERSION/bin` that has initdb and pg_ctl.
        static func binFolder() -> String? {
            let root = "/usr/lib/postgresql"
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            return versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
                .map { root + "/" + $0 + "/bin" }
                .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") && FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
        }

        /// Stops the server and removes its folder once this process has ended.
        static func startWatchdog(stop: [String], folder: String) {
            let quoted = stop.map { "'" + $0 + "'" }.joined(separator: " ")
            let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(quoted) >/dev/null 2>&1; rm -rf '\(folder)'"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            // Not this process's pipes: `swift test` would wait for them to close.
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
        }

        /// Runs a command given by its absolute path.
        static func run(_ command: [String]) throws -> CommandResult {
            try runProcess(URL(fileURLWithPath: command[0]), Array(command.dropFirst()), timeoutS: 120)
        }

        static func check(_ result: CommandResult, _ what: String) throws {
            guard result.status == 0 else {
                throw Failure(description: "PostgreSQL test server: \(what) failed (status \(result.status)): \(result.standardError)\(result.standardOutput)")
            }
        }
    }
}
