import LogscanInput
import LogscanPCRE2

/// A signature: PCRE2 patterns over one line, the cause or signals it is evidence for.
public struct Rule: Sendable {
    public let id: String
    public let title: String
    /// The cause this rule is direct evidence for; nil for a context rule.
    public let cause: String?
    public let signals: [String]
    public let severity: Severity?
    /// The formats the rule applies to; nil for all.
    public let formats: Set<LogFormat>?
    public let patterns: [CompiledPattern]
    /// Patterns that must also match the line, anywhere (all of them), once a pattern has:
    /// context that is expensive to express inside one pattern ("and the line speaks of X").
    public let requires: [CompiledPattern]
    /// Patterns none of which may match the line ("and not").
    public let excludes: [CompiledPattern]
    /// Literals one of which every matching line contains (ASCII, compared without case).
    public let literals: [String]
    /// A second such list (empty when there is none): every matching line also contains one
    /// of these. Checked before PCRE2 runs, for patterns whose rare part is a choice of words.
    public let andLiterals: [String]
    public let matchExamples: [RuleExample]
    public let noMatchExamples: [RuleExample]
    /// Where the rule was loaded from.
    public let file: String
    /// True for a rule built into the binary; false for one loaded from a folder (`--patterns`,
    /// `rules check DIR`), even a folder named `Patterns`.
    public let builtin: Bool

    public func applies(to format: LogFormat) -> Bool { formats?.contains(format) ?? true }
}
