import Dispatch
import Foundation
import SessionStore

/// How long an ingest holds the store's write lock, and what another writer waits meanwhile
/// (`gait bench`; meaningful from a release build).
public enum IngestBenchmark {
    /// What one measured ingest did.
    public struct Result: Sendable {
        /// The whole ingest (read, analyse, encode, flags, write), seconds.
        public var ingestS: Double
        /// The write transaction, seconds: the longest the store was locked for writers.
        public var writeLockS: Double
        /// The longest a small write from a second connection (as another process: `gait pain`
        /// while gaitd imports) took during the ingest, seconds, and how many it made.
        public var otherWriterMaxS: Double
        public var otherWriterCount: Int
        /// The longest a listing read from a third connection took meanwhile, seconds (WAL:
        /// readers never wait for the writer), and how many it made.
        public var readerMaxS: Double
        public var readerCount: Int
    }

    /// Ingests `path` into a fresh store in a temporary folder while a second connection to the
    /// same database writes a row every 5 ms and a third lists the sessions every 5 ms.
    public static func measure(path: String) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backstride-ingest-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = folder + "/bench.sqlite"
        let store = try SQLiteSessionStore(path: database)
        let other = try SQLiteSessionStore(path: database)
        let reading = try SQLiteSessionStore(path: database)
        let done = DispatchSemaphore(value: 0)
        let stop = StopFlag()
        let worst = WorstWait(), worstRead = WorstWait()
        let writer = Thread {
            var n = 0
            while !stop.isSet {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try? other.runner(named: "writer \(n)", create: true)
                worst.record(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                n += 1
                Thread.sleep(forTimeInterval: 0.005)
            }
            done.signal()
        }
        writer.start()
        let reader = Thread {
            while !stop.isSet {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try? reading.sessions(limit: 20)
                worstRead.record(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                Thread.sleep(forTimeInterval: 0.005)
            }
            done.signal()
        }
        reader.start()
        let start = DispatchTime.now().uptimeNanoseconds
        let result: IngestResult
        do {
            result = try SessionIngest(store: store, spoolDirectory: folder).ingestFile(path: path)
        } catch {
            stop.set()
            done.wait()
            done.wait()
            throw error
        }
        let ingestS = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        stop.set()
        done.wait()
        done.wait()
        return Result(ingestS: ingestS, writeLockS: result.writeLockS, otherWriterMaxS: worst.maxS, otherWriterCount: worst.count,
                      readerMaxS: worstRead.maxS, readerCount: worstRead.count)
    }
}

private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

private final class WorstWait: @unchecked Sendable {
    private let lock = NSLock()
    private var worst = 0.0
    private var n = 0
    func record(_ seconds: Double) { lock.withLock { worst = max(worst, seconds); n += 1 } }
    var maxS: Double { lock.withLock { worst } }
    var count: Int { lock.withLock { n } }
}
