import BackstrideTestSupport
import Foundation
import GaitServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOSSL
import Testing

/// The clinic's server speaks HTTPS itself with a certificate and key from files (issue 14): the
/// certificates are made at test time by openssl, the client is a real TLS client that trusts
/// only that certificate.
@Suite("HTTPS", .ownThreads, .serialized)
struct ServerTLSTests {
    /// A self-signed certificate for localhost and 127.0.0.1 and its key, in `folder`.
    static func makeCertificate(in folder: String, name: String = "server") throws -> GaitServerConfiguration.TLSFiles {
        let key = "\(folder)/\(name)-key.pem", certificate = "\(folder)/\(name)-cert.pem"
        let openssl = try #require(["/usr/bin/openssl", "/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "openssl is missing: scripts/install-system-packages.sh installs it")
        let result = try runProcess(URL(fileURLWithPath: openssl), [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ], timeoutS: 30)
        try #require(result.status == 0, "openssl: \(result.standardError)")
        return GaitServerConfiguration.TLSFiles(certificateChainPath: certificate, privateKeyPath: key)
    }

    @Test("over HTTPS the login works, its cookie is Secure and every answer carries HSTS; plain HTTP to the port gets nothing")
    func theServerSpeaksHTTPS() async throws {
        let fixture = try ServerFixture()
        let files = try Self.makeCertificate(in: fixture.folder)
        let configuration = GaitServerConfiguration(host: "127.0.0.1", port: 0, passwordHashCost: 4, tls: files)
        #expect(configuration.outsideIsHTTPS)
        let app = try GaitServer.buildApplication(configuration: configuration, store: fixture.store)
        try await app.test(.live) { plain in
            var clientTLS = TLSConfiguration.makeClientConfiguration()
            clientTLS.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.certificateChainPath))
            let client = TestClient(host: "127.0.0.1", port: plain.port!,
                                    configuration: .init(tlsConfiguration: clientTLS, timeout: .seconds(120), serverName: "localhost"))
            client.connect()
            defer { Task { try? await client.shutdown() } }
            let login = try await client.execute(.init("/login", method: .get, authority: "localhost"))
            #expect(login.status == .ok)
            #expect(login.headers[.strictTransportSecurity] == "max-age=31536000")
            let csrfCookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("backstride_login_csrf=") })
            #expect(csrfCookie.contains("Secure"))
            let token = String(csrfCookie.dropFirst("backstride_login_csrf=".count).prefix { $0 != ";" })
            let loggedIn = try await client.execute(.init("/login", method: .post, authority: "localhost",
                                                          headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "backstride_login_csrf=\(token)"],
                                                          body: ByteBuffer(string: "username=pia&password=correct%20horse%20battery%20staple&csrf_token=\(token)")))
            #expect(loggedIn.status == .seeOther)
            let session = try #require(loggedIn.headers[values: .setCookie].first { $0.hasPrefix("backstride_session=") })
            #expect(session.contains("Secure"))
            #expect(session.contains("HttpOnly"))

            // The same port without TLS: the handshake fails, no page is served in the clear.
            await #expect(throws: (any Error).self) { _ = try await plain.execute(uri: "/login", method: .get) }
        }
    }

    @Test("a missing file, a file that is not a certificate, and a key of another certificate are each named plainly")
    func badFilesAreNamed() throws {
        let folder = try temporaryDirectory(prefix: "backstride-tls")
        let good = try Self.makeCertificate(in: folder)
        let other = try Self.makeCertificate(in: folder, name: "other")
        let missing = GaitServerConfiguration.TLSFiles(certificateChainPath: folder + "/nope.pem", privateKeyPath: good.privateKeyPath)
        #expect(throws: TLSSetupError.self) { try GaitServer.checkTLS(missing) }
        do { try GaitServer.checkTLS(missing) } catch { #expect(error.description.contains("nope.pem") && error.description.contains("no such file")) }

        let notPEM = folder + "/garbage.pem"
        try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: notPEM))
        do {
            try GaitServer.checkTLS(.init(certificateChainPath: notPEM, privateKeyPath: good.privateKeyPath))
            Issue.record("garbage accepted as a certificate")
        } catch { #expect(error.description.contains("garbage.pem")) }

        do {
            try GaitServer.checkTLS(.init(certificateChainPath: good.certificateChainPath, privateKeyPath: other.privateKeyPath))
            Issue.record("a key of another certificate was accepted")
        } catch { #expect(error.description.contains("does not belong"), "\(error)") }
        try GaitServer.checkTLS(good)
    }
}
