// LogscanPrefilter: which lines can match any rule at all, without running a regular expression.
//
// Owns: `Prefilter` (the literal set of a rule set, searched a block at a time with memchr-style
// probes and a small automaton) and `AnyLiteral`. Like ripgrep's memchr and aho-corasick crates
// it is benchmarkable and fuzzable alone.
// Must not: depend on any other logscan module, allocate per line, or know what a rule is beyond
// the literals and indexes it is handed.
