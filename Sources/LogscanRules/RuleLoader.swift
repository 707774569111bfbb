import Foundation
import LogscanInput
import LogscanPCRE2
import Yams
import LogscanSupport
import LogscanPrefilter

/// Loads rule and cause files, reporting every problem in every file (never stopping at the first).
public enum RuleLoader {
    /// The files built into the binary, shown as `Patterns/<path>`. Without `examples`, each
    /// file as the build left it without its examples and comments (same line numbers): a
    /// third of the YAML to parse at start-up, for commands that never run the examples.
    public static func builtinFiles(examples: Bool = true) -> [PatternFile] {
        BuiltinPatterns.files.filter { !isDataFile($0.path) }.map {
            PatternFile(path: "Patterns/" + $0.path, contents: examples ? $0.contents : $0.lean, examplesLeftOut: !examples,
                        builtin: true, isCatalog: PatternFile.isCatalogPath($0.path))
        }
    }

    /// Folders of `Patterns/` that hold data other parts of logscan read, not rules or causes.
    static let dataFolders = ["redaction/"]

    /// Whether `relativePath` (under a patterns folder) is such a data file.
    static func isDataFile(_ relativePath: String) -> Bool {
        dataFolders.contains { relativePath.hasPrefix($0) }
    }

    /// Every `.yml`/`.yaml` file under `directory` but the data folders, sorted by path.
    public static func files(inDirectory directory: String) throws(RuleDiagnostic) -> [PatternFile] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw RuleDiagnostic(file: directory, "not a directory of rule files")
        }
        var paths: [String] = []
        if let walker = FileManager.default.enumerator(atPath: directory) {
            for case let relative as String in walker where (relative.hasSuffix(".yml") || relative.hasSuffix(".yaml")) && !isDataFile(relative) {
                paths.append(relative)
            }
        }
        var files: [PatternFile] = []
        for relative in paths.sorted() {
            let path = (directory as NSString).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RuleDiagnostic(file: path, "cannot read the file")
            }
            files.append(PatternFile(path: path, contents: decodeRuleFile(data),
                                     isCatalog: PatternFile.isCatalogPath(relative)))
        }
        return files
    }

    /// Loads layers of files: within a layer every id must be unique; a later layer replaces
    /// rules and causes of an earlier one that have the same id.
    public static func load(layers allLayers: [[PatternFile]]) -> RuleSet {
        // Catalogs are parsed on first use (CodeBookSource); rules and causes now.
        let catalogLayers = allLayers.map { $0.filter(\.isCatalog) }
        let layers = allLayers.map { $0.filter { !$0.isCatalog } }
        var rules: [Rule] = []
        var causes: [String: CauseDefinition] = [:]
        var causeOrder: [String] = []
        var diagnostics: [RuleDiagnostic] = []
        var causeReferences: [(rule: String, cause: String, file: String, line: Int?)] = []

        for layer in layers {
            var seen: [String: String] = [:]
            let results = parseAll(layer)
            for (file, (parsed, fileDiagnostics)) in zip(layer, results) {
                diagnostics += fileDiagnostics
                guard let parsed else { continue }
                let id: String
                let key: String
                switch parsed {
                case .rule(let rule, let causeLine):
                    id = rule.id
                    key = "rule " + id
                    if let cause = rule.cause { causeReferences.append((rule.id, cause, file.path, causeLine)) }
                    if let index = rules.firstIndex(where: { $0.id == rule.id }) {
                        if seen[key] == nil { rules[index] = rule }
                    } else {
                        rules.append(rule)
                    }
                case .cause(let cause):
                    id = cause.id
                    key = "cause " + id
                    if causes[cause.id] == nil { causeOrder.append(cause.id) }
                    if seen[key] == nil { causes[cause.id] = cause }
                }
                // Rules and causes are separate namespaces: a rule may share its cause's id.
                if let first = seen[key] {
                    diagnostics.append(RuleDiagnostic(file: file.path, field: "id", "duplicate \(key)",
                                                      notes: ["first defined in \(first)"]))
                } else {
                    seen[key] = file.path
                }
            }
        }
        for ref in causeReferences where causes[ref.cause] == nil {
            // Only complain if the rule that names it is still the one in force.
            if rules.first(where: { $0.id == ref.rule })?.file == ref.file {
                diagnostics.append(RuleDiagnostic(file: ref.file, field: "cause", line: ref.line,
                                                  "unknown cause '\(ref.cause)'",
                                                  notes: ["known causes are the ids of the cause files (logscan rules list)"]))
            }
        }
        diagnostics += consequenceDiagnostics(causes: causes, order: causeOrder)
        let signals = Set(rules.flatMap(\.signals))
        for id in causeOrder {
            guard let cause = causes[id] else { continue }
            for name in cause.conditions.flatMap(\.signalNames) where !signals.contains(name) {
                diagnostics.append(RuleDiagnostic(file: cause.file, field: "when",
                                                  "unknown signal '\(name)': no rule carries it",
                                                  notes: ["signals are the `signals` of rule files (logscan rules list)"]))
            }
        }
        let codes = CodeBookSource(layers: catalogLayers, causes: Set(causes.keys))
        return RuleSet(rules: rules, causes: causes, causeOrder: causeOrder, diagnostics: diagnostics, codes: codes)
    }

    /// `consequence_of` must name known causes and must not go round in a circle (A explains B
    /// explains A): each cycle is reported once, at the file of its first cause in load order.
    static func consequenceDiagnostics(causes: [String: CauseDefinition], order: [String]) -> [RuleDiagnostic] {
        var out: [RuleDiagnostic] = []
        for id in order {
            guard let cause = causes[id] else { continue }
            for root in cause.consequenceOf where root != id && causes[root] == nil {
                out.append(RuleDiagnostic(file: cause.file, field: "consequence_of", "unknown cause '\(root)'",
                                          notes: ["known causes are the ids of the cause files (logscan rules list)"]))
            }
        }
        // Depth-first search over "is a consequence of" edges; a grey node met again is a cycle.
        var state: [String: Int] = [:]  // 1 = on the current path, 2 = done
        var reported = Set<String>()
        func visit(_ id: String, path: [String]) {
            guard let cause = causes[id] else { return }
            state[id] = 1
            for root in cause.consequenceOf where root != id && causes[root] != nil {
                if state[root] == 1 {
                    let cycle = Array(path.drop { $0 != root }) + [id, root]
                    let key = Set(cycle).sorted().joined(separator: ",")
                    if reported.insert(key).inserted {
                        out.append(RuleDiagnostic(file: cause.file, field: "consequence_of",
                                                  "consequence_of goes round in a circle: " + cycle.joined(separator: " → ")))
                    }
                } else if state[root] == nil {
                    visit(root, path: path + [id])
                }
            }
            state[id] = 2
        }
        for id in order where state[id] == nil { visit(id, path: []) }
        return out
    }

    package enum Parsed { case rule(Rule, causeLine: Int?), cause(CauseDefinition) }

    /// Parses files on every core (YAML parsing and pattern compilation are most of start-up);
    /// results come back in file order, so diagnostics and precedence do not depend on timing.
    static func parseAll(_ files: [PatternFile]) -> [(Parsed?, [RuleDiagnostic])] {
        let results = UnsafeMutableBufferPointer<(Parsed?, [RuleDiagnostic])>.allocate(capacity: files.count)
        defer { results.deallocate() }
        let slots = SharedSlots(results)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            var diagnostics: [RuleDiagnostic] = []
            let parsed = parse(files[i], into: &diagnostics)
            // Each iteration initializes its own slot only.
            (slots.buffer.baseAddress! + i).initialize(to: (parsed, diagnostics))
        }
        let out = Array(results)
        _ = results.deinitialize()
        return out
    }


    static let ruleKeys: Set<String> = ["id", "title", "cause", "signals", "severity", "formats", "pattern",
                                        "patterns", "requires", "excludes", "literals", "and_literals", "examples",
                                        "description", "references", "tags"]
    static let causeKeys: Set<String> = ["id", "title", "severity", "summary", "fix", "references", "when",
                                         "consequence_of", "description", "tags"]

    /// The file's top-level mapping, or nil with a diagnostic (YAML error, empty, not a mapping).
    static func composeMapping(_ file: PatternFile, into diagnostics: inout [RuleDiagnostic]) -> Node.Mapping? {
        let root: Node
        do {
            // The basic resolver: every scalar is a string (no regex-based type guessing at start-up).
            guard let node = try Yams.compose(yaml: file.contents, .basic, .default, .utf8) else {
                diagnostics.append(RuleDiagnostic(file: file.path, "empty file"))
                return nil
            }
            root = node
        } catch let error as YamlError {
            diagnostics.append(yamlDiagnostic(error, file: file.path))
            return nil
        } catch {
            diagnostics.append(RuleDiagnostic(file: file.path, "YAML error: \(error)"))
            return nil
        }
        guard case .mapping(let map) = root else {
            diagnostics.append(RuleDiagnostic(file: file.path, line: root.mark?.line, "expected a mapping of keys"))
            return nil
        }
        return map
    }

    package static func parse(_ file: PatternFile, into diagnostics: inout [RuleDiagnostic]) -> Parsed? {
        guard let map = composeMapping(file, into: &diagnostics) else { return nil }
        var reader = FieldReader(file: file.path, map: map)
        let expected = fileStem(file.path)
        guard let id = reader.string("id", required: true) else {
            diagnostics += reader.diagnostics
            return nil
        }
        if id != expected {
            reader.error("id", "id '\(id)' differs from the file name '\(expected)'")
        }
        let isRule = reader["pattern"] != nil || reader["patterns"] != nil
        let isCause = !isRule && (reader["fix"] != nil || reader["summary"] != nil || reader["when"] != nil)
        defer { diagnostics += reader.diagnostics }
        if isRule {
            reader.warnUnknown(allowed: ruleKeys)
            return parseRule(id: id, reader: &reader, examples: !file.examplesLeftOut, builtin: file.builtin).map { .rule($0, causeLine: reader.line("cause")) }
        }
        if isCause {
            reader.warnUnknown(allowed: causeKeys)
            return parseCause(id: id, reader: &reader).map { .cause($0) }
        }
        reader.error(nil, "neither a rule (needs `pattern` or `patterns`) nor a cause (needs `fix` and `summary`)")
        return nil
    }

    static func parseRule(id: String, reader: inout FieldReader, examples: Bool = true, builtin: Bool = false) -> Rule? {
        let title = reader.string("title") ?? id
        let cause = reader.string("cause")
        let signals = reader.strings("signals") ?? []
        let severity = reader.severity("severity")
        let formats = reader.formats("formats")
        var sources: [(String, Int?)] = []
        if let one = reader.string("pattern") { sources.append((one, reader.line("pattern"))) }
        if let many = reader.stringsWithLines("patterns") { sources += many }
        if sources.isEmpty { reader.error("pattern", "a rule needs `pattern` or a non-empty `patterns` list") }
        var compiled: [CompiledPattern] = []
        for (source, line) in sources {
            do {
                compiled.append(try CompiledPattern(source))
            } catch {
                reader.diagnostics.append(patternDiagnostic(error, pattern: source, file: reader.file, line: line))
            }
        }
        func compileList(_ field: String) -> [CompiledPattern] {
            var out: [CompiledPattern] = []
            for (source, line) in reader.stringsWithLines(field) ?? [] {
                do {
                    out.append(try CompiledPattern(source))
                } catch {
                    reader.diagnostics.append(patternDiagnostic(error, pattern: source, file: reader.file, line: line, field: field))
                }
            }
            return out
        }
        let requires = compileList("requires")
        let excludes = compileList("excludes")
        var literals: [String] = []
        if let declared = reader.strings("literals") {
            for literal in declared where !LiteralExtractor.isUsable(literal) {
                reader.error("literals", "literal '\(literal)' is not usable by the prefilter: it must be at least \(LiteralExtractor.minimumLength) ASCII characters without \", / or \\")
            }
            literals = declared
        } else {
            for (source, line) in sources {
                if let found = LiteralExtractor.extract(source) {
                    literals += found
                } else {
                    reader.diagnostics.append(RuleDiagnostic(file: reader.file, field: "literals", line: line,
                        "cannot find a literal that every match of this pattern contains",
                        notes: [quoted(source, around: nil).text, "help: list them in `literals:` (each matching line contains one of them)"]))
                }
            }
        }
        var seenLiteral = Set<String>()
        literals = literals.filter { seenLiteral.insert($0.lowercased()).inserted }
        let andLiterals = reader.strings("and_literals") ?? []
        for literal in andLiterals where !LiteralExtractor.isUsable(literal, minimumLength: AnyLiteral.minimumLength) {
            reader.error("and_literals", "literal '\(literal)' is not usable by the prefilter: it must be at least \(AnyLiteral.minimumLength) ASCII characters without \", / or \\")
        }
        if andLiterals.reduce(0, { $0 + $1.utf8.count }) > 64 {
            reader.error("and_literals", "and_literals may hold 64 characters in all; these hold more")
        }
        let (matchExamples, noMatchExamples) = examples ? reader.examples() : ([], [])
        guard compiled.count == sources.count, !sources.isEmpty else { return nil }
        return Rule(id: id, title: title, cause: cause, signals: signals, severity: severity, formats: formats,
                    patterns: compiled, requires: requires, excludes: excludes, literals: literals, andLiterals: andLiterals,
                    matchExamples: matchExamples,
                    noMatchExamples: noMatchExamples, file: reader.file, builtin: builtin)
    }

    static func parseCause(id: String, reader: inout FieldReader) -> CauseDefinition? {
        let title = reader.string("title", required: true) ?? id
        let severity = reader.severity("severity") ?? .medium
        if reader["severity"] == nil { reader.error("severity", "a cause needs a `severity`") }
        let summary = reader.string("summary", required: true) ?? ""
        let fix = reader.strings("fix") ?? []
        if fix.isEmpty { reader.error("fix", "a cause needs at least one `fix` step") }
        let references = reader.strings("references") ?? []
        let conditions = ConditionReader.conditions(reader["when"], file: reader.file, into: &reader.diagnostics)
        let consequenceOf = reader.strings("consequence_of") ?? []
        if consequenceOf.contains(id) { reader.error("consequence_of", "a cause cannot be a consequence of itself") }
        return CauseDefinition(id: id, title: title, severity: severity, summary: summary, fix: fix,
                               references: references, conditions: conditions, consequenceOf: consequenceOf,
                               file: reader.file)
    }

    /// The file name without directory and extension ("rules/a.b.yml" → "a.b"; ".yml" stays).
    /// Plain string work: bridging to NSString cost more than the rest of a small file's parse.
    static func fileStem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    static func yamlDiagnostic(_ error: YamlError, file: String) -> RuleDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML error: \(problem)"
            if let context { message += " \(context.text)" }
            return RuleDiagnostic(file: file, line: mark.line, message)
        default:
            return RuleDiagnostic(file: file, "YAML error: \(error)")
        }
    }

    /// The text of a rule file. YAML may be UTF-8 or UTF-16 (a BOM, or the NULs every other
    /// byte that ASCII text has in UTF-16 without one), as an editor on Windows saves it;
    /// invalid bytes become U+FFFD.
    static func decodeRuleFile(_ data: Data) -> String {
        let bytes = [UInt8](data.prefix(2))
        let bom = bytes == [0xFF, 0xFE] || bytes == [0xFE, 0xFF]
        let head = [UInt8](data.prefix(64))
        let evenNULs = stride(from: 0, to: head.count, by: 2).filter { head[$0] == 0 }.count
        let oddNULs = stride(from: 1, to: head.count, by: 2).filter { head[$0] == 0 }.count
        if bom || evenNULs + oddNULs > head.count / 4 {
            let encoding: String.Encoding = bom ? .utf16 : (oddNULs >= evenNULs ? .utf16LittleEndian : .utf16BigEndian)
            if let text = String(data: data, encoding: encoding) { return text }
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// How much of a pattern a diagnostic quotes: a longer one is cut around the error.
    static let quotedPatternBytes = 200

    /// A pattern as a diagnostic quotes it: control characters escaped, and one longer than
    /// `quotedPatternBytes` cut to the part around `offset` (its start if none), with `…` where
    /// it was cut and its full size. `column` is where `offset` falls in `text`.
    package static func quoted(_ pattern: String, around offset: Int?) -> (text: String, column: Int?) {
        let bytes = Array(pattern.utf8)
        var start = 0, end = bytes.count
        if bytes.count > quotedPatternBytes {
            let at = min(offset ?? 0, bytes.count)
            start = max(0, min(at - quotedPatternBytes / 2, bytes.count - quotedPatternBytes))
            end = min(bytes.count, start + quotedPatternBytes)
            // On character boundaries (not inside a UTF-8 sequence).
            while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        }
        func shown(_ range: Range<Int>) -> String { TerminalText.escaped(String(decoding: bytes[range], as: UTF8.self)) }
        let lead = start > 0 ? "…" : ""
        var text = lead + shown(start..<end) + (end < bytes.count ? "…" : "")
        if bytes.count > quotedPatternBytes { text += " (\(bytes.count) bytes in all, cut)" }
        let column = offset.map { lead.count + shown(start..<max(start, min($0, end))).count }
        return (text, column)
    }

    /// A PCRE2 compile error with the pattern (control characters escaped; a long one cut to
    /// the part around the error, with `…` where it was cut) and a caret under the offset.
    static func patternDiagnostic(_ error: PCRE2Error, pattern: String, file: String, line: Int?,
                                  field: String = "pattern") -> RuleDiagnostic {
        let (text, column) = quoted(pattern, around: error.offset)
        var notes = [text]
        if let offset = error.offset, let column {
            notes.append(String(repeating: " ", count: column) + "^ offset \(offset)")
        }
        return RuleDiagnostic(file: file, field: field, line: line,
                              "pattern does not compile: \(error.message)", notes: notes)
    }
}
