import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// Options every scanning command takes (cli.md).
struct ScanOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Load rules and causes from DIR too; a file with the same id replaces the built-in one. Repeatable.", valueName: "DIR"), completion: .directory)
    var patterns: [String] = []

    @Option(name: .long, help: ArgumentHelp("IANA zone (e.g. America/Chicago) for zone-less local timestamps: jamf.log, the Jamf server log, Company Portal pipe/house shapes, Intune agent and SSO extension logs.", valueName: "ZONE"), completion: .custom { _, _, _ in TimeZone.knownTimeZoneIdentifiers.sorted() })
    var tz: String?

    @Option(name: .long, help: ArgumentHelp("Keep only evidence at or after TIME (RFC 3339, or a date = midnight UTC).", valueName: "TIME"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Keep only evidence at or before TIME (RFC 3339, or a date = midnight UTC).", valueName: "TIME"))
    var until: String?

    // Numbers are parsed `.unconditional`ly: `--max-depth -1` then reaches `validate` and gets
    // a message saying what is wrong, instead of "Missing value" (a leading '-' looks like a flag).
    @Option(name: [.customShort("j", allowingJoined: true), .long], parsing: .unconditional, help: ArgumentHelp("Parallel workers (default: the number of cores; -j4 and -j 4 both work).", valueName: "N"))
    var jobs: Int = defaultJobs

    @Flag(name: [.short, .long], help: "No progress line and no notices on standard error (for follow, no \"following …\" line); errors are still printed.")
    var quiet = false

    @Flag(name: .long, help: "Text report: show every kind of unrecognized error, not only the most frequent.")
    var allUnrecognized = false

    @Flag(name: [.short, .long], help: "Text: list every input read (file, format, lines, bytes) instead of a count per format.")
    var verbose = false

    @Flag(name: .long, help: "Text: the summary only (each Mac's causes with the first step of the fix; for a fleet, the roll-up).")
    var summary = false

    @Flag(name: .long, help: "Text: leave out the timeline.")
    var noTimeline = false

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Text: show at most N timeline lines per Mac, half from its start and half from its end (0: all; default 60).", valueName: "N"))
    var timelineLimit: Int = 60

    @Flag(name: .long, help: "Replace user, host and device names, e-mail addresses, serial numbers, IP addresses, GUIDs, internal host names and secrets with pseudonyms (user-1, host-2 …) in every part and format of the report; error codes, cause and rule ids, times and public Microsoft, Apple and Jamf IDs and hosts are kept.")
    var redact = false

    @Option(name: .long, help: ArgumentHelp("Derive --redact pseudonyms from SALT (HMAC-SHA256), so a value gets the same pseudonym in every report made with the same SALT (implies --redact).", valueName: "SALT"))
    var redactSalt: String?

    @Option(name: .long, help: ArgumentHelp("Write what each --redact pseudonym stands for to FILE (JSON, readable only by you), to read replies that quote pseudonyms. Keep it: it undoes the redaction.", valueName: "FILE"), completion: .file())
    var redactMap: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Stop reading a bundle after this many uncompressed bytes (default 16 GiB).", valueName: "BYTES"))
    var maxBundleBytes: Int64 = ArchiveLimits.defaultMaxBundleBytes

    @Option(name: .long, parsing: .unconditional, help: "Stop reading an archive member that expands more than this many times (zip bombs; default 1000).")
    var maxRatio: Int = ArchiveLimits.defaultMaxRatio

    @Option(name: .long, parsing: .unconditional, help: "Open archives nested at most this deep (default 8).")
    var maxDepth: Int = ArchiveLimits.defaultMaxDepth

    @Option(name: .long, parsing: .unconditional, help: "Read at most this many archive members per bundle (default 200000).")
    var maxEntries: Int = ArchiveLimits.defaultMaxEntries

    @Flag(name: .long, help: "Run every rule on every line instead of only on lines holding a rule's literal (slow; for checking the prefilter).")
    var noPrefilter = false

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Lines longer than this are matched on their first BYTES and counted as cut (default 1 MiB).", valueName: "BYTES"))
    var maxLineLength: Int = 1 << 20

    func validate() throws {
        if let tz, TimeZone(identifier: tz) == nil {
            throw ValidationError("unknown time zone '\(tz)': use an IANA name such as America/Chicago or UTC")
        }
        if let since, TimeArgument.parse(since) == nil {
            throw ValidationError("--since '\(since)' is not RFC 3339 (2020-03-09T14:00:00Z) or a date (2020-03-09)")
        }
        if let until, TimeArgument.parse(until) == nil {
            throw ValidationError("--until '\(until)' is not RFC 3339 (2020-03-09T14:00:00Z) or a date (2020-03-09)")
        }
        if let since, let until, let s = TimeArgument.parse(since), let u = TimeArgument.parse(until), u < s {
            throw ValidationError("--since \(since) is later than --until \(until): no time is in that window")
        }
        if timelineLimit < 0 { throw ValidationError("--timeline-limit must be 0 (all) or more, not \(timelineLimit)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        if maxLineLength < 256 || maxLineLength > Self.maxLineLengthCeiling {
            throw ValidationError("--max-line-length must be between 256 and \(Self.maxLineLengthCeiling) (1 GiB), not \(maxLineLength)")
        }
        if maxDepth < 0 { throw ValidationError("--max-depth must be 0 or more, not \(maxDepth)") }
        if maxRatio < 1 { throw ValidationError("--max-ratio must be at least 1, not \(maxRatio)") }
        if maxEntries < 1 { throw ValidationError("--max-entries must be at least 1, not \(maxEntries)") }
        if maxBundleBytes < 1 { throw ValidationError("--max-bundle-bytes must be at least 1, not \(maxBundleBytes)") }
    }

    /// The longest --max-line-length: a line buffer of that size is allocated per worker.
    static let maxLineLengthCeiling = 1 << 30

    var analysis: AnalysisOptions {
        AnalysisOptions(timeZone: tz.flatMap(TimeZone.init(identifier:)),
                        since: since.flatMap(TimeArgument.parse), until: until.flatMap(TimeArgument.parse))
    }

    /// The report sink for `--format` (an option of each command, so that `follow --help`
    /// lists only what follow writes), writing to standard output; with `redactor`, behind the
    /// redaction layer.
    func makeSink(format: ReportFormat, mode: ReportRun.Mode, paths: [String], rules: RuleSet, redactor: Redactor? = nil) -> any ReportSink {
        var run = ReportRun(mode: mode, paths: paths, options: analysis, causes: rules.causes,
                            style: TextStyle.detect(fileDescriptor: 1), quiet: quiet, jobs: jobs, note: { printError($0) })
        run.text = textOptions
        run.redactor = redactor
        return format.makeSink(run: run, output: FDOutput.standardOutput)
    }

    /// How the text report is laid out.
    var textOptions: TextOptions {
        var o = TextOptions()
        o.width = terminalWidth()
        o.verbose = verbose
        o.summaryOnly = summary
        o.timeline = !noTimeline
        o.timelineLimit = timelineLimit
        o.allUnrecognized = allUnrecognized
        o.since = since.flatMap(TimeArgument.parse)
        o.until = until.flatMap(TimeArgument.parse)
        return o
    }

    /// The redaction layer every format goes through, when asked for.
    func makeRedactor() -> Redactor? {
        redact || redactSalt != nil || redactMap != nil ? Redactor(salt: redactSalt) : nil
    }

    /// Writes the pseudonym map for `--redact-map`; false (after a message) when it could not be.
    func writeRedactionMap(_ redactor: Redactor?) -> Bool {
        guard let redactMap, let redactor else { return true }
        let created = FileManager.default.createFile(atPath: redactMap, contents: Data(redactor.mappingJSON().utf8),
                                                     attributes: [.posixPermissions: 0o600])
        if !created { printError("logscan: cannot write the redaction map to \(redactMap)") }
        return created
    }

    var limits: ArchiveLimits {
        ArchiveLimits(maxBundleBytes: maxBundleBytes, maxRatio: maxRatio, maxDepth: maxDepth, maxEntries: maxEntries)
    }
}
