// LogscanCollect: `logscan collect` on a Mac: the sources to read and copying them into a zip or
// a directory, with a manifest (unified-log exports through `log show`).
// Must not: diagnose; what it collects is scanned like any other bundle.
