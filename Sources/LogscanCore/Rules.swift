import LogscanInput
import LogscanPCRE2

/// How serious a cause is (the `severity` enum of findings.schema.json).
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case info, low, medium, high, critical
    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One example line of a rule, with the named captures it must yield (if given).
public struct RuleExample: Sendable, Hashable {
    public var line: String
    public var captures: [String: String]
    public var sourceLine: Int?
}

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

/// A cause as the classifier reports it: what it means, how to fix it, how evidence makes it.
public struct CauseDefinition: Sendable {
    public let id: String
    public let title: String
    public let severity: Severity
    public let summary: String
    public let fix: [String]
    public let references: [String]
    /// Its `when` conditions (modelled on Sigma correlations): the cause also holds when one does.
    public let conditions: [any CauseCondition]
    /// Causes that, found in the same bundle, explain this one's evidence (`consequence_of:`):
    /// this cause is then reported as a consequence of the first of them that was found.
    public let consequenceOf: [String]
    public let file: String

    public init(id: String, title: String, severity: Severity, summary: String, fix: [String], references: [String],
                conditions: [any CauseCondition], consequenceOf: [String] = [], file: String) {
        self.id = id; self.title = title; self.severity = severity; self.summary = summary; self.fix = fix
        self.references = references; self.conditions = conditions; self.consequenceOf = consequenceOf; self.file = file
    }
}

/// A problem in a rule or cause file, reported compiler-style.
public struct RuleDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Level: String, Sendable { case error, warning }
    public var level: Level
    public var file: String
    public var field: String?
    /// 1-based line in the file, where known.
    public var line: Int?
    public var message: String
    /// Extra lines shown under the location (e.g. a pattern with a caret under the offset).
    public var notes: [String]

    public init(_ level: Level = .error, file: String, field: String? = nil, line: Int? = nil,
                _ message: String, notes: [String] = []) {
        self.level = level; self.file = file; self.field = field; self.line = line
        self.message = message; self.notes = notes
    }

    public var description: String {
        // Escaped: a message may quote a rule file's bytes (a YAML error's context).
        var out = "\(level.rawValue): \(TerminalText.escaped(message))\n  --> \(TerminalText.escaped(file))"
        if let line { out += ":\(line)" }
        if let field { out += " (\(field))" }
        for note in notes { out += "\n   | " + note }
        return out
    }
}

/// Every loaded rule and cause, in a stable order, with the problems found while loading.
public struct RuleSet: Sendable {
    public var rules: [Rule]
    public var causes: [String: CauseDefinition]
    /// Cause ids in a stable order (file order).
    public var causeOrder: [String]
    public var diagnostics: [RuleDiagnostic]
    /// The error-code catalogs, parsed on first use.
    public var codes: CodeBookSource

    public init(rules: [Rule], causes: [String: CauseDefinition], causeOrder: [String], diagnostics: [RuleDiagnostic],
                codes: CodeBookSource = .none) {
        self.rules = rules; self.causes = causes; self.causeOrder = causeOrder; self.diagnostics = diagnostics
        self.codes = codes
    }

    public var hasErrors: Bool { diagnostics.contains { $0.level == .error } }

    /// Named captures a scan must extract from every hit: those the classifier reads (`distinct`
    /// conditions, codes looked up in a catalog). Every other named group is shown with the
    /// evidence only, and is extracted when the report is written (`EvidenceNotes`).
    public func scanCaptureFilter() -> @Sendable (String) -> Bool {
        let distinct = Set(causes.values.flatMap { $0.conditions.flatMap(\.captureNames) })
        let codes = self.codes
        return { [distinct] name in distinct.contains(name) || codes.catalog(forCapture: name) != nil }
    }

    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }
}
