import LogscanSupport

/// `distinct`: `min` or more distinct values of the capture `capture` on `signal` lines
/// (compared without case, braces, angle brackets or blanks around them).
public struct DistinctCondition: CauseCondition, Hashable {
    public static let kind = "distinct"
    public static let keys = ["signal", "capture", "min"]
    public let signal: String
    public let capture: String
    public let min: Int

    public init(signal: String, capture: String, min: Int) {
        self.signal = signal; self.capture = capture; self.min = min
    }

    public init?(reading r: inout ConditionReader) {
        guard let signal = r.string("signal"), let capture = r.string("capture") else { r.missing("`signal` and `capture`"); return nil }
        guard let min = r.count("min") else { r.missing("a whole `min` count"); return nil }
        self.init(signal: signal, capture: capture, min: min)
    }

    public var signalNames: [String] { [signal] }
    public var captureNames: [String] { [capture] }

    public var description: String { "\(min) or more distinct \(capture) values on \(signal) lines" }

    /// The value as compared, or nil when the line has none.
    func value(in captures: [String: String]) -> String? {
        guard let raw = captures[capture] else { return nil }
        // Native trimming: Foundation's goes through NSString and UTF-16, which cost
        // 25 000 instructions per device-ID line of a fleet.
        let value = raw.trimming { $0 == "{" || $0 == "}" || $0 == "<" || $0 == ">" || $0 == " " || $0 == "\t" }.lowercased()
        return value.isEmpty ? nil : value
    }

    public func evaluate<Events: ConditionEvents, Edge>(_ input: ConditionInput<Events, Edge>) -> ConditionResult<Edge>? {
        var firstOf: [String: Int] = [:]
        for i32 in input.events(of: signal) {
            let i = Int(i32)
            guard let value = value(in: input.events.captures(at: i)) else { continue }
            if firstOf[value] == nil { firstOf[value] = i }
        }
        guard firstOf.count >= min else { return nil }
        return ConditionResult(indexes: Array(firstOf.values).sorted(), reason: "\(firstOf.count) distinct values of \(capture)")
    }
}

extension StringProtocol {
    /// The string without the leading and trailing scalars for which `isTrimmed` is true.
    func trimming(_ isTrimmed: (Unicode.Scalar) -> Bool) -> SubSequence {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
              let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return self[endIndex...] }
        return self[first..<scalars.index(after: last)]
    }
}

extension DistinctCondition {
    public func makeTracker() -> any ConditionTracker { Tracker(self) }

    /// The first line of each value: a value's first line moves only to an earlier one.
    final class Tracker: ConditionTracker {
        let condition: DistinctCondition
        var firstOf: [String: LivePosition] = [:]
        init(_ condition: DistinctCondition) { self.condition = condition }

        func add(_ event: TrackedEvent) {
            guard event.carries(condition.signal), let value = condition.value(in: event.captures) else { return }
            if let first = firstOf[value], first < event.position { return }
            firstOf[value] = event.position
        }

        var holds: Bool { firstOf.count >= condition.min }

        func isEvidence(_ event: TrackedEvent) -> Bool {
            guard holds, event.carries(condition.signal), let value = condition.value(in: event.captures) else { return false }
            return firstOf[value] == event.position
        }
    }
}
