// LogscanPCRE2: the only Swift that touches PCRE2.
//
// Owns: compiling patterns with JIT, match data, match and depth limits, named captures.
// Must not: know about rules, files or logs.
