import Foundation
import NIOSSL

/// Why the server's certificate or key could not be used: says which file and what is wrong with it.
public struct TLSSetupError: Error, CustomStringConvertible, Equatable {
    public var description: String
}

/// The server side of HTTPS from PEM files (`GaitServerConfiguration.tls`).
enum ServerTLS {
    /// A TLS 1.2+ server configuration with the chain and key of `files`; each file is checked
    /// first, so a wrong path or a key that does not belong to the certificate is named plainly.
    static func configuration(_ files: GaitServerConfiguration.TLSFiles) throws(TLSSetupError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(try readable(files.certificateChainPath, what: "certificate"))
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw TLSSetupError(description: "TLS certificate \(files.certificateChainPath): not a PEM certificate (\(error))")
        }
        guard !chain.isEmpty else {
            throw TLSSetupError(description: "TLS certificate \(files.certificateChainPath): no certificate in the file")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: try readable(files.privateKeyPath, what: "key"), format: .pem)
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw TLSSetupError(description: "TLS key \(files.privateKeyPath): not a PEM private key without a passphrase (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(description: "TLS key \(files.privateKeyPath) does not belong to the certificate \(files.certificateChainPath) (\(error))")
        }
        return configuration
    }

    private static func readable(_ path: String, what: String) throws(TLSSetupError) -> String {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TLSSetupError(description: "TLS \(what) \(path): no such file, or not readable")
        }
        return path
    }
}
