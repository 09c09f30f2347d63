import BackstrideTestSupport
import Foundation
import Testing

/// `.ownThreads` really takes blocking tests off the cooperative pool: 48 child tasks that each
/// block their thread for 0.3 s finish together. On the pool (one thread per core) they would
/// take 48 × 0.3 s / cores: 7.2 s on CI's two cores, over 2 s on anything below eight.
@Suite(.ownThreads) struct OwnThreadsTests {
    @Test func blockingChildTasksDoNotWaitForEachOther() async {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<48 { group.addTask { blockThread(seconds: 0.3) } }
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(2), "48 blocked tasks took \(elapsed) on \(cores) cores: they shared the cooperative pool")
    }
}

/// What a blocking test does: holds its thread without yielding (usleep, as a child process wait would).
private func blockThread(seconds: Double) { usleep(UInt32(seconds * 1_000_000)) }
