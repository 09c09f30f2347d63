import Foundation
import SessionStore

/// Random tokens for logins and CSRF, and the hash under which a login token is stored.
enum LoginTokens {
    /// 32 random bytes from the system's CSPRNG, as 64 hex digits.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// SHA-256 of the token: the store never holds a usable token.
    static func hash(_ token: String) -> String {
        ContentHash.of(Array(token.utf8))
    }

    /// Compares two strings in time that depends only on their length (tokens are fixed-length).
    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
