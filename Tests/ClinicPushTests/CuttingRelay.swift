import Foundation

/// A loopback TCP relay to a server that cuts the connections in flight, once, when the bytes it
/// has sent upstream reach `cutAfterBytes`: a connection lost in the middle of a chunk, for real.
final class CuttingRelay: @unchecked Sendable {
    let port: Int
    let upstreamPort: Int
    let cutAfterBytes: Int
    private let listener: Int32
    private let lock = NSLock()
    private var forwarded = 0
    private var didCut = false

    /// Whether the cut has happened.
    var hasCut: Bool { lock.withLock { didCut } }

    init(upstreamPort: Int, cutAfterBytes: Int) throws {
        self.upstreamPort = upstreamPort
        self.cutAfterBytes = cutAfterBytes
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard descriptor >= 0, bound == 0, listen(descriptor, 16) == 0 else { throw FixtureError("relay: cannot listen (\(errno))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting (connections in flight end with their peers).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            if connected != 0 {
                close(client)
                close(upstream)
                continue
            }
            Thread { [self] in pump(from: client, to: upstream, countsTowardsCut: true); shutdown(client, Int32(SHUT_RDWR)); shutdown(upstream, Int32(SHUT_RDWR)) }.start()
            Thread { [self] in
                pump(from: upstream, to: client, countsTowardsCut: false)
                shutdown(client, Int32(SHUT_RDWR)); shutdown(upstream, Int32(SHUT_RDWR))
                // Both directions end here or in the other thread; give it a moment before closing.
                Thread.sleep(forTimeInterval: 0.2)
                close(client); close(upstream)
            }.start()
        }
    }

    private func pump(from source: Int32, to destination: Int32, countsTowardsCut: Bool) {
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress!, $0.count) }
            if count <= 0 { return }
            var sendCount = count
            var cutNow = false
            if countsTowardsCut {
                lock.withLock {
                    if !didCut && forwarded + count >= cutAfterBytes {
                        sendCount = max(0, cutAfterBytes - forwarded)
                        didCut = true
                        cutNow = true
                    }
                    forwarded += sendCount
                }
            }
            var sent = 0
            while sent < sendCount {
                let written = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + sent, sendCount - sent) }
                if written <= 0 { return }
                sent += written
            }
            if cutNow { return }
        }
    }
}
