import LogscanRules

/// Builds a rule set from YAML snippets (rule files and cause files), as one layer.
public func ruleSet(_ files: [(String, String)]) -> RuleSet {
    RuleLoader.load(layers: [files.map { PatternFile(path: $0.0, contents: $0.1) }])
}
