// LogscanRules: the rule model and where rules come from.
//
// Owns: the YAML model (`Rule`, `CauseDefinition`, `Severity`, `LogFormat`), loading and
// validation with file and line diagnostics (`RuleLoader`, Yams), the cause condition kinds
// (one type each, `GapCondition`, `SpanCondition`, …: each reads its own keys, evaluates itself
// over `ConditionEvents` and says what it means), the built-in rules embedded at build time (the
// EmbedPatterns plugin), literal extraction for the prefilter, and the error-code catalogs
// (`CodeCatalog`, `CodeBook`).
// Must not: read log files, scan, or know about timelines, events and reports (conditions see
// events only through `ConditionEvents`).
