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
