import LogscanSupport

/// `together`: every `all` signal present (lines of the others within `window` of a line of
/// the first, if set) and no `none` signal.
public struct TogetherCondition: CauseCondition, Hashable {
    public static let kind = "together"
    public static let keys = ["all", "none", "window"]
    public let all: [String]
    public let none: [String]
    public let window: Duration?

    public init(all: [String], none: [String], window: Duration?) {
        self.all = all; self.none = none; self.window = window
    }

    public init?(reading r: inout ConditionReader) {
        let all = r.list("all")
        guard !all.isEmpty else { r.missing("a non-empty `all` list"); return nil }
        self.init(all: all, none: r.list("none"), window: r.duration("window"))
    }

    public var signalNames: [String] { all + none }

    public var description: String {
        var text = "all of \(all.joined(separator: ", ")) present"
        if let window { text += " within \(window.description)" }
        if !none.isEmpty { text += ", and none of \(none.joined(separator: ", "))" }
        return text
    }

    public func evaluate<Events: ConditionEvents, Edge>(_ input: ConditionInput<Events, Edge>) -> ConditionResult<Edge>? {
        for s in none where !input.events(of: s).isEmpty { return nil }
        var groups: [[UInt32]] = []
        for s in all {
            let list = input.events(of: s)
            guard !list.isEmpty else { return nil }
            groups.append(list)
        }
        let events = input.events
        if let window {
            // Keep the lines of every signal that lie within the window of a line of the first.
            var keep = Set<Int>()
            for anchor in groups[0] {
                guard let t = events.time(at: Int(anchor)) else { continue }
                var picked: [Int] = [Int(anchor)]
                var ok = true
                for g in groups.dropFirst() {
                    let near = g.filter { events.time(at: Int($0)).map { abs($0.nanoseconds - t.nanoseconds) <= window.nanoseconds } ?? false }
                    if near.isEmpty { ok = false; break }
                    picked += near.map { Int($0) }
                }
                if ok { keep.formUnion(picked) }
            }
            guard !keep.isEmpty else { return nil }
            return ConditionResult(indexes: keep.sorted(), reason: "\(all.joined(separator: " + ")) within \(window.description)")
        }
        return ConditionResult(indexes: Set(groups.joined()).map { Int($0) }.sorted(), reason: all.joined(separator: " + "))
    }
}

extension TogetherCondition {
    public func makeTracker() -> any ConditionTracker { Tracker(self) }

    /// How many lines each signal has; with a window, the times of each `all` signal's lines
    /// and the lines of the first that have every other signal within the window (a line of
    /// the first, once it has them, keeps them: lines are only ever added).
    final class Tracker: ConditionTracker {
        let condition: TogetherCondition
        var present: [Int]
        var noneLines = 0
        var times: [[Int64]]
        /// Times of lines of the first signal with every other within the window, and of those
        /// still without.
        var anchored: [Int64] = []
        var waiting: [Int64] = []

        init(_ condition: TogetherCondition) {
            self.condition = condition
            present = Array(repeating: 0, count: condition.all.count)
            times = Array(repeating: [], count: condition.all.count)
        }

        func add(_ event: TrackedEvent) {
            if condition.none.contains(where: event.carries) { noneLines += 1 }
            for (j, signal) in condition.all.enumerated() where event.carries(signal) {
                present[j] += 1
                if condition.window != nil && event.isTimed { times[j].insertSorted(event.time) }
            }
            guard let window = condition.window?.nanoseconds, event.isTimed else { return }
            let t = event.time
            if event.carries(condition.all[0]) {
                if hasOthers(near: t) { anchored.insertSorted(t) } else { waiting.insertSorted(t) }
            }
            // Lines of the first signal within the window of this one may now have every other.
            if condition.all.dropFirst().contains(where: event.carries) {
                let from = waiting.partitionFromEnd { $0 >= t.minus(window) }
                var k = from
                while k < waiting.count && waiting[k] <= t.plus(window) {
                    if hasOthers(near: waiting[k]) {
                        anchored.insertSorted(waiting.remove(at: k))
                    } else {
                        k += 1
                    }
                }
            }
        }

        /// Whether every `all` signal after the first has a line within the window of `t`.
        func hasOthers(near t: Int64) -> Bool {
            let window = condition.window!.nanoseconds
            for list in times.dropFirst() {
                let k = list.partitionFromEnd { $0 >= t.minus(window) }
                if k == list.count || list[k] > t.plus(window) { return false }
            }
            return true
        }

        var holds: Bool {
            guard noneLines == 0, !present.contains(0) else { return false }
            return condition.window == nil || !anchored.isEmpty
        }

        func isEvidence(_ event: TrackedEvent) -> Bool {
            guard holds else { return false }
            guard let window = condition.window?.nanoseconds else { return condition.all.contains(where: event.carries) }
            guard event.isTimed else { return false }
            let t = event.time
            if event.carries(condition.all[0]) && hasOthers(near: t) { return true }
            guard condition.all.dropFirst().contains(where: event.carries) else { return false }
            let k = anchored.partitionFromEnd { $0 >= t.minus(window) }
            return k < anchored.count && anchored[k] <= t.plus(window)
        }
    }
}
