import Foundation
import SessionStore

/// Makes what a physiotherapist opens first, each runner's dashboard row and HTML report, before
/// anyone asks, into the server's `RenderCache`: after gaitd starts, and again for each runner whose
/// revision a write has changed (a run arrived, a pain entry). A runner report of 200 runs takes
/// 40–80 ms of processor time to make; 50 physiotherapists opening 100 runners' reports at once on a
/// cold cache queued behind each other for a second and more (issue 14's figures).
///
/// Most recently changed runners first, and only while the cache stays under half its capacity
/// and keeps what is made, so that warming never pushes out what requests made; the rest are made
/// on demand as before.
/// A request that asks for an entry being warmed waits for it rather than making it again.
public struct ReportWarmer: Sendable {
    let store: any SessionStore
    let cache: RenderCache

    public init(store: any SessionStore, cache: RenderCache) {
        self.store = store
        self.cache = cache
    }

    /// One pass: makes the row and report of every runner whose revision differs from `seen`,
    /// records the revisions it made them at in `seen`, and returns how many runners it made.
    /// `shouldStop` is asked between runners (a shutdown).
    public func warmChanged(seen: inout [Int64: Int64], shouldStop: () -> Bool = { false }) throws -> Int {
        let runners = try store.runners().compactMap(\.id)
        let revisions = try store.runnerRevisions(runners)
        let changed = runners.filter { revisions[$0] != seen[$0] }.sorted { (revisions[$0] ?? 0) > (revisions[$1] ?? 0) }
        var made = 0
        for runner in changed {
            guard !shouldStop(), cache.statistics.bytes < cache.capacityBytes / 2 else { break }
            let revision = revisions[runner] ?? 0
            _ = try DashboardController.cachedRow(runnerID: runner, store: store, cache: cache, revision: revision)
            _ = try ReportController.runnerReport(runner, .html, store: store, cache: cache, revision: revision)
            // A report too big for the cache to keep: warming the others would be work thrown away.
            guard cache.holds("runner-\(runner).html", revision: revision) else { break }
            seen[runner] = revision
            made += 1
        }
        return made
    }
}
