import ClipProtocol
import Foundation

/// What one sync of one clip did.
public struct SyncReport: Sendable, Equatable, CustomStringConvertible {
    /// One line for the terminal and the log: "clip BSC-0001: 2 stored, 1 already stored, …, 2 erased on the clip".
    public var description: String {
        var parts = ["clip \(serial): \(stored.count) stored"]
        if !alreadyStored.isEmpty { parts.append("\(alreadyStored.count) already stored") }
        if !resumed.isEmpty { parts.append("\(resumed.count) resumed") }
        if rereadBlocks > 0 { parts.append("\(rereadBlocks) block(s) read again") }
        if !failed.isEmpty { parts.append("\(failed.count) failed") }
        if !recording.isEmpty { parts.append("\(recording.count) still recording") }
        parts.append("\(erased.count) erased on the clip")
        return parts.joined(separator: ", ")
    }

    /// The clip's serial.
    public var serial: String
    /// Sessions downloaded, verified and stored by this sync.
    public var stored: [StoredSession] = []
    /// Sessions that were already in the archive (only acknowledged again, never stored twice).
    public var alreadyStored: [UInt32] = []
    /// Sessions the clip erased after they were stored.
    public var erased: [UInt32] = []
    /// Sessions whose download resumed, with the bytes that were already on disk.
    public var resumed: [UInt32: Int] = [:]
    /// Sessions that could not be stored (blocks that stayed bad after re-reading); left on the clip.
    public var failed: [UInt32: String] = [:]
    /// Sessions still being recorded, skipped.
    public var recording: [UInt32] = []
    /// Block re-reads after a checksum mismatch.
    public var rereadBlocks = 0
    /// How far the clip's clock was off the host's when it was set, seconds (nil: left alone).
    public var clockCorrectionS: Double?

    public init(serial: String) { self.serial = serial }
}

/// Downloads every new session from one clip into a `SessionArchive`: reads it in pieces
/// (resuming an interrupted download), verifies every block and the session checksum, re-reads
/// bad blocks, stores it durably, and only then acknowledges it so the clip may erase it.
public final class ClipSynchronizer {
    /// The conversation with the clip.
    public let client: ClipClient
    /// Where sessions go.
    public let archive: SessionArchive
    /// Whether stored sessions are acknowledged (the clip then erases them).
    public var erase: Bool
    /// Times a bad block is read again before the session is given up for this sync.
    public var rereadAttempts: Int
    /// Called with a line of progress for the user.
    public var progress: (@Sendable (String) -> Void)?

    /// Creates a synchronizer.
    public init(client: ClipClient, archive: SessionArchive, erase: Bool = true, rereadAttempts: Int = 3) {
        self.client = client
        self.archive = archive
        self.erase = erase
        self.rereadAttempts = rereadAttempts
    }

    /// Syncs the clip. Throws only when the clip cannot be talked to at all or the archive cannot
    /// be written; a clip unplugged mid-way throws `.disconnected` after keeping what was stored.
    public func run() throws(ClipSyncError) -> SyncReport {
        try client.hello()
        let info = try client.info()
        var report = SyncReport(serial: info.serial)
        let clock = try client.clock()
        let hostNow = Self.hostNowMicroseconds()
        report.clockCorrectionS = try correctClock(clock, hostNowMicroseconds: hostNow)
        let entries = try client.listSessions()
        let starts = SessionStartTime.measure(entries: entries, clock: clock, hostNowMicroseconds: hostNow)
        progress?("clip \(info.serial): \(entries.count) session(s) on the clip")
        for entry in entries {
            if entry.flags.contains(.recording) {
                report.recording.append(entry.id)
                continue
            }
            if archive.stored(serial: info.serial, id: entry.id, checksum: entry.checksum) != nil {
                report.alreadyStored.append(entry.id)
            } else {
                guard var record = try download(entry, serial: info.serial, report: &report) else { continue }
                if let start = starts[entry.id] {
                    record.start = start
                    record.startUTCSeconds = start.startUTCSeconds
                }
                try archive.commit(record)
                report.stored.append(record)
                progress?("stored session \(entry.id): \(record.sampleCount) samples" + (record.isComplete ? "" : " (incomplete: \(record.badBlocks.count) bad block(s))"))
            }
            if erase, try client.acknowledgeAndErase(id: entry.id, checksum: entry.checksum) {
                report.erased.append(entry.id)
            }
        }
        return report
    }

    static func hostNowMicroseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1e6).rounded()) }

    /// The clip's clock (`state`, read at the host's `hostNow`) is set from the host's when it was
    /// never set or is more than `clockToleranceS` off; the drift it keeps is left as it is
    /// (estimating drift needs two readings hours apart: Firmware-protocol §5.3). Returns the
    /// correction applied, seconds.
    func correctClock(_ state: ClockState, hostNowMicroseconds hostNow: Int64) throws(ClipSyncError) -> Double? {
        if let clipNow = state.utcMicroseconds(atTicks: state.deviceTicks), abs(Double(clipNow - hostNow)) <= clockToleranceS * 1e6 {
            return nil
        }
        let offset = state.utcMicroseconds(atTicks: state.deviceTicks).map { Double(hostNow - $0) / 1e6 } ?? .infinity
        try client.setClock(utcMicroseconds: Self.hostNowMicroseconds(), driftPartsPerBillion: state.driftPartsPerBillion)
        progress?(offset.isFinite ? String(format: "clip clock corrected by %+.3f s", offset) : "clip clock set (it had never been set)")
        return offset
    }

    /// Clock error tolerated before the clip's clock is set, seconds.
    public var clockToleranceS: Double = 1

    /// Downloads and verifies one session; nil (with `report.failed` set) if it stays bad.
    func download(_ entry: SessionEntry, serial: String, report: inout SyncReport) throws(ClipSyncError) -> StoredSession? {
        let length = Int(entry.byteLength)
        var bytes = archive.resumablePrefix(serial: serial, id: entry.id, checksum: entry.checksum)
        if bytes.count > length { bytes = [] }
        if !bytes.isEmpty { report.resumed[entry.id] = bytes.count }
        while bytes.count < length {
            let want = UInt32(min(Int(ReadSessionRequest.maxLength), length - bytes.count))
            let chunk = try client.readSession(id: entry.id, offset: UInt32(bytes.count), length: want)
            if chunk.isEmpty { break }
            try archive.appendPartial(chunk, serial: serial, id: entry.id, checksum: entry.checksum)
            bytes += chunk
        }
        guard bytes.count == length else {
            report.failed[entry.id] = "the clip sent \(bytes.count) of \(length) bytes"
            return nil
        }
        if SessionChecksum.compute(bytes) != entry.checksum {
            try reread(entry, serial: serial, bytes: &bytes, report: &report)
            guard SessionChecksum.compute(bytes) == entry.checksum else {
                let bad = SessionBlockDecoder.decode(bytes, decodeSamples: false).badBlocks
                report.failed[entry.id] = "checksum mismatch after re-reading; bad: " + (bad.isEmpty ? "unknown blocks" : bad.map(\.description).joined(separator: ", "))
                // Keep only the prefix that verifies, so the next sync re-reads the rest.
                let firstBad = bad.first?.index ?? 0
                archive.truncatePartial(serial: serial, id: entry.id, checksum: entry.checksum, to: firstBad * SessionHeader.blockSize)
                return nil
            }
            try archive.rewritePartial(bytes, serial: serial, id: entry.id, checksum: entry.checksum)
        }
        let decoded = SessionBlockDecoder.decode(bytes, decodeSamples: false)
        let start: Double? = entry.startUTCMicroseconds == SessionHeader.utcNotSet ? nil : Double(entry.startUTCMicroseconds) / 1e6
        return StoredSession(
            serial: serial, sessionID: entry.id, checksum: entry.checksum, byteLength: length,
            sampleCount: Int(entry.sampleCount), sampleRateHz: Double(entry.sampleRateMilliHz) / 1000,
            startUTCSeconds: start, hasGyroscope: entry.flags.contains(.hasGyroscope),
            isComplete: decoded.isComplete && !entry.flags.contains(.incomplete),
            badBlocks: decoded.badBlocks.map(\.description), storedAtSeconds: Date().timeIntervalSince1970,
            fileName: (archive.sessionPath(serial: serial, id: entry.id, checksum: entry.checksum) as NSString).lastPathComponent)
    }

    /// Re-reads the blocks that fail their own CRC (a byte corrupted in transfer), a few times.
    func reread(_ entry: SessionEntry, serial: String, bytes: inout [UInt8], report: inout SyncReport) throws(ClipSyncError) {
        let blockSize = SessionHeader.blockSize
        for _ in 0..<rereadAttempts {
            let bad = SessionBlockDecoder.decode(bytes, decodeSamples: false).badBlocks.map(\.index)
            guard !bad.isEmpty else { return }
            for index in bad {
                let offset = index * blockSize
                guard offset < bytes.count else { continue }
                let count = min(blockSize, bytes.count - offset)
                let fresh = try client.readSession(id: entry.id, offset: UInt32(offset), length: UInt32(count))
                report.rereadBlocks += 1
                guard fresh.count == count else { continue }
                bytes.replaceSubrange(offset..<(offset + count), with: fresh)
            }
            if SessionChecksum.compute(bytes) == entry.checksum { return }
        }
    }
}
