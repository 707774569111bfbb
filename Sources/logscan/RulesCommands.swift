import ArgumentParser
import Foundation
import LogscanCore
import LogscanPCRE2

/// `logscan rules list|check|test|export`.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List, validate, test and export the rules.",
        subcommands: [List.self, Check.self, Test.self, Export.self]
    )

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
            let (set, broken) = loadRules(extraDirectories: directories, quietWarnings: false, examples: true)
            let scope = directories.isEmpty ? set.rules : set.rules.filter { !$0.builtin }
            printOut("\(scope.count) rules, \(set.causes.count) causes checked: \(broken ? "errors found" : "no errors")")
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
                for problem in tester.check(ruleIndex: index) {
                    printOut("FAIL \(rule.id): \(problem)")
                    failures += 1
                }
                examples += rule.matchExamples.count + rule.noMatchExamples.count
            }
            printOut("\(tested) rules, \(examples) examples: \(failures == 0 ? "all passed" : "\(failures) failed")")
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
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "What a cause means and how to fix it.")
    @Argument(help: "A cause id (see `logscan rules list`).", completion: .custom { _, _, _ in completionCauseIDs() })
    var cause: String
    @Option(name: .long, help: ArgumentHelp("Load rules from DIR too (repeatable).", valueName: "DIR"), completion: .directory)
    var patterns: [String] = []

    func run() throws {
        let (set, _) = loadRules(extraDirectories: patterns)
        guard let c = set.causes[cause] else {
            let close = set.causeOrder.filter { $0.contains(cause) || cause.contains($0) }
            printError("logscan: unknown cause '\(cause)'" + (close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?") + " (logscan rules list shows them all)")
            throw ExitCode(2)
        }
        var out = "\(c.id) — \(c.title)\nseverity: \(c.severity.rawValue)\n\n"
        out += wrap(c.summary) + "\n\nHow to fix it:\n"
        for (n, step) in c.fix.enumerated() { out += wrap("\(n + 1). \(step)", indent: "  ", hanging: "     ") }
        let evidence = set.rules.filter { $0.cause == c.id }
        if !evidence.isEmpty {
            out += "\nEvidence logscan looks for:\n"
            for r in evidence { out += "  - \(r.title) (rule \(r.id))\n" }
        }
        if !c.conditions.isEmpty {
            out += "\nAlso established over time when:\n"
            for condition in c.conditions { out += "  - \(describe(condition))\n" }
        }
        if evidence.isEmpty && c.conditions.isEmpty {
            out += "\nNo log signature is known for this cause: logscan never reports it, but it is worth checking by hand.\n"
        }
        if !c.references.isEmpty {
            out += "\nReferences:\n" + c.references.map { "  \($0)\n" }.joined()
        }
        printOut(out, terminator: "")
    }

    func describe(_ condition: CauseCondition) -> String {
        switch condition {
        case .gap(let s, let min, let formats):
            return "no \(s) line for \(min.description) or more while the \(formats.map(\.rawValue).sorted().joined(separator: "/")) log goes on"
        case .span(let f, let s, let min, _):
            return "\(f) lines spanning \(min.description) or more with no \(s) line between them"
        case .repeat(let s, let min, let cluster):
            return "\(min) or more separate \(s) occurrences (lines within \(cluster.description) count as one)"
        case .distinct(let s, let capture, let min):
            return "\(min) or more distinct \(capture) values on \(s) lines"
        case .together(let all, let none, let window):
            var text = "all of \(all.joined(separator: ", ")) present"
            if let window { text += " within \(window.description)" }
            if !none.isEmpty { text += ", and none of \(none.joined(separator: ", "))" }
            return text
        }
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

/// Shell completion for `explain`: the built-in cause ids.
func completionCauseIDs() -> [String] {
    RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: false)]).causeOrder.sorted()
}
