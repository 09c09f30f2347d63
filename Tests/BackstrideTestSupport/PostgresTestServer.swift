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

    /// The server, started on first use.
    private static let shared: Result<Server, Failure> = Result { try Server.start() }.mapError { error in
        error as? Failure ?? Failure(description: "\(error)")
    }

    private struct Server: Sendable {
        /// The URL prefix up to the database name, and what follows it (the socket folder).
        var urlPrefix: String
        var urlSuffix: String
        /// psql and its arguments that reach the maintenance database.
        var psqlCommand: [String]

        func url(database: String) -> String { urlPrefix + database + urlSuffix }

        func psql(_ statement: String) throws {
            let result = try Self.run(psqlCommand + ["-v", "ON_ERROR_STOP=1", "-q", "-c", statement])
            guard result.status == 0 else {
                throw Failure(description: "PostgreSQL test server: `\(statement)` failed: \(result.standardError)")
            }
        }

        static func start() throws -> Server {
            if let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty { return try existing(url: url) }
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
            let port = 5432
            let psql = [bin + "/psql", "-h", folder, "-p", String(port), "-U", "postgres", "-d", "postgres"]
            // The server runs as a child that is never waited for, not through `pg_ctl start`:
            // Foundation's Process sees a child end when a socket it hands the child closes, and
            // the server would inherit that socket, so waiting for pg_ctl would wait for the server.
            let log = folder + "/server.log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            if asRoot { try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: log) }
            let server = Process()
            server.executableURL = URL(fileURLWithPath: (asOwner + [bin + "/postgres"])[0])
            server.arguments = Array((asOwner + [bin + "/postgres", "-D", data, "-k", folder, "-c", "listen_addresses=", "-p", String(port),
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
            return Server(urlPrefix: "postgres://postgres@/", urlSuffix: "?host=\(folder)&port=\(port)", psqlCommand: psql)
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
            return Server(urlPrefix: String(text[..<cut]), urlSuffix: String(text[cut...]), psqlCommand: [psql, "-d", maintenance])
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
