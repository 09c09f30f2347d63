/// How complete a copy of a clip session is, from what the file itself says: the samples of the
/// blocks that verified against the data blocks the file holds (a truncated tail, blocks that
/// failed their check, a zero-filled region). A `.bsession` declares no length (Firmware-protocol
/// §6), so a copy cut exactly on a block boundary reads as complete; it still has fewer samples
/// than the whole copy, which is what decides which copy the store keeps.
public struct ClipSessionCompleteness: Sendable, Equatable {
    /// Samples in the data blocks that verified (what the store keeps as raw samples).
    public var sampleCount: Int
    /// Data blocks in the file, a trailing partial block included.
    public var dataBlockCount: Int
    /// Data blocks rejected (their samples are absent).
    public var badBlockCount: Int
    /// The first runs of bad blocks (at most `ClipSessionReader.retainedBadBlockRunLimit`).
    public var badBlockRuns: [BadBlockRun]

    public init(sampleCount: Int, dataBlockCount: Int, badBlockCount: Int, badBlockRuns: [BadBlockRun]) {
        self.sampleCount = sampleCount
        self.dataBlockCount = dataBlockCount
        self.badBlockCount = badBlockCount
        self.badBlockRuns = badBlockRuns
    }

    /// True when every data block verified.
    public var isComplete: Bool { badBlockCount == 0 }

    /// Why the copy is incomplete, in one line (nil when it is complete): how many blocks are bad
    /// and the first runs of them, e.g. "1 bad block of 8 data blocks, its samples absent (block 8: only 256 of 512 bytes)".
    public var incompleteReason: String? {
        guard badBlockCount > 0 else { return nil }
        let shown = badBlockRuns.prefix(Self.runsInReason).map(\.description)
        let more = badBlockRuns.count > Self.runsInReason || badBlockRuns.reduce(0) { $0 + $1.blockCount } < badBlockCount
        let bad = badBlockCount == 1 ? "1 bad block" : "\(badBlockCount) bad blocks"
        let blocks = dataBlockCount == 1 ? "data block" : "data blocks"
        let samples = badBlockCount == 1 ? "its samples absent" : "their samples absent"
        return "\(bad) of \(dataBlockCount) \(blocks), \(samples) (\(shown.joined(separator: "; "))\(more ? "; …" : ""))"
    }

    /// Runs of bad blocks named in `incompleteReason`.
    static let runsInReason = 3
}
