// LogscanReport: writing what was found, in every output format.
//
// Owns: `ReportSink` (begin a run, a bundle, a finding, an event, an error, finish) and one sink
// per format (text, JSON, NDJSON, CSV, HTML, Markdown), the Mustache templates of HTML and
// Markdown, and the views they render.
// Must not: scan, classify or decide exit statuses; adding a format is a new sink file and a
// case in `ReportFormat`.
