import Foundation

/// Rate limits on password checks (`/login` and `POST /api/v1/tokens`), per account name and per
/// client address, with exponential backoff.
///
/// Every attempt counts as a failure when it starts (so 32 guesses sent at once cannot all pass
/// the check before the first one fails); a correct password takes its account's count back to
/// zero and its address's count down by one. Past the free attempts, each further failure doubles
/// the wait before the next attempt is heard, up to `maximumDelayS`; while an account is locked
/// even its right password is answered 429, with `Retry-After`. Unknown names are counted like
/// known ones, so the lockout tells nothing about which accounts exist.
actor LoginThrottle {
    /// How many failures are free and how the wait grows after them.
    struct Limits: Sendable {
        /// Failures of one account name before it waits (design choice: five typos).
        var freeFailuresPerAccount: Int
        /// Failures from one client address, all names together, before it waits.
        var freeFailuresPerAddress: Int
        /// The wait after the first failure beyond the free ones, seconds; doubles with each further one.
        var firstDelayS: Double
        /// The longest wait, seconds.
        var maximumDelayS: Double
        /// Failures older than this are forgotten, seconds.
        var forgetAfterS: Double

        /// 5 failures per account, 20 per address, then 2 s doubling up to 15 min; forgotten after 1 h.
        init(freeFailuresPerAccount: Int = 5, freeFailuresPerAddress: Int = 20, firstDelayS: Double = 2,
             maximumDelayS: Double = 900, forgetAfterS: Double = 3600) {
            self.freeFailuresPerAccount = freeFailuresPerAccount
            self.freeFailuresPerAddress = freeFailuresPerAddress
            self.firstDelayS = firstDelayS
            self.maximumDelayS = maximumDelayS
            self.forgetAfterS = forgetAfterS
        }
    }

    /// A refused attempt: how long until the next one is heard.
    struct Refusal: Error, Sendable {
        /// Seconds to wait (at least 1).
        var retryAfterS: Int
        /// The sentence a client reads.
        var message: String {
            "Too many failed logins for this account or from this address; try again in \(retryAfterS) seconds."
        }
    }

    private struct Record {
        var failures = 0
        var lastFailure = Date.distantPast
        var blockedUntil = Date.distantPast
    }

    /// The most names and addresses remembered; the oldest quiet ones are dropped first.
    static let maximumRecords = 20_000

    let limits: Limits
    private var accounts: [String: Record] = [:]
    private var addresses: [String: Record] = [:]

    init(limits: Limits) { self.limits = limits }

    /// Starts an attempt: throws `Refusal` while the account or the address waits, else counts it
    /// as a failure until `succeeded` says otherwise.
    func begin(account: String, address: String, now: Date) throws {
        var accountRecord = Self.current(accounts[account], now: now, forgetAfterS: limits.forgetAfterS)
        var addressRecord = Self.current(addresses[address], now: now, forgetAfterS: limits.forgetAfterS)
        let until = max(accountRecord.blockedUntil, addressRecord.blockedUntil)
        if until > now { throw Refusal(retryAfterS: max(1, Int((until.timeIntervalSince(now)).rounded(.up)))) }
        fail(&accountRecord, free: limits.freeFailuresPerAccount, now: now)
        fail(&addressRecord, free: limits.freeFailuresPerAddress, now: now)
        accounts[account] = accountRecord
        addresses[address] = addressRecord
        if accounts.count + addresses.count > Self.maximumRecords { prune(now: now) }
    }

    /// The attempt was the right password: the account starts afresh, the address gets its attempt back.
    func succeeded(account: String, address: String) {
        accounts[account] = nil
        if var record = addresses[address] {
            record.failures = max(0, record.failures - 1)
            if record.failures < limits.freeFailuresPerAddress { record.blockedUntil = .distantPast }
            addresses[address] = record
        }
    }

    private func fail(_ record: inout Record, free: Int, now: Date) {
        record.failures += 1
        record.lastFailure = now
        // The failure that uses up the free ones starts the first wait.
        let beyond = record.failures - free + 1
        if beyond > 0 {
            let delay = min(limits.maximumDelayS, limits.firstDelayS * pow(2, Double(min(beyond - 1, 30))))
            record.blockedUntil = now.addingTimeInterval(delay)
        }
    }

    private static func current(_ record: Record?, now: Date, forgetAfterS: Double) -> Record {
        guard let record, now.timeIntervalSince(record.lastFailure) < forgetAfterS || record.blockedUntil > now else { return Record() }
        return record
    }

    private func prune(now: Date) {
        let keep = { (record: Record) in record.blockedUntil > now || now.timeIntervalSince(record.lastFailure) < self.limits.forgetAfterS }
        accounts = accounts.filter { keep($0.value) }
        addresses = addresses.filter { keep($0.value) }
        // Still too many (a flood of new names): forget the quietest half of the names.
        if accounts.count > Self.maximumRecords / 2 {
            let sorted = accounts.sorted { $0.value.lastFailure < $1.value.lastFailure }
            for (name, _) in sorted.prefix(accounts.count / 2) { accounts[name] = nil }
        }
    }
}
