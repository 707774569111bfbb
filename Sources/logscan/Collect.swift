import ArgumentParser
import Foundation
import LogscanCollect
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// `logscan collect`: gather what logscan reads from this Mac (or a mounted one) into a zip
/// or a directory; `--scan` diagnoses it, `--ea` reports one line for Jamf Pro.
struct Collect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Gather this Mac's logs (or a mounted Mac's, --root) into one bundle; --ea for Jamf Pro.",
        discussion: """
        Copies jamf.log and its rotations, each user's Company Portal and SSO extension logs, the \
        Intune agent logs, jamfAAD's and Company Portal's preference plists and the jamf framework \
        settings, whole, under their paths relative to the root; on the live Mac also exports the \
        unified log of jamfAAD / Jamf Conditional Access, Company Portal and AppSSO / Platform SSO \
        over the last --days with log show. A manifest (logscan-manifest.json) records what was \
        collected, what was missing and why, the Mac's versions and time zone; scan reads it, so \
        no --tz is needed later. Keychains and tokens are never read. `collect --list` prints \
        every path and predicate.

        --ea (a Jamf Pro extension attribute) collects into a temporary directory, diagnoses it, \
        removes it and prints one line: <result>cause ids by severity</result>, \
        <result>healthy</result> or <result>not-diagnosable: reason</result>. It always exits 0, \
        reads nothing from standard input and stops within --time-budget seconds.
        """
    )

    @Option(help: "Days of unified log to export with log show (default 7; with --ea 1). Files are copied whole.")
    var days: Int?

    @Option(help: ArgumentHelp("Collect from this user's home folder only (default: the console user on the live Mac, else every user).", valueName: "NAME"))
    var user: String?

    @Flag(help: "Collect from every home folder under Users/.")
    var allUsers = false

    @Option(help: ArgumentHelp("A .zip file to write, or a directory (default: logscan-collect-<time>.zip here).", valueName: "FILE.zip|DIR"), completion: .file())
    var output: String?

    @Option(help: ArgumentHelp("A mounted Mac volume or backup to collect from instead of this Mac (no log show then).", valueName: "DIR"), completion: .directory)
    var root: String = "/"

    @Flag(help: "List every source path and log show predicate, then exit.")
    var list = false

    @Flag(help: "Diagnose the collection right away (with the scan options below).")
    var scan = false

    @Flag(help: "Jamf Pro extension attribute mode: one <result>…</result> line, always exit 0.")
    var ea = false

    @Option(help: ArgumentHelp("With --ea: the most seconds to take (default 20).", valueName: "SECONDS"))
    var timeBudget: Double = 20

    @Option(name: .long, help: ArgumentHelp("With --scan: output format, \(ReportFormat.list(ReportFormat.allCases)).", valueName: "FORMAT"))
    var format: ReportFormat = .text

    @OptionGroup var options: ScanOptions

    func validate() throws {
        if user != nil && allUsers { throw ValidationError("--user and --all-users cannot be combined") }
        if let days, days < 1 || days > 365 { throw ValidationError("--days must be between 1 and 365") }
        if timeBudget < 1 || timeBudget > 3600 { throw ValidationError("--time-budget must be between 1 and 3600 seconds") }
        if ea && (scan || output != nil || list) { throw ValidationError("--ea cannot be combined with --scan, --output or --list") }
        var isDirectory: ObjCBool = false
        if !list && (!FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) || !isDirectory.boolValue) {
            throw ValidationError("--root '\(root)' is not a directory")
        }
    }

    var collectorOptions: Collector.Options {
        var o = Collector.Options()
        o.root = root
        o.days = days ?? (ea ? 1 : 7)
        o.users = user.map { .named($0) } ?? (allUsers ? .all : .console)
        o.logscanVersion = Logscan.configuration.version
        return o
    }

    func run() throws {
        if list {
            FDOutput.standardOutput.write(Self.listing())
            return
        }
        if ea { ExtensionAttribute(command: self).run() }
        let target = output ?? Self.defaultOutputName()
        let destination: Collector.Output
        if target.lowercased().hasSuffix(".zip") {
            if FileManager.default.fileExists(atPath: target) {
                throw ValidationError("'\(target)' exists already: name a new file")
            }
            destination = .zip(target)
        } else {
            if let entries = try? FileManager.default.contentsOfDirectory(atPath: target), !entries.isEmpty {
                throw ValidationError("'\(target)' is a directory that is not empty: name a new or empty one")
            }
            destination = .directory(target)
        }
        let outcome: Collector.Outcome
        do {
            outcome = try Collector(options: collectorOptions).collect(into: destination)
        } catch {
            printError("logscan: \(error.source): \(error.message)")
            throw ExitCode(2)
        }
        Self.printSummary(outcome, target: target)
        if scan {
            var scanCommand = try Scan.parse([target])
            scanCommand.options = options
            scanCommand.format = format
            try scanCommand.run()
        } else {
            FDOutput.standardOutput.write(target + "\n")
        }
    }

    static func defaultOutputName() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH-mm-ss'Z'"
        return "logscan-collect-\(f.string(from: Date())).zip"
    }

    static func printSummary(_ outcome: Collector.Outcome, target: String) {
        let m = outcome.manifest
        let bytes = m.collected.reduce(Int64(0)) { $0 + $1.bytes } + m.unifiedLog.reduce(Int64(0)) { $0 + ($1.bytes ?? 0) }
        let exports = m.unifiedLog.filter { $0.path != nil }.count
        var text = "logscan collect: \(m.collected.count) files and \(exports) log show exports (\(ProgressLine.size(bytes))) from \(m.root) into \(target)"
        if !m.users.isEmpty { text += "; users: \(m.users.joined(separator: ", "))" }
        text += "\n"
        for e in m.unifiedLog where e.path == nil { text += "  log show \(e.source): \(e.status)\n" }
        let missingSources = Set(m.missing.map(\.source)).sorted()
        if !missingSources.isEmpty { text += "  nothing from: \(missingSources.joined(separator: ", ")) (reasons in \(CollectionManifest.fileName))\n" }
        for note in m.notes { text += "  note: \(note)\n" }
        for warning in outcome.warnings { text += "  warning: \(warning)\n" }
        printErrorRaw(text)
    }

    static func listing() -> String {
        var out = "Sources logscan collect reads (paths relative to the root; <user> is each selected home folder):\n"
        for s in SourceCatalog.all {
            out += "\n\(s.id)\n  \(s.title)\n  \(s.listing)\n"
        }
        out += "\nlog show runs only for the live Mac (no --root, or --root /), with `log` taken from PATH.\n"
        out += "Nothing else is read: no keychains, no tokens.\n"
        return out
    }
}
