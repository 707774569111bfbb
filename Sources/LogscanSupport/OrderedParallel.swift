import Foundation

/// Produces items 0..<count on several threads and hands them to one consumer in order,
/// with at most `window` items made but not yet consumed, so memory stays bounded however
/// many items there are (a long timeline rendered in parts, written as the parts come).
public enum OrderedParallel {
    /// Calls `produce` for every index on `workers` threads (each worker gets its own state
    /// from `makeState`) and `consume` on the calling thread, in index order.
    public static func run<State, Item>(count: Int, workers: Int, window: Int,
                                        makeState: @escaping @Sendable () -> State,
                                        produce: @escaping @Sendable (inout State, Int) -> Item,
                                        consume: (Item) -> Void) {
        guard count > 0 else { return }
        let queue = Queue<Item>(count: count, window: max(1, window))
        let group = DispatchGroup()
        for _ in 0..<max(1, min(workers, count)) {
            DispatchQueue.global().async(group: group) {
                var state = makeState()
                while let index = queue.claim() { queue.put(produce(&state, index), at: index) }
            }
        }
        for index in 0..<count {
            consume(queue.take(index))
            queue.release(index)
        }
        group.wait()
    }

    private final class Queue<Item>: @unchecked Sendable {
        // SAFETY: every field is read and written under `condition`.
        private let condition = NSCondition()
        private var ready: [Int: Item] = [:]
        private var next = 0
        private var consumed = 0
        private let count: Int
        private let window: Int

        init(count: Int, window: Int) { self.count = count; self.window = window }

        /// The next index to produce, once it is within the window; nil when all are claimed.
        func claim() -> Int? {
            condition.lock(); defer { condition.unlock() }
            while next < count && next >= consumed + window { condition.wait() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }

        func put(_ item: Item, at index: Int) {
            condition.lock(); defer { condition.unlock() }
            ready[index] = item
            condition.broadcast()
        }

        func take(_ index: Int) -> Item {
            condition.lock(); defer { condition.unlock() }
            while ready[index] == nil { condition.wait() }
            return ready.removeValue(forKey: index)!
        }

        /// Item `index` has been consumed: its place in the window is free.
        func release(_ index: Int) {
            condition.lock(); defer { condition.unlock() }
            consumed = index + 1
            condition.broadcast()
        }
    }
}
