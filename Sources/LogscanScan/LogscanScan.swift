// LogscanScan: turning bytes of one log file into records.
//
// Owns: log formats and their detection (`FormatDetector`, `LogShape`), time-stamp parsing,
// running the compiled rules over lines (`CompiledRules`, `FileScanner`, `SourceScanner`),
// splitting a big file for parallel scanning (`SplitFile`), unrecognized-error collection, and
// record storage (`TimelineEntry`, `HitRecord`, `EntryList`, `SpillBuffer`).
// Must not: resolve times across files, classify causes, or format a report: its output is a
// `FileResult` per input.
