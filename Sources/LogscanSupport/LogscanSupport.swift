// LogscanSupport: the value types every stage shares and a few small helpers.
//
// Owns: `Instant` (a resolved UTC instant in nanoseconds), `Duration`, `LocalDateTime` and
// `RecordTime` (a wall clock as a log line writes it, with or without a zone), the proleptic
// Gregorian day arithmetic, and the concurrency helpers the scan stages share (`SharedSlots`,
// `Counter`, `OrderedParallel`), plus the phase timer behind `LOGSCAN_TRACE`.
// Must not: know about logs, rules, formats or files. It depends on Foundation only.
