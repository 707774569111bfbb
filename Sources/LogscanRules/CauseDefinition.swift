import LogscanInput
import LogscanPCRE2

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
