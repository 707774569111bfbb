import LogscanInput
import LogscanPCRE2

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
