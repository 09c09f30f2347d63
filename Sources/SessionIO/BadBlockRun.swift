import ClipProtocol

/// Consecutive bad blocks of a clip session rejected for the same kind of reason: one entry for a
/// zero-filled region of millions of blocks, so that what a reader keeps about a damaged file
/// stays bounded whatever the file holds.
public struct BadBlockRun: Sendable, Equatable, CustomStringConvertible {
    /// The first block of the run (its index in the session; 0 is the header).
    public var firstBlock: Int
    /// The last block of the run (equal to `firstBlock` for a single block).
    public var lastBlock: Int
    /// Why the first block of the run was rejected (the others were rejected for the same kind of reason).
    public var reason: BadBlockReason

    public init(firstBlock: Int, lastBlock: Int, reason: BadBlockReason) {
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.reason = reason
    }

    /// Blocks in the run.
    public var blockCount: Int { lastBlock - firstBlock + 1 }

    /// "block 3: CRC …" or "blocks 5–4000000: zero-filled (…)".
    public var description: String {
        firstBlock == lastBlock ? "block \(firstBlock): \(reason)" : "blocks \(firstBlock)–\(lastBlock): \(reason)"
    }

    /// Whether `block`, rejected for `reason`, continues this run.
    func isContinued(by block: Int, _ reason: BadBlockReason) -> Bool {
        block == lastBlock + 1 && Self.kind(of: reason) == Self.kind(of: self.reason)
    }

    /// The reason's case, ignoring its values (two CRC mismatches are the same kind of damage).
    static func kind(of reason: BadBlockReason) -> Int {
        switch reason {
        case .erased: 0
        case .zeroFilled: 1
        case .partiallyWritten: 2
        case .crcMismatch: 3
        case .badMagic: 4
        case .wrongSequence: 5
        case .wrongSession: 6
        case .sampleCountOutOfRange: 7
        case .gyroscopeFlagMismatch: 8
        case .sampleIndexGap: 9
        case .truncated: 10
        case .unsupportedFormat: 11
        case .noValidHeader: 12
        case .outOfRange: 13
        case .ticksWentBackwards: 14
        }
    }
}
