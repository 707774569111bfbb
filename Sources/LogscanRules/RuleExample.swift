import LogscanInput
import LogscanPCRE2

/// One example line of a rule, with the named captures it must yield (if given).
public struct RuleExample: Sendable, Hashable {
    public var line: String
    public var captures: [String: String]
    public var sourceLine: Int?
}
