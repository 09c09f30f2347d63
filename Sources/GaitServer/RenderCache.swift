import Dispatch
import Foundation
import Hummingbird
import SessionStore
import Synchronization

/// What the server made from stored data (a rendered report, an encoded API document, a decoded
/// analysis), kept while the store's revision (`SessionStore.revision()`) stays the same, or for
/// what is about one runner (their report, their dashboard row) while that runner's revision
/// (`SessionStore.runnerRevisions`) does: a stored analysis does not change until something is
/// written, so the second request for a report costs one small query instead of decoding every
/// step again, and a run arriving for one runner keeps every other runner's report. Bounded by an
/// estimate of the bytes it holds; the least recently used entries go first. Requests that miss
/// the same entry at once wait for one of them to make it (50 physiotherapists opening one
/// report after a run arrives make it once, not 50 times).
///
/// Entries are keyed by what was made (`"session-3.html"`), never by who asked: callers check
/// access before they ask the cache, and nothing cached depends on the caller.
public final class RenderCache: Sendable {
    /// One cached value with the revision it was made at.
    private struct Entry {
        var revision: Int64
        var value: any Sendable
        var costBytes: Int
        var lastUse: UInt64
    }

    /// A value being made: others who need it at the same revision wait for it.
    private final class Making: @unchecked Sendable {
        let revision: Int64
        /// Left once `value` is set (or making failed and it stays nil).
        let done = DispatchGroup()
        /// Written before `done` is left, read only after waiting for it.
        var value: (any Sendable)?

        init(revision: Int64) {
            self.revision = revision
            done.enter()
        }
    }

    /// What a look-up found: a current value, one being made at the same revision, or nothing
    /// (with the marker of the making it starts, nil when another revision is being made).
    private enum Lookup {
        case hit(any Sendable)
        case wait(Making)
        case make(Making?)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var making: [String: Making] = [:]
        var totalBytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
        var waits = 0
    }

    private let state = Mutex(State())
    /// Largest estimated size kept, bytes.
    public let capacityBytes: Int

    /// A cache of at most `capacityBytes` (estimated). Design choice: 64 MiB holds the reports
    /// of about a hundred one-hour runs, a physiotherapist's morning.
    public init(capacityBytes: Int = 64 << 20) {
        self.capacityBytes = capacityBytes
    }

    /// The value made for `key` at `revision`, made now by `make` when missing or older; `cost`
    /// estimates its size in bytes. A request that misses while another makes the same key at
    /// the same revision waits for that one (blocking its thread: callers are on the store's
    /// dispatch threads, `SessionStore.run`, never on Swift's cooperative pool) and makes it
    /// itself only if that failed.
    public func value<T: Sendable>(_ key: String, revision: Int64, cost: (T) -> Int, make: () throws -> T) rethrows -> T {
        let lookup: Lookup = state.withLock { state in
            state.clock += 1
            if var entry = state.entries[key], entry.revision == revision, let value = entry.value as? T {
                entry.lastUse = state.clock
                state.entries[key] = entry
                state.hits += 1
                return .hit(value)  // of type T, checked above
            }
            if let making = state.making[key], making.revision == revision {
                state.waits += 1
                return .wait(making)
            }
            state.misses += 1
            guard state.making[key] == nil else { return .make(nil) }  // an older revision is being made: not ours to wait for
            let making = Making(revision: revision)
            state.making[key] = making
            return .make(making)
        }
        let making: Making?
        switch lookup {
        case .hit(let value): return value as! T
        case .wait(let other):
            other.done.wait()
            if let value = other.value as? T { return value }
            making = nil
        case .make(let mine): making = mine
        }
        let value: T
        do {
            value = try make()
        } catch {
            if let making { finish(making, key: key, value: nil) }
            throw error
        }
        let bytes = cost(value)
        state.withLock { state in
            guard bytes <= capacityBytes / 4 else { return }  // one huge report must not empty the cache
            if let old = state.entries[key] {
                guard old.revision <= revision else { return }  // a newer one is already kept
                state.totalBytes -= old.costBytes
            }
            state.entries[key] = Entry(revision: revision, value: value, costBytes: bytes, lastUse: state.clock)
            state.totalBytes += bytes
            while state.totalBytes > capacityBytes, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.totalBytes -= oldest.value.costBytes
                state.entries[oldest.key] = nil
            }
        }
        if let making { finish(making, key: key, value: value) }
        return value
    }

    /// Hands what was made (nil: making failed) to those waiting for it.
    private func finish(_ making: Making, key: String, value: (any Sendable)?) {
        making.value = value
        state.withLock { state in
            if state.making[key] === making { state.making[key] = nil }
        }
        making.done.leave()
    }

    /// The cached text for `key` at `revision`, rendered by `make` when missing.
    public func text(_ key: String, revision: Int64, make: () throws -> String) rethrows -> String {
        try value(key, revision: revision, cost: { $0.utf8.count }, make: make)
    }

    /// Whether a value for `key` at `revision` is kept (without counting a hit).
    public func holds(_ key: String, revision: Int64) -> Bool {
        state.withLock { $0.entries[key]?.revision == revision }
    }

    /// Hits, misses (values made) and waits for a value another request was making so far, and
    /// the estimated bytes held (for tests and `gait bench`).
    public var statistics: (hits: Int, misses: Int, waits: Int, bytes: Int) {
        state.withLock { ($0.hits, $0.misses, $0.waits, $0.totalBytes) }
    }

    /// The value for `key` at `store`'s current revision, made by `make` when missing or older,
    /// with its entity tag: the one read of the revision a cached answer needs.
    public func current<T: Sendable>(_ key: String, in store: any SessionStore, cost: @escaping @Sendable (T) -> Int,
                                     make: @escaping @Sendable (any SessionStore) throws -> T) async throws -> (value: T, tag: String) {
        try await store.run { store in
            let revision = try store.revision()
            return (try self.value(key, revision: revision, cost: cost) { try make(store) }, Self.entityTag(key, revision: revision))
        }
    }

    /// 304 when the request holds the copy tagged `tag`, else `full()` with that tag and the
    /// revalidating `Cache-Control`.
    public static func respond(to request: Request, tag: String, with full: () throws -> Response) rethrows -> Response {
        if requestHasCurrentCopy(request, tag: tag) { return notModified(tag: tag) }
        var response = try full()
        response.headers[.eTag] = tag
        response.headers[.cacheControl] = revalidate
        return response
    }

    /// The entity tag of what `key` names at `revision`: strong, since equal revisions give the
    /// same bytes.
    public static func entityTag(_ key: String, revision: Int64) -> String {
        "\"\(revision)-\(key)\""
    }

    /// Whether the request's `If-None-Match` names `tag` (or is `*`), so 304 may answer it.
    public static func requestHasCurrentCopy(_ request: Request, tag: String) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        return header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
        }
    }

    /// 304 Not Modified for `tag`, with the same caching headers as the full answer.
    public static func notModified(tag: String) -> Response {
        Response(status: .notModified, headers: [.eTag: tag, .cacheControl: revalidate])
    }

    /// Browsers keep a report but ask each time whether it is still current (a new pain entry or
    /// re-analysis changes it); private, since it is one runner's health data.
    public static let revalidate = "private, no-cache"
}
