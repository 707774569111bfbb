import LogscanSupport

/// The condition kinds a cause file may use, in the order messages list them.
public enum ConditionKinds {
    public static let all: [any CauseCondition.Type] = [
        GapCondition.self, SpanCondition.self, RepeatCondition.self, DistinctCondition.self, TogetherCondition.self,
    ]

    /// "gap, span, repeat, distinct or together".
    static var listed: String {
        let names = all.map { $0.kind }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    static func type(named kind: String) -> (any CauseCondition.Type)? { all.first { $0.kind == kind } }
}
