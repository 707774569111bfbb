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

extension ReportFormat: ExpressibleByArgument {}

extension ReportFormat {
    /// The formats `follow` writes as lines are read (a JSON document or a CSV table exist only
    /// once a scan is done).
    static var live: [ReportFormat] { allCases.filter { $0.sinkType.supportsFollow } }
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
