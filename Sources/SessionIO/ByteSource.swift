#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A window onto a file (or an in-memory byte array) that is read in large chunks into one
/// reusable buffer, keeping the partial last line for the next chunk.
///
/// Memory is fixed at `chunkBytes + maxLineBytes + 1` however long the file is. The bytes in
/// `start..<completeEnd` are whole lines, each ending in `\n`; `completeEnd..<end` is an
/// incomplete line waiting for more input.
final class ByteSource {
    let path: String
    let buffer: UnsafeMutablePointer<UInt8>
    let chunkBytes: Int
    let maxLineBytes: Int
    let capacity: Int
    let totalBytes: Int
    /// First byte not yet consumed.
    var start = 0
    /// One past the last '\n' in the buffer (equals `start` when no whole line is buffered).
    var completeEnd = 0
    /// One past the last valid byte.
    var end = 0
    /// Whether the source has no more bytes to give.
    private(set) var atEndOfInput = false
    /// Bytes taken from the source so far.
    private(set) var bytesRead = 0
    private let fileDescriptor: Int32
    private let memory: [UInt8]

    /// Bytes handed on to the parser (read and not still waiting in the buffer).
    var bytesConsumed: Int { bytesRead - (end - start) }

    init(path: String, chunkBytes: Int, maxLineBytes: Int) throws(SessionIOError) {
        let descriptor = open(path, O_RDONLY)
        if descriptor < 0 {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .cannotOpen(path: path, reason: reason)
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw .cannotOpen(path: path, reason: "is a directory")
        }
        self.path = path
        self.fileDescriptor = descriptor
        self.memory = []
        self.totalBytes = Int(status.st_size)
        self.chunkBytes = max(1, chunkBytes)
        self.maxLineBytes = max(16, maxLineBytes)
        self.capacity = self.chunkBytes + self.maxLineBytes + 1
        self.buffer = .allocate(capacity: capacity)
    }

    init(bytes: [UInt8], name: String, chunkBytes: Int, maxLineBytes: Int) {
        self.path = name
        self.fileDescriptor = -1
        self.memory = bytes
        self.totalBytes = bytes.count
        self.chunkBytes = max(1, chunkBytes)
        self.maxLineBytes = max(16, maxLineBytes)
        self.capacity = self.chunkBytes + self.maxLineBytes + 1
        self.buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if fileDescriptor >= 0 { close(fileDescriptor) }
    }

    /// Makes sure a whole line starts at `start`: returns true when `start < completeEnd`, false at
    /// the end of input with nothing left. A last line without '\n' gets one appended, so the
    /// parser only ever sees terminated lines; `lineNumber` is that line's number, for errors.
    func ensureCompleteLine(lineNumber: Int) throws(SessionIOError) -> Bool {
        while completeEnd <= start {
            if end - start > maxLineBytes {
                throw .lineTooLong(path: path, line: lineNumber, limitBytes: maxLineBytes)
            }
            if atEndOfInput {
                if end > start {
                    buffer[end] = UInt8(ascii: "\n")
                    end += 1
                    completeEnd = end
                    return true
                }
                return false
            }
            try refill()
        }
        return true
    }

    /// Moves the unconsumed tail to the front of the buffer and reads more after it.
    private func refill() throws(SessionIOError) {
        if start > 0 {
            let tail = end - start
            if tail > 0 { memmove(buffer, buffer + start, tail) }
            completeEnd = max(0, completeEnd - start)
            end = tail
            start = 0
        }
        let room = capacity - 1 - end
        guard room > 0 else { return }
        let previousEnd = end
        let count: Int
        if fileDescriptor >= 0 {
            var got = 0
            while true {
                got = read(fileDescriptor, buffer + end, room)
                if got >= 0 { break }
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            count = got
        } else {
            count = min(min(room, chunkBytes), memory.count - bytesRead)
            if count > 0 {
                memory.withUnsafeBufferPointer { source in
                    (buffer + end).update(from: source.baseAddress! + bytesRead, count: count)
                }
            }
        }
        if count == 0 {
            atEndOfInput = true
            return
        }
        bytesRead += count
        end += count
        var scan = end
        while scan > previousEnd {
            if buffer[scan - 1] == UInt8(ascii: "\n") {
                completeEnd = scan
                break
            }
            scan -= 1
        }
    }

    /// Copies the whole line at `start` (without "\n" or "\r\n"); call after `ensureCompleteLine`.
    func currentLine() -> [UInt8] {
        var lineEnd = start
        while buffer[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        var contentEnd = lineEnd
        if contentEnd > start && buffer[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
        return Array(UnsafeBufferPointer(start: buffer + start, count: contentEnd - start))
    }

    /// Consumes the line at `start`, up to and including its '\n'.
    func consumeLine() {
        while buffer[start] != UInt8(ascii: "\n") { start += 1 }
        start += 1
    }
}
