import ArgumentParser
import ClipSync
import ClipUSB
import Foundation
import GaitServer
import Logging
import ServiceLifecycle
import SessionStore

/// `gaitd`: the Backstride daemon. Syncs clips as they are plugged in, imports CSV files dropped
/// into the inbox, and analyses every new session.
@main
struct Gaitd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaitd",
        abstract: "Sync clips when they are plugged in, import CSV files from the inbox, and analyse every new session.",
        discussion: """
        Settings come from the defaults, then the config file ($XDG_CONFIG_HOME/backstride/gaitd.conf, \
        'key = value' lines; --print-config shows them all), then these options. SIGTERM or SIGINT shut \
        down gracefully: a sync in flight stops at its next request and resumes at the next plug-in. \
        Exit status: 0 after a shutdown, 73 when the data directory or the session store cannot be used, 78 for a bad configuration.
        """
    )

    @Option(help: "The config file (default: $XDG_CONFIG_HOME/backstride/gaitd.conf; a missing default file is fine).")
    var config: String?

    @Option(help: "The data directory: the session store <dir>/backstride.sqlite, clip downloads in <dir>/sessions (default: $XDG_DATA_HOME/backstride).")
    var dataDir: String?

    @Option(help: "The folder watched for CSV files to import (default: <data dir>/inbox).")
    var inbox: String?

    @Option(help: "How often the inbox is scanned and, without hotplug, the USB bus polled, in milliseconds.")
    var pollIntervalMs: Int?

    @Option(help: "How clips are noticed: automatic (hotplug, reconciled by polling), polling or hotplug.")
    var usbWatch: String?

    @Option(help: "Milliseconds to wait for the clip in one USB transfer.")
    var transferTimeoutMs: Int?

    @Flag(help: "Store sessions but leave them on the clip (no acknowledgement, nothing erased).")
    var noErase = false

    @Option(help: "The runner who owns clips nobody owns yet (and the inbox's files); a clip's owner is set with `gait clip assign`.")
    var runner: String?

    @Option(help: "The shoes new sessions get when their runner has no current shoes (`gait shoe use` sets those).")
    var shoe: String?

    @Option(help: "The least severe messages logged: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("http-listen"), help: "Address the web pages and API listen on (default 127.0.0.1: this machine only; see the README before opening it to a network).")
    var httpListen: String?

    @Option(name: .customLong("http-port"), help: "Port of the web pages and API (default 8480); 0 turns the web server off.")
    var httpPort: Int?

    @Option(help: "Keep sessions in a clinic's PostgreSQL database, postgres://user[:password]@host[:port]/database (or ?host=/socket/folder), instead of the SQLite file in the data directory.")
    var store: String?

    @Flag(help: "Print the resulting configuration in the config file's format and exit.")
    var printConfig = false

    /// Defaults, then the config file, then the flags.
    func resolvedConfiguration() throws(ConfigurationError) -> GaitdConfiguration {
        var configuration = GaitdConfiguration()
        let path = config.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
            ?? GaitdConfiguration.defaultConfigFile()
        if config != nil || FileManager.default.fileExists(atPath: path) {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ConfigurationError(file: path, message: "cannot read the config file: \(error.localizedDescription)")
            }
            try configuration.apply(fileText: String(decoding: data, as: UTF8.self), path: path)
        }
        if let dataDir {
            try configuration.set("data_dir", to: dataDir)
            if inbox == nil { configuration.inboxDirectory = configuration.dataDirectory + "/inbox" }
        }
        let flags: [(String, String?)] = [
            ("inbox", inbox), ("poll_interval_ms", pollIntervalMs.map(String.init)), ("usb_watch", usbWatch),
            ("transfer_timeout_ms", transferTimeoutMs.map(String.init)), ("default_runner", runner),
            ("default_shoe", shoe), ("log_level", logLevel), ("http_listen", httpListen), ("http_port", httpPort.map(String.init)),
            ("store", store),
        ]
        for case let (key, value?) in flags { try configuration.set(key, to: value) }
        if noErase { configuration.eraseAfterSync = false }
        return configuration
    }

    func run() async throws {
        let configuration: GaitdConfiguration
        do {
            configuration = try resolvedConfiguration()
        } catch {
            FileHandle.standardError.write(Data("gaitd: \(error)\n".utf8))
            throw ExitCode(78)
        }
        if (configuration.tlsCertificate == nil) != (configuration.tlsKey == nil) {
            FileHandle.standardError.write(Data("gaitd: tls_certificate and tls_key go together: set both (HTTPS) or neither\n".utf8))
            throw ExitCode(78)
        }
        if let files = configuration.tlsFiles {
            do {
                try GaitServer.checkTLS(files)
            } catch {
                FileHandle.standardError.write(Data("gaitd: \(error)\n".utf8))
                throw ExitCode(78)
            }
        }
        if printConfig {
            print(configuration.fileText, terminator: "")
            return
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = PrintableLogHandler(wrapped: StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "gaitd")

        let store: any SessionStore
        let archive: SessionArchive
        do {
            archive = try SessionArchive(root: configuration.sessionsDirectory)
        } catch {
            logger.critical("cannot use the data directory \(configuration.dataDirectory): \(error)")
            throw ExitCode(73)
        }
        do {
            store = try configuration.openStore()
        } catch {
            logger.critical("cannot open the session store \(configuration.storeDescription): \(error)")
            throw ExitCode(73)
        }
        let services = GaitdServices(configuration: configuration, store: store, archive: archive, logger: logger)
        logger.info("gaitd starting", metadata: [
            "data_dir": "\(configuration.dataDirectory)", "inbox": "\(configuration.inboxDirectory)",
            "store": "\(configuration.storeDescription)",
            "pid": "\(ProcessInfo.processInfo.processIdentifier)",
        ])
        do {
            try await services.run()
        } catch {
            logger.critical("gaitd stopped on an error: \(error)")
            throw ExitCode(1)
        }
        logger.notice("gaitd stopped")
    }
}
