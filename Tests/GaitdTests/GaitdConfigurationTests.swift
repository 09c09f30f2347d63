import BackstrideTestSupport
import Foundation
import Testing

/// gaitd's settings: defaults under the XDG directories, the config file over them, flags over
/// both (`gaitd --print-config` shows the result), and clear errors.
@Suite(.ownThreads) struct GaitdConfigurationTests {
    func gaitd(_ arguments: [String], environment: [String: String]) throws -> CommandResult {
        try runProcess(Products.gaitd, arguments, environment: environment)
    }

    func settings(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { result[parts[0]] = parts[1] } else if parts.count == 1 { result[parts[0]] = "" }
        }
        return result
    }

    @Test func defaultsFollowTheXDGDirectories() throws {
        let home = try temporaryDirectory()
        let run = try gaitd(["--print-config"], environment: ["HOME": home, "XDG_DATA_HOME": home + "/data-home", "XDG_CONFIG_HOME": home + "/config-home"])
        #expect(run.status == 0, "\(run.standardError)")
        let values = settings(run.standardOutput)
        #expect(values["data_dir"] == home + "/data-home/backstride")
        #expect(values["inbox"] == home + "/data-home/backstride/inbox")
        #expect(values["poll_interval_ms"] == "1000")
        #expect(values["erase_after_sync"] == "true")
        #expect(values["log_level"] == "info")
        let fallback = try gaitd(["--print-config"], environment: ["HOME": home])
        #expect(settings(fallback.standardOutput)["data_dir"] == home + "/.local/share/backstride")
    }

    @Test func theConfigFileOverridesDefaultsAndFlagsOverrideTheFile() throws {
        let home = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: home + "/config/backstride", withIntermediateDirectories: true)
        try """
        # gaitd settings
        data_dir = /srv/backstride
        poll_interval_ms = 250   # faster
        default_runner = ana
        default_shoe = pegasus-41
        erase_after_sync = no

        log_level = debug
        """.write(toFile: home + "/config/backstride/gaitd.conf", atomically: true, encoding: .utf8)
        let environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config"]
        let fromFile = settings(try gaitd(["--print-config"], environment: environment).standardOutput)
        #expect(fromFile["data_dir"] == "/srv/backstride")
        #expect(fromFile["inbox"] == "/srv/backstride/inbox")
        #expect(fromFile["poll_interval_ms"] == "250")
        #expect(fromFile["default_runner"] == "ana")
        #expect(fromFile["default_shoe"] == "pegasus-41")
        #expect(fromFile["erase_after_sync"] == "false")
        #expect(fromFile["log_level"] == "debug")

        let flags = settings(try gaitd(["--print-config", "--data-dir", "/tmp/elsewhere", "--shoe", "cloud-5", "--log-level", "warning"],
                                       environment: environment).standardOutput)
        #expect(flags["data_dir"] == "/tmp/elsewhere")
        #expect(flags["inbox"] == "/tmp/elsewhere/inbox")
        #expect(flags["default_shoe"] == "cloud-5")
        #expect(flags["default_runner"] == "ana")
        #expect(flags["log_level"] == "warning")
        let inbox = settings(try gaitd(["--print-config", "--inbox", "/tmp/drop"], environment: environment).standardOutput)
        #expect(inbox["inbox"] == "/tmp/drop")
    }

    @Test func aBadConfigFileNamesTheFileLineAndKey() throws {
        let home = try temporaryDirectory()
        let path = home + "/gaitd.conf"
        try "data_dir = /srv/backstride\npoll_intervall_ms = 250\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try gaitd(["--config", path], environment: ["HOME": home])
        #expect(run.status == 78)
        #expect(run.standardError.contains("\(path):2: unknown key 'poll_intervall_ms'"), "\(run.standardError)")
        let missing = try gaitd(["--config", home + "/nope.conf"], environment: ["HOME": home])
        #expect(missing.status == 78)
        #expect(missing.standardError.contains("nope.conf: cannot read the config file"), "\(missing.standardError)")
        let level = try gaitd(["--print-config", "--log-level", "loud"], environment: ["HOME": home])
        #expect(level.standardError.contains("log level must be one of"), "\(level.standardError)")
    }

    /// HTTPS needs both files, and files that serve it: gaitd says which and does not start.
    @Test func httpsSettingsAreCheckedBeforeStarting() throws {
        let home = try temporaryDirectory()
        let path = home + "/gaitd.conf"
        try "tls_certificate = \(home)/cert.pem\n".write(toFile: path, atomically: true, encoding: .utf8)
        let alone = try gaitd(["--config", path, "--print-config"], environment: ["HOME": home])
        #expect(alone.status == 78)
        #expect(alone.standardError.contains("tls_certificate and tls_key go together"), "\(alone.standardError)")
        try "tls_certificate = \(home)/cert.pem\ntls_key = \(home)/key.pem\n".write(toFile: path, atomically: true, encoding: .utf8)
        let missing = try gaitd(["--config", path, "--print-config"], environment: ["HOME": home])
        #expect(missing.status == 78)
        #expect(missing.standardError.contains("\(home)/cert.pem: no such file"), "\(missing.standardError)")
    }
}
