import Foundation
import Hummingbird
import SessionStore

/// The one password check of the server (`/login` and `POST /api/v1/tokens`): rate-limited per
/// account name and client address, bcrypt on its own pool, and as slow for an unknown name as
/// for a known one.
struct PasswordCheck: Sendable {
    let store: any SessionStore
    let configuration: GaitServerConfiguration
    let throttle: LoginThrottle

    /// A right password for an account an administrator disabled.
    struct AccountDisabled: Error {
        let message = "This account is disabled; ask the clinic's administrator."
    }

    /// The account when `password` is its password, nil when not (or no such account); throws
    /// `LoginThrottle.Refusal` while the name or the address must wait, and `AccountDisabled` for
    /// the right password of a disabled account (after the same bcrypt time as any other).
    func verify(username: String, password: String, address: String) async throws -> AccountRecord? {
        let key = AccountName.normalised(username)
        try await throttle.begin(account: key, address: address, now: configuration.now())
        let account = try await store.run { try $0.account(username: username) }
        // An unknown name is checked against a stand-in hash at the configured cost: same time.
        let hash: String
        if let account { hash = account.passwordHash } else { hash = try await PasswordHasher.standInHash(cost: configuration.passwordHashCost) }
        guard try await PasswordHasher.verify(password, hash: hash), let account else { return nil }
        await throttle.succeeded(account: key, address: address)
        guard account.disabledAt == nil else { throw AccountDisabled() }
        return account
    }

    /// The 429 answer's headers: how many seconds to wait.
    static func retryAfterHeaders(_ refusal: LoginThrottle.Refusal) -> HTTPFields {
        [.retryAfter: String(refusal.retryAfterS)]
    }
}
