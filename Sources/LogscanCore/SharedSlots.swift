import Foundation

/// Lets concurrent workers write distinct slots of one buffer.
struct SharedSlots<T>: @unchecked Sendable {
    // SAFETY: each index is written by one worker only (a loop index, or one handed out by a
    // `Counter`), and read only after every worker is done.
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

/// Hands out 0, 1, 2, … once each to workers that take them concurrently.
final class Counter: @unchecked Sendable {
    // SAFETY: guarded by `lock`.
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
