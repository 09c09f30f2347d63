#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SessionIO
import SessionStore

extension SessionIngest {
    /// The file's `ContentHash` (its identity in the store), read in 1 MiB pieces with
    /// `isCancelled` polled between them: hashing a file of hundreds of megabytes takes seconds,
    /// and a daemon shutting down must not wait for it.
    static func contentHash(path: String, isCancelled: (@Sendable () -> Bool)?) throws(SessionIngestError) -> String {
        guard let isCancelled else {
            do { return try ContentHash.ofFile(path: path) } catch { throw .store(error) }
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .store(.unreadableInput(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var hash = ContentHash()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            if isCancelled() { throw .unreadable(.cancelled(path: path)) }
            let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .store(.unreadableInput(path: path, reason: String(cString: strerror(errno))))
            }
            if got == 0 { break }
            hash.update(buffer[0..<got])
        }
        return hash.hexDigest()
    }
}
