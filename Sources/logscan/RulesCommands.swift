import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanPCRE2

/// `logscan rules list|check|test|export`.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List, validate, test and export the rules.",
        subcommands: [List.self, Check.self, Test.self, Export.self, New.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Draft a rule file from a log line (printed to standard output).",
            discussion: """
            The line's variable parts (numbers, GUIDs, hex values, e-mail addresses, URLs, quoted \
            values) are generalised as in the "Unrecognized errors" section. Saved under a rules \
            folder as <id>.yml, the draft passes `logscan rules check DIR` and `logscan rules test DIR`.
            """)
        @Option(name: .long, help: ArgumentHelp("The log line to start from: a file and a 1-based line number.", valueName: "FILE:LINE"), completion: .file())
        var from: String
        @Option(name: .long, help: ArgumentHelp("The cause the line is evidence for (default: none, a context rule).", valueName: "ID"),
                completion: .custom { _, _, _ in completionCauseIDs() })
        var cause: String?
        @Option(name: .long, help: ArgumentHelp("Load rules from DIR too (repeatable), for --cause.", valueName: "DIR"), completion: .directory)
        var patterns: [String] = []

        func run() throws {
            guard let colon = from.lastIndex(of: ":"), let number = Int(from[from.index(after: colon)...]), number >= 1 else {
                printError("logscan: --from needs FILE:LINE with a line number from 1, got '\(from)'")
                throw ExitCode(2)
            }
            let path = String(from[..<colon])
            if let cause {
                let (set, _) = loadRules(extraDirectories: patterns)
                guard set.causes[cause] != nil else {
                    let close = set.causeOrder.filter { $0.contains(cause) || cause.contains($0) }
                    printError("logscan: unknown cause '\(cause)'" + (close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?")
                               + " (logscan rules list shows them all)")
                    throw ExitCode(2)
                }
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                printError("logscan: cannot read '\(path)'")
                throw ExitCode(2)
            }
            // The format from the file's start, as a scan detects it; the line as a scan reads it.
            let format = data.prefix(FileScanner.detectionSample).withUnsafeBytes { FormatDetector.shared.detect($0) }
            var lines = data.split(separator: 0x0A, maxSplits: number, omittingEmptySubsequences: false)
            if lines.count <= number, data.last == 0x0A { lines.removeLast() }  // no line after the last newline
            guard number <= lines.count else {
                printError("logscan: \(path) has no line \(number) (it has \(lines.count))")
                throw ExitCode(2)
            }
            var bytes = lines[number - 1]
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            let line = String(decoding: bytes, as: UTF8.self)
            guard let draft = RuleDraft(line: line, format: format, cause: cause) else {
                printError("logscan: line \(number) of \(path) holds no message to make a rule of")
                throw ExitCode(2)
            }
            if draft.literal == nil {
                printError("logscan: note: no word of 4 or more plain ASCII characters in this line; the draft has no `literals` and `rules check` will ask for one")
            }
            print(draft.yaml, terminator: "")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The loaded rules and causes, one a line.")
        @Option(name: .long, help: ArgumentHelp("Load rules from DIR too (repeatable).", valueName: "DIR"), completion: .directory)
        var patterns: [String] = []
        @Flag(name: .long, help: "Also show each rule's prefilter literals.")
        var literals = false

        func run() throws {
            let (set, broken) = loadRules(extraDirectories: patterns)
            for rule in set.rules {
                let formats = rule.formats.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "all"
                printOut("rule   \(rule.id)  cause=\(rule.cause ?? "-")  signals=\(rule.signals.isEmpty ? "-" : rule.signals.joined(separator: ","))  formats=\(formats)  \(rule.title)")
                if literals {
                    printOut("         literals: \(rule.literals.map { "\"\($0)\"" }.joined(separator: " | "))")
                    if !rule.andLiterals.isEmpty {
                        printOut("         and one of: \(rule.andLiterals.map { "\"\($0)\"" }.joined(separator: " | "))")
                    }
                }
            }
            for id in set.causeOrder {
                guard let c = set.causes[id] else { continue }
                printOut("cause  \(c.id)  \(c.severity.rawValue)  \(c.title)")
            }
            if literals {
                let compiled = CompiledRules(set)
                for format in LogFormat.allCases where format != .binary {
                    guard let p = compiled.prefilter(for: format) else { continue }
                    printOut("prefilter  \(format.rawValue): probes every \(p.stride) bytes; \(p.alwaysRules.count) rules without a literal")
                }
            }
            if broken { throw ExitCode(2) }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate rule files: every problem, with file, field and offset.",
            discussion: "Without DIR, checks the built-in rules. With DIR, checks those files (on top of the built-in ones, so they may name built-in causes).")
        @Argument(help: ArgumentHelp("Folders of rule files.", valueName: "DIR"), completion: .directory)
        var directories: [String] = []

        func run() throws {
            let (set, broken) = loadRules(extraDirectories: directories, quietWarnings: false, examples: true, checkCatalogs: true)
            let scope = directories.isEmpty ? set.rules : set.rules.filter { !$0.builtin }
            let catalogs = set.codes.book.catalogs
            printOut("\(scope.count) rules, \(catalogs.count) code catalogs (\(set.codes.book.entryCount) codes), \(set.causes.count) causes checked: \(broken ? "errors found" : "no errors")")
            if broken { throw ExitCode(2) }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run every rule's own examples; non-zero exit on a failure.",
            discussion: "Each `match` example must match through the same path a scan uses (prefilter, then PCRE2), with the captures it lists; each `no_match` example must not match.")
        @Argument(help: ArgumentHelp("Folders of rule files (default: the built-in rules).", valueName: "DIR"), completion: .directory)
        var directories: [String] = []

        @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Also run each rule on long lines of this many bytes made from its examples; it must never hit PCRE2's match limit (default 1 MiB, as scan's --max-line-length; 0 to skip).", valueName: "BYTES"))
        var maxLineLength: Int = 1 << 20

        func validate() throws {
            if maxLineLength < 0 || maxLineLength > ScanOptions.maxLineLengthCeiling {
                throw ValidationError("--max-line-length must be between 0 and \(ScanOptions.maxLineLengthCeiling), not \(maxLineLength)")
            }
        }

        func run() throws {
            let (set, broken) = loadRules(extraDirectories: directories, examples: true)
            let rules = CompiledRules(set)
            let tester = ExampleTester(rules: rules)
            var failures = 0
            var examples = 0
            var tested = 0
            for (index, rule) in set.rules.enumerated() {
                if !directories.isEmpty && rule.builtin { continue }
                tested += 1
                var problems = tester.check(ruleIndex: index)
                if maxLineLength > 0 { problems += tester.checkLongLines(ruleIndex: index, length: maxLineLength) }
                for problem in problems {
                    printOut("FAIL \(rule.id): \(problem)")
                    failures += 1
                }
                examples += rule.matchExamples.count + rule.noMatchExamples.count
            }
            let verdict = broken ? "rule files have errors (see standard error)" + (failures > 0 ? ", and \(failures) failed" : "")
                : failures == 0 ? "all passed" : "\(failures) failed"
            printOut("\(tested) rules, \(examples) examples: \(verdict)")
            if broken { throw ExitCode(2) }
            if failures > 0 { throw ExitCode(1) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Every rule's PCRE2 pattern, one a line (for rg -P -f).",
            discussion: "Named groups are written as plain groups: grep tools join all patterns into one regex, where PCRE2 refuses a name used twice.")
        @Option(name: .long, help: ArgumentHelp("Load rules from DIR too (repeatable).", valueName: "DIR"), completion: .directory)
        var patterns: [String] = []

        /// `(?<name>…)`, `(?P<name>…)` and `(?'name'…)` become `(?:…)`; lookbehinds stay.
        static func greppable(_ pattern: String) -> String {
            var out = ""
            var chars = Array(pattern)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c == "\\", i + 1 < chars.count {
                    out.append(c); out.append(chars[i + 1]); i += 2; continue
                }
                if c == "(", i + 2 < chars.count, chars[i + 1] == "?" {
                    var j = i + 2
                    var close: Character? = nil
                    if chars[j] == "P", j + 1 < chars.count, chars[j + 1] == "<" { j += 2; close = ">" }
                    else if chars[j] == "<", j + 1 < chars.count, chars[j + 1] != "=", chars[j + 1] != "!" { j += 1; close = ">" }
                    else if chars[j] == "'" { j += 1; close = "'" }
                    if let close, let end = chars[j...].firstIndex(of: close) {
                        out += "(?:"
                        i = end + 1
                        continue
                    }
                }
                out.append(c)
                i += 1
            }
            chars = []
            return out
        }

        func run() throws {
            let (set, broken) = loadRules(extraDirectories: patterns)
            for rule in set.rules { for p in rule.patterns { printOut(Self.greppable(p.source)) } }
            if broken { throw ExitCode(2) }
        }
    }
}

/// `logscan explain CAUSE`.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "What a cause or an error code means and how to fix it.",
        discussion: """
        CAUSE is a cause id (logscan rules list). CODE is an error code as a log shows it: \
        AADSTS53003 or 53003, an MSAL or MSID code (-50002) or name (MSALErrorInteractionRequired), \
        an OSStatus in signed or unsigned form (-25300, 4294941996) or name (errSecItemNotFound), \
        an NSURLError (-1001) or an HTTP status (403).
        """)
    @Argument(help: ArgumentHelp("A cause id, or an error code as the log shows it.", valueName: "CAUSE|CODE"),
              completion: .custom { _, _, _ in completionCauseIDs() })
    var subject: String
    @Option(name: .long, help: ArgumentHelp("Load rules from DIR too (repeatable).", valueName: "DIR"), completion: .directory)
    var patterns: [String] = []

    func run() throws {
        // A broken --patterns directory is exit 2, as for scan (the explanation still comes
        // from the rules that did load).
        let (set, broken) = loadRules(extraDirectories: patterns)
        let wanted = subject.trimmingCharacters(in: .whitespaces)
        if let id = set.causeOrder.first(where: { $0.caseInsensitiveCompare(wanted) == .orderedSame }), let c = set.causes[id] {
            printOut(explainCause(c, set: set), terminator: "")
            if broken { throw ExitCode(2) }
            return
        }
        let book = set.codes.book
        let entries = book.entries(matching: wanted)
        if !entries.isEmpty {
            printOut(entries.map { explainCode($0, set: set) }.joined(separator: "\n"), terminator: "")
            if broken { throw ExitCode(2) }
            return
        }
        var message = "logscan: unknown cause or code '\(subject)'"
        let close = Self.suggestions(for: wanted.lowercased(), among: set.causeOrder)
        if !close.isEmpty { message += "; did you mean \(close.joined(separator: ", "))?" }
        printError(message + " (logscan rules list shows the causes, logscan codes the codes)")
        throw ExitCode(2)
    }

    /// Cause ids close to `typed`: containing it or contained in it, or a few edits away.
    static func suggestions(for typed: String, among ids: [String]) -> [String] {
        guard !typed.isEmpty else { return [] }
        let scored = ids.map { id -> (String, Int) in
            if id.contains(typed) || typed.contains(id) { return (id, 0) }
            return (id, editDistance(Array(typed), Array(id)))
        }
        let limit = max(2, typed.count / 4)
        return scored.filter { $0.1 <= limit }.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(3).map(\.0)
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let keep = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = keep
            }
        }
        return row[b.count]
    }

    func explainCause(_ c: CauseDefinition, set: RuleSet) -> String {
        var out = "\(c.id) — \(c.title)\nseverity: \(c.severity.rawValue)\n\n"
        out += wrap(c.summary) + "\n\nHow to fix it:\n"
        for (n, step) in c.fix.enumerated() { out += wrap("\(n + 1). \(step)", indent: "  ", hanging: "     ") }
        let evidence = set.rules.filter { $0.cause == c.id }
        if !evidence.isEmpty {
            out += "\nEvidence logscan looks for:\n"
            for r in evidence { out += "  - \(r.title) (rule \(r.id))\n" }
        }
        let codes = set.codes.book.catalogs.flatMap(\.entries).filter { $0.cause == c.id }
        if !codes.isEmpty {
            out += "\nError codes that are evidence for it:\n"
            out += wrap(codes.map { $0.display + ($0.name.map { " (\($0))" } ?? "") }.joined(separator: ", "), indent: "  ", hanging: "  ")
        }
        if !c.conditions.isEmpty {
            out += "\nAlso established over time when:\n"
            for condition in c.conditions { out += "  - \(condition.description)\n" }
        }
        if evidence.isEmpty && c.conditions.isEmpty && codes.isEmpty {
            out += "\nNo log signature is known for this cause: logscan never reports it, but it is worth checking by hand.\n"
        }
        if !c.references.isEmpty {
            out += "\nReferences:\n" + c.references.map { "  \($0)\n" }.joined()
        }
        return out
    }

    func explainCode(_ e: CodeEntry, set: RuleSet) -> String {
        let catalog = set.codes.book.catalog(e.catalog)
        var out = e.display + (e.name.map { " — \($0)" } ?? "") + "\n"
        out += "catalog: \(e.catalog)" + (catalog.map { " (\($0.title))" } ?? "") + "\n"
        if e.kind == .osstatus { out += "also printed as: \(UInt32(bitPattern: Int32(truncatingIfNeeded: e.code)))\n" }
        out += "\n" + wrap(e.meaning)
        if let cause = e.cause, let c = set.causes[cause] {
            out += "\nlogscan reports it as evidence for: \(cause) — \(c.title)\n"
            out += "How to fix it:\n"
            for (n, step) in c.fix.enumerated() { out += wrap("\(n + 1). \(step)", indent: "  ", hanging: "     ") }
        } else {
            if let title = e.categoryTitle { out += "\nCategory: \(title)\n" }
            if let next = e.next { out += wrap("Next step: " + next) }
            if e.kind.contextOnly {
                out += wrap("On its own this code is context, not a cause: many apps print it for reasons unrelated to the Jamf–Intune integration.")
            }
        }
        out += "\nSource: \(e.source)\n"
        return out
    }

    func wrap(_ text: String, indent: String = "", hanging: String = "", width: Int = 96) -> String {
        var out = ""
        var line = indent
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if line.count + word.count + 1 > width && !line.trimmingCharacters(in: .whitespaces).isEmpty {
                out += line + "\n"
                line = hanging
            }
            line += (line.isEmpty || line.hasSuffix(" ") ? "" : " ") + word
        }
        return out + line + "\n"
    }
}

/// `logscan codes [SEARCH]`: the error-code catalogs, one code a line.
struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "List the error-code catalogs, one code a line (filtered by SEARCH on code, name, meaning, category or cause).")
    @Argument(help: ArgumentHelp("Text or a code to look for (case ignored).", valueName: "SEARCH"))
    var search: String?
    @Option(name: .long, help: ArgumentHelp("Only this catalog (aadsts, msal, msid, adal, osstatus, nsurlerror, http).", valueName: "ID"))
    var catalog: String?
    @Option(name: .long, help: ArgumentHelp("Load rules and catalogs from DIR too (repeatable).", valueName: "DIR"), completion: .directory)
    var patterns: [String] = []

    func run() throws {
        let (set, _) = loadRules(extraDirectories: patterns)
        let book = set.codes.book
        if let catalog, book.catalog(catalog) == nil {
            printError("logscan: unknown catalog '\(catalog)' (one of \(book.catalogs.map(\.id).joined(separator: ", ")))")
            throw ExitCode(2)
        }
        let entries = book.search(search).filter { catalog == nil || $0.catalog == catalog }
        var out = ""
        for e in entries {
            let what = e.cause.map { "cause:" + $0 } ?? e.category.map { "category:" + $0 } ?? ""
            out += "\(e.catalog)\t\(e.display)\t\(e.name ?? "-")\t\(what)\t\(e.meaning)\n"
        }
        printOut(out, terminator: "")
        if entries.isEmpty {
            printError("logscan: no code matches '\(search ?? "")'")
            throw ExitCode(1)
        }
    }
}

/// Shell completion for `explain`: the built-in cause ids.
func completionCauseIDs() -> [String] {
    RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: false)]).causeOrder.sorted()
}
