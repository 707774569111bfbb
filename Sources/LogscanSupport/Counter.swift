import Foundation

/// Hands out 0, 1, 2, … once each to workers that take them concurrently.
package final class Counter: @unchecked Sendable {
    // SAFETY: guarded by `lock`.
    private let lock = NSLock()
    private var value = 0
    package init() {}
    package func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
