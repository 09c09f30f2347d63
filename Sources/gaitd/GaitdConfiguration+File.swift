import Foundation
import Logging
import SessionStore

/// Why a config file (or a flag) could not be used: the file, line and key it is about.
struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    var file: String?
    var line: Int?
    var message: String

    var description: String {
        switch (file, line) {
        case let (file?, line?): "\(file):\(line): \(message)"
        case let (file?, nil): "\(file): \(message)"
        default: message
        }
    }
}

extension GaitdConfiguration {
    /// The keys a config file may set.
    static let fileKeys = ["data_dir", "inbox", "poll_interval_ms", "usb_watch", "transfer_timeout_ms",
                           "erase_after_sync", "default_runner", "default_shoe", "log_level", "http_listen", "http_port", "secure_cookies",
                           "http_host_names", "tls_certificate", "tls_key", "store", "store_connections", "clinic_retry_max_s", "warm_reports"]

    /// Applies a `key = value` config file: one setting a line, `#` starts a comment, blank lines
    /// are ignored, `~/` at the start of a path is the home directory. Unknown keys are errors, so
    /// a typo is not silently ignored.
    mutating func apply(fileText text: String, path: String) throws(ConfigurationError) {
        var inboxSet = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw ConfigurationError(file: path, line: index + 1, message: "expected 'key = value', got '\(trimmed)'")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            do {
                try set(key, to: value)
            } catch {
                throw ConfigurationError(file: path, line: index + 1, message: error.message)
            }
            if key == "inbox" { inboxSet = true }
            if key == "data_dir" && !inboxSet { inboxDirectory = dataDirectory + "/inbox" }
        }
    }

    /// Sets one setting from its text (from the file or a flag).
    mutating func set(_ key: String, to value: String) throws(ConfigurationError) {
        switch key {
        case "data_dir": dataDirectory = try Self.path(value, key: key)
        case "inbox": inboxDirectory = try Self.path(value, key: key)
        case "poll_interval_ms": pollIntervalMs = try Self.integer(value, key: key, in: 10...600_000)
        case "transfer_timeout_ms": transferTimeoutMs = try Self.integer(value, key: key, in: 10...60_000)
        case "usb_watch":
            guard let watch = USBWatch(rawValue: value) else {
                throw ConfigurationError(message: "usb_watch must be automatic, polling or hotplug, got '\(value)'")
            }
            usbWatch = watch
        case "erase_after_sync": eraseAfterSync = try Self.boolean(value, key: key)
        case "default_runner": defaultRunner = value.isEmpty ? nil : value
        case "default_shoe": defaultShoe = value.isEmpty ? nil : value
        case "log_level": logLevel = try Self.logLevel(value)
        case "http_listen":
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || ".:-".contains($0) }) else {
                throw ConfigurationError(message: "http_listen must be an address such as 127.0.0.1 or 0.0.0.0, got '\(value)'")
            }
            httpListen = value
        case "http_port": httpPort = try Self.integer(value, key: key, in: 0...65_535)
        case "secure_cookies": secureCookies = try Self.boolean(value, key: key)
        case "warm_reports": warmReports = try Self.boolean(value, key: key)
        case "http_host_names":
            let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            guard names.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || ".:-[]".contains($0) } }) else {
                throw ConfigurationError(message: "http_host_names must be host names separated by commas, such as gait.clinic.example, got '\(value)'")
            }
            httpHostNames = names
        case "tls_certificate": tlsCertificate = value.isEmpty ? nil : try Self.path(value, key: key)
        case "tls_key": tlsKey = value.isEmpty ? nil : try Self.path(value, key: key)
        case "store":
            if value.isEmpty || value == "sqlite" {
                postgresStore = nil
            } else if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
                do { postgresStore = try PostgresStoreLocation(url: value) } catch { throw ConfigurationError(message: "store: \(error)") }
            } else {
                throw ConfigurationError(message: "store must be empty (SQLite in the data directory) or a postgres://user@host:port/database URL, got '\(value)'")
            }
        case "store_connections": storeConnections = try Self.integer(value, key: key, in: 1...64)
        case "clinic_retry_max_s": clinicRetryMaximumS = try Self.integer(value, key: key, in: 1...86_400)
        default:
            throw ConfigurationError(message: "unknown key '\(key)' (known: \(Self.fileKeys.joined(separator: ", ")))")
        }
    }

    static func logLevel(_ value: String) throws(ConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: value.lowercased()) else {
            throw ConfigurationError(message: "log level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got '\(value)'")
        }
        return level
    }

    static func boolean(_ value: String, key: String) throws(ConfigurationError) -> Bool {
        switch value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw ConfigurationError(message: "\(key) must be true or false, got '\(value)'")
        }
    }

    static func integer(_ value: String, key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw ConfigurationError(message: "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(value)'")
        }
        return number
    }

    static func path(_ value: String, key: String) throws(ConfigurationError) -> String {
        guard !value.isEmpty else { throw ConfigurationError(message: "\(key) must not be empty") }
        let expanded = value.hasPrefix("~/") ? NSHomeDirectory() + value.dropFirst(1) : value
        // Relative paths are taken from the working directory, which systemd sets to / anyway.
        return expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
    }
}
