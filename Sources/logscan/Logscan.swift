import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// The root command: `logscan PATH...` is `logscan scan PATH...`.
struct Logscan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logscan",
        abstract: "Tell why the Jamf Pro ↔ Microsoft Intune integration fails on a Mac, from its logs.",
        discussion: """
        Reads Company Portal, jamfAAD / Jamf Conditional Access (log show exports), jamf.log, \
        JAMFSoftwareServer.log, Intune agent and SSO extension logs — plain, compressed, or inside \
        collector archives — and reports each cause with its evidence, the fix, and a UTC timeline.

        Exit status: 0 no cause found, 1 at least one cause found, 2 an error (bad arguments, a bad \
        rule file, an input that could not be read, a Mac none of whose inputs is a readable log \
        (not diagnosable), or a report that could not be written; the report still covers every \
        readable input). 2 wins over 1. collect --ea always exits 0.
        """,
        version: "0.1.0",
        subcommands: [Scan.self, Follow.self, Rules.self, Explain.self, Collect.self, Codes.self],
        defaultSubcommand: Scan.self
    )

    /// `logscan -` and `logscan FILE` go to `scan`; `logscan version` is `logscan --version`
    /// (unless a file of that name exists); ArgumentParser handles the rest.
    /// `logscan explain -25300` (a code as logs print it) would be read as an option: a
    /// negative number after `explain` or `codes` gets a `--` before it.
    static func rewrite(_ arguments: [String]) -> [String] {
        guard let first = arguments.first else { return arguments }
        if first == "-" { return ["scan"] + arguments }
        if first == "version" && arguments.count == 1 && !FileManager.default.fileExists(atPath: first) { return ["--version"] }
        if first == "explain" || first == "codes", !arguments.contains("--"),
           let k = arguments.indices.dropFirst().first(where: { isNegativeNumber(arguments[$0]) }) {
            return Array(arguments[..<k]) + ["--"] + Array(arguments[k...])
        }
        return arguments
    }

    static func isNegativeNumber(_ s: String) -> Bool {
        s.count > 1 && s.hasPrefix("-") && s.dropFirst().allSatisfy(\.isASCII) && s.dropFirst().allSatisfy(\.isNumber)
    }

    /// The command names a first argument may be (for suggestions).
    static var commandNames: [String] {
        configuration.subcommands.map { $0._commandName } + ["help", "version"]
    }

    /// For `logscan exlpain …`: the command the first argument is probably a typo of, when it is
    /// no command and no file (else it is a path for `scan`).
    static func suggestion(for arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !first.contains("/"), !first.contains("."),
              !commandNames.contains(first), !FileManager.default.fileExists(atPath: first) else { return nil }
        let scored = commandNames.map { ($0, editDistance(first.lowercased(), $0)) }.filter { $0.1 <= max(1, min(2, $0.0.count / 3)) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }
}

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

extension ReportFormat: ExpressibleByArgument {}

extension ReportFormat {
    /// The formats `follow` writes as lines are read (a JSON document or a CSV table exist only
    /// once a scan is done).
    static var live: [ReportFormat] { allCases.filter { $0.sinkType.supportsFollow } }
}

/// `follow --format`: any format parses (so that `--format json` gets follow's own message),
/// but help lists only the formats follow writes.
struct LiveFormat: ExpressibleByArgument {
    let format: ReportFormat
    init(_ format: ReportFormat) { self.format = format }
    init?(argument: String) {
        guard let format = ReportFormat(rawValue: argument) else { return nil }
        self.format = format
    }
    static var allValueStrings: [String] { ReportFormat.live.map(\.rawValue) }
    var defaultValueDescription: String { format.rawValue }
}

/// `--since` / `--until` values.
enum TimeArgument {
    static func parse(_ text: String) -> Instant? { parseTimeArgument(text) }
}

/// Writes to standard error.
func printError(_ message: String) {
    printErrorRaw(message.hasSuffix("\n") ? message : message + "\n")
}

/// Writes to standard error as is.
func printErrorRaw(_ text: String) {
    let out = FDOutput(fd: 2)
    out.write(text)
    out.flush()
}

/// The number of cores, read once: the argument parser builds the options several times, and
/// each read of `activeProcessorCount` opens the cgroup's CPU quota files.
let defaultJobs = ProcessInfo.processInfo.activeProcessorCount

/// Loads built-in rules plus `--patterns` directories; prints diagnostics to stderr.
/// Returns the rule set and whether any rule file had an error.
/// `examples`: whether the built-in rules' examples are loaded (only `rules test` and `rules
/// check` use them; leaving them out takes two thirds off the YAML parsed at start-up).
func loadRules(extraDirectories: [String], quietWarnings: Bool = true, examples: Bool = false,
               checkCatalogs: Bool = false) -> (RuleSet, Bool) {
    var layers = [RuleLoader.builtinFiles(examples: examples)]
    var hadError = false
    for dir in extraDirectories {
        do { layers.append(try RuleLoader.files(inDirectory: dir)) } catch {
            printError(error.description)
            hadError = true
        }
    }
    let set = RuleLoader.load(layers: layers)
    for d in set.diagnostics where d.level == .error || !quietWarnings { printError(d.description) }
    // The built-in catalogs are checked by the test suite and parsed on first use; catalogs
    // from --patterns are checked before anything runs, like rule files.
    var catalogErrors = false
    if checkCatalogs || set.codes.hasExternalFiles {
        for d in set.codes.diagnostics where d.level == .error || !quietWarnings { printError(d.description) }
        catalogErrors = set.codes.diagnostics.contains { $0.level == .error }
    }
    EvidenceNotes.install(EvidenceNotes(rules: set))
    return (set, hadError || set.hasErrors || catalogErrors)
}
