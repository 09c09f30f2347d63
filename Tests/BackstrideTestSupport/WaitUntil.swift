import Foundation

/// Polls `condition` every 50 ms until it holds or `timeoutS` seconds passed; returns whether it held.
public func waitUntil(timeoutS: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeoutS)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}
