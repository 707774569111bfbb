import Foundation
import Yams

/// How a catalog's codes are written in logs, which decides how a typed or captured code is
/// read and shown.
public enum CodeKind: String, Sendable, CaseIterable {
    /// Entra ID sign-in errors: `AADSTS53003` or `53003`.
    case aadsts
    /// MSAL (`MSALErrorDomain`, `MSALInternalErrorCodeKey`): negative numbers or symbolic names.
    case msal
    /// The identity common core (`MSIDErrorDomain`): broker, SSO extension, Workplace Join.
    case msid
    /// ADAL (`ADAuthenticationErrorDomain`).
    case adal
    /// Security framework results: signed 32-bit, also printed unsigned (`4294941996`).
    case osstatus
    /// `NSURLErrorDomain`.
    case nsurlerror
    /// HTTP statuses.
    case http

    /// Kinds whose codes are context on their own and may never name a cause (causes.md:
    /// many apps print keychain and network errors unrelated to this integration).
    public var contextOnly: Bool { self == .osstatus || self == .nsurlerror || self == .http }

    /// The code as a log shows it.
    public func display(_ code: Int64) -> String { self == .aadsts ? "AADSTS\(code)" : String(code) }

    /// The number a typed or captured value stands for, in this kind's reading: `AADSTS53003`
    /// and `53003` alike; an OSStatus printed unsigned (`4294941996`) as its signed value.
    public func number(_ text: Substring) -> Int64? {
        var t = text.trimmingCharacters(in: .whitespaces)[...]
        if self == .aadsts, t.uppercased().hasPrefix("AADSTS") { t = t.dropFirst(6) }
        if t.hasPrefix("+") { t = t.dropFirst() }
        guard !t.isEmpty, t.count <= 20, let value = Int64(t) else { return nil }
        if self == .osstatus, value > Int64(Int32.max), value <= Int64(UInt32.max) {
            return value - (Int64(1) << 32)
        }
        return value
    }
}

/// One code of a catalog.
public struct CodeEntry: Sendable, Hashable {
    public let catalog: String
    public let kind: CodeKind
    public let code: Int64
    /// The symbolic name (`BlockedByConditionalAccess`, `errSecItemNotFound`), if it has one.
    public let name: String?
    /// What it means, in one sentence.
    public let meaning: String
    /// The logscan cause it is evidence for, if the catalog maps it to one.
    public let cause: String?
    /// The generic category (when there is no cause), its title and its one-line next step.
    public let category: String?
    public let categoryTitle: String?
    public let next: String?
    public let source: String
    public let file: String
    public let line: Int?

    /// The code as logs show it (`AADSTS53003`, `-25300`).
    public var display: String { kind.display(code) }
}

/// One catalog file: a kind of code, with its entries.
public struct CodeCatalog: Sendable {
    public let id: String
    public let title: String
    public let kind: CodeKind
    public let source: String
    public let entries: [CodeEntry]
    public let file: String
}

/// Every loaded catalog, with lookups by catalog and code or name.
public struct CodeBook: Sendable {
    public let catalogs: [CodeCatalog]
    private var byCode: [String: [Int64: CodeEntry]] = [:]
    private var byName: [String: [String: CodeEntry]] = [:]

    public init(catalogs: [CodeCatalog]) {
        self.catalogs = catalogs
        for c in catalogs {
            for e in c.entries {
                byCode[c.id, default: [:]][e.code] = e
                if let name = e.name { byName[c.id, default: [:]][name.lowercased()] = e }
            }
        }
    }

    public static let empty = CodeBook(catalogs: [])

    public var entryCount: Int { catalogs.reduce(0) { $0 + $1.entries.count } }

    public func catalog(_ id: String) -> CodeCatalog? { catalogs.first { $0.id == id } }

    /// The entry catalog `catalog` has for `value`, as captured from a line or typed: a number in
    /// the catalog's reading, or a symbolic name.
    public func lookup(catalog: String, value: String) -> CodeEntry? {
        guard let c = self.catalog(catalog) else { return nil }
        if let n = c.kind.number(value[...]), let e = byCode[catalog]?[n] { return e }
        return byName[catalog]?[value.trimmingCharacters(in: .whitespaces).lowercased()]
    }

    /// Every entry, in any catalog, that `query` names: a code as a log shows it (signed or
    /// unsigned, with or without `AADSTS`), or a symbolic name (ASCII case ignored).
    public func entries(matching query: String) -> [CodeEntry] {
        var out: [CodeEntry] = []
        for c in catalogs {
            if let e = lookup(catalog: c.id, value: query) { out.append(e) }
        }
        return out
    }

    /// Entries whose code, name, meaning, category or cause contains `search` (case ignored);
    /// all entries for nil.
    public func search(_ search: String?) -> [CodeEntry] {
        let all = catalogs.flatMap(\.entries)
        guard let search, !search.isEmpty else { return all }
        let needle = search.lowercased()
        let typed = Set(entries(matching: search).map { "\($0.catalog) \($0.code)" })
        return all.filter { e in
            typed.contains("\(e.catalog) \(e.code)")
                || e.display.lowercased().contains(needle)
                || (e.name?.lowercased().contains(needle) ?? false)
                || e.meaning.lowercased().contains(needle)
                || (e.cause?.contains(needle) ?? false)
                || (e.category?.contains(needle) ?? false)
        }
    }
}

/// Loads `codes/*.yml` catalog files, reporting every problem with file and line.
public enum CodeCatalogLoader {
    static let fileKeys: Set<String> = ["id", "title", "kind", "source", "categories", "codes", "description"]
    static let entryKeys: Set<String> = ["code", "name", "meaning", "cause", "category", "source"]
    static let categoryKeys: Set<String> = ["title", "next"]

    /// Layers of catalog files; a later layer's entry replaces an earlier one's with the same
    /// catalog id and code. `causes`: the known cause ids (an entry naming another is an error).
    public static func load(layers: [[PatternFile]], causes: Set<String>) -> (CodeBook, [RuleDiagnostic]) {
        var diagnostics: [RuleDiagnostic] = []
        var catalogs: [CodeCatalog] = []
        for layer in layers {
            var seenIds: [String: String] = [:]
            for file in layer {
                guard let catalog = parse(file, causes: causes, into: &diagnostics) else { continue }
                if let first = seenIds[catalog.id] {
                    diagnostics.append(RuleDiagnostic(file: file.path, field: "id", "duplicate catalog \(catalog.id)",
                                                      notes: ["first defined in \(first)"]))
                    continue
                }
                seenIds[catalog.id] = file.path
                if let k = catalogs.firstIndex(where: { $0.id == catalog.id }) {
                    let old = catalogs[k]
                    if old.kind != catalog.kind {
                        diagnostics.append(RuleDiagnostic(file: file.path, field: "kind",
                                                          "catalog \(catalog.id) is of kind \(old.kind.rawValue) in \(old.file)"))
                        continue
                    }
                    let replaced = Set(catalog.entries.map(\.code))
                    let merged = old.entries.filter { !replaced.contains($0.code) } + catalog.entries
                    catalogs[k] = CodeCatalog(id: old.id, title: old.title, kind: old.kind, source: old.source,
                                              entries: merged, file: old.file)
                } else {
                    catalogs.append(catalog)
                }
            }
        }
        return (CodeBook(catalogs: catalogs), diagnostics)
    }

    static func parse(_ file: PatternFile, causes: Set<String>, into diagnostics: inout [RuleDiagnostic]) -> CodeCatalog? {
        parseWithHeader(file, causes: causes, into: &diagnostics)?.0
    }

    static func parseWithHeader(_ file: PatternFile, causes: Set<String>,
                                into diagnostics: inout [RuleDiagnostic]) -> (CodeCatalog, Header)? {
        guard let map = RuleLoader.composeMapping(file, into: &diagnostics) else { return nil }
        var reader = FieldReader(file: file.path, map: map)
        defer { diagnostics += reader.diagnostics }
        unknownKeys(map, allowed: fileKeys, file: file.path, into: &reader.diagnostics)
        guard let id = reader.string("id", required: true) else { return nil }
        let stem = RuleLoader.fileStem(file.path)
        if id != stem { reader.error("id", "id '\(id)' differs from the file name '\(stem)'") }
        let title = reader.string("title", required: true) ?? id
        guard let kindName = reader.string("kind", required: true) else { return nil }
        guard let kind = CodeKind(rawValue: kindName) else {
            reader.error("kind", "unknown kind '\(kindName)' (expected one of \(CodeKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        let source = reader.string("source", required: true) ?? ""
        if !source.isEmpty && !isURL(source) { reader.error("source", "`source` must be an http(s) URL") }

        var categories: [String: (title: String, next: String)] = [:]
        if let node = reader["categories"] {
            if case .mapping(let cats) = node {
                for (keyNode, body) in cats {
                    guard let name = keyNode.string else { continue }
                    guard case .mapping(let b) = body else {
                        reader.error("categories", "category '\(name)' must be a mapping with `title` and `next`", line: body.mark?.line)
                        continue
                    }
                    unknownKeys(b, allowed: categoryKeys, file: file.path, into: &reader.diagnostics, field: "categories.\(name)")
                    guard let t = b["title"]?.string, !t.isEmpty, let n = b["next"]?.string, !n.isEmpty else {
                        reader.error("categories", "category '\(name)' needs a `title` and a one-line `next` step", line: keyNode.mark?.line)
                        continue
                    }
                    categories[name] = (t, n)
                }
            } else {
                reader.error("categories", "`categories` must be a mapping of name to {title, next}")
            }
        }

        guard let codesNode = reader["codes"] else {
            reader.error("codes", "missing required key `codes`")
            return nil
        }
        guard case .sequence(let items) = codesNode else {
            reader.error("codes", "`codes` must be a list of entries")
            return nil
        }
        let header = Header(id: id, title: title, kind: kind, source: source, categories: categories)
        var entries: [CodeEntry] = []
        var seen: [Int64: Int?] = [:]
        for item in items {
            if let e = entry(item, header: header, file: file.path, causes: causes, seen: &seen, reader: &reader) { entries.append(e) }
        }
        return (CodeCatalog(id: id, title: title, kind: kind, source: source, entries: entries, file: file.path), header)
    }

    /// What a catalog file says before its `codes`.
    struct Header {
        let id: String
        let title: String
        let kind: CodeKind
        let source: String
        let categories: [String: (title: String, next: String)]
    }

    /// One entry of `codes`, checked against the header; nil (with diagnostics) when unusable.
    static func entry(_ item: Node, header: Header, file: String, causes: Set<String>,
                      seen: inout [Int64: Int?], reader: inout FieldReader, lineOffset: Int = 0) -> CodeEntry? {
        let line = item.mark.map { $0.line + lineOffset }
        guard case .mapping(let m) = item else {
            reader.error("codes", "each code is a mapping with `code` and `meaning`", line: line)
            return nil
        }
        unknownKeys(m, allowed: entryKeys, file: file, into: &reader.diagnostics, field: "codes")
        func text(_ key: String) -> String? {
            guard let v = m[key] else { return nil }
            guard case .scalar = v, let s = v.string, !s.isEmpty else {
                reader.error("codes.\(key)", "`\(key)` must be a non-empty string", line: v.mark?.line ?? line)
                return nil
            }
            return s
        }
        guard let codeText = text("code") else {
            if m["code"] == nil { reader.error("codes.code", "an entry needs a `code`", line: line) }
            return nil
        }
        guard let code = Int64(codeText), header.kind != .aadsts || code > 0 else {
            reader.error("codes.code", "code '\(codeText)' is not a whole number\(header.kind == .aadsts ? " (write AADSTS codes without the prefix)" : "")", line: line)
            return nil
        }
        if header.kind == .osstatus, code < Int64(Int32.min) || code > Int64(Int32.max) {
            reader.error("codes.code", "OSStatus \(code) is outside the signed 32-bit range (write the signed form)", line: line)
            return nil
        }
        if let first = seen[code] {
            reader.error("codes.code", "duplicate code \(header.kind.display(code))" + (first.map { " (first at line \($0))" } ?? ""), line: line)
            return nil
        }
        seen[code] = line
        let name = text("name")
        let meaning = text("meaning")
        if meaning == nil && m["meaning"] == nil { reader.error("codes.meaning", "\(header.kind.display(code)) needs a `meaning`", line: line) }
        let cause = text("cause")
        let category = text("category")
        if let cause {
            if header.kind.contextOnly {
                reader.error("codes.cause", "\(header.kind.rawValue) codes are context only and may not name a cause (\(header.kind.display(code)) names '\(cause)')", line: line)
            } else if !causes.contains(cause) {
                reader.error("codes.cause", "unknown cause '\(cause)' for \(header.kind.display(code))", line: line)
            }
        }
        if cause != nil && category != nil {
            reader.error("codes", "\(header.kind.display(code)) has both `cause` and `category`: give one", line: line)
        }
        if cause == nil && category == nil && m["cause"] == nil && m["category"] == nil {
            reader.error("codes", "\(header.kind.display(code)) needs a `cause` or a `category`", line: line)
        }
        if let category, header.categories[category] == nil {
            reader.error("codes.category", "unknown category '\(category)' for \(header.kind.display(code)) (define it under `categories`)", line: line)
        }
        let entrySource = text("source") ?? header.source
        if let s = text("source"), !isURL(s) { reader.error("codes.source", "`source` must be an http(s) URL", line: line) }
        guard let meaning else { return nil }
        let cat = category.flatMap { header.categories[$0] }
        return CodeEntry(catalog: header.id, kind: header.kind, code: code, name: name, meaning: meaning, cause: cause,
                                 category: category, categoryTitle: cat?.title, next: cat?.next,
                                 source: entrySource, file: file, line: line)
    }

    static func isURL(_ s: String) -> Bool { s.hasPrefix("https://") || s.hasPrefix("http://") }

    /// Unknown keys are errors in a catalog (a misspelt `cause` must not pass silently).
    static func unknownKeys(_ map: Node.Mapping, allowed: Set<String>, file: String,
                            into diagnostics: inout [RuleDiagnostic], field: String? = nil) {
        for key in map.keys {
            guard let name = key.string, !allowed.contains(name) else { continue }
            diagnostics.append(RuleDiagnostic(file: file, field: field.map { "\($0).\(name)" } ?? name, line: key.mark?.line,
                                              "unknown key '\(name)' (expected one of \(allowed.sorted().joined(separator: ", ")))"))
        }
    }
}

/// The catalogs a rule set was loaded with, parsed the first time something needs them: a scan
/// that meets no code never parses them (they are most of the pattern YAML).
public final class CodeBookSource: @unchecked Sendable {
    private let layers: [[PatternFile]]
    private let causes: Set<String>
    private let lock = NSLock()
    private var loaded: (CodeBook, [RuleDiagnostic])?

    public init(layers: [[PatternFile]], causes: Set<String>) {
        self.layers = layers.filter { !$0.isEmpty }
        self.causes = causes
        catalogIds = Set(self.layers.joined().map { RuleLoader.fileStem($0.path) })
    }

    public static let none = CodeBookSource(layers: [], causes: [])

    /// The catalog ids (file names), known without parsing: a named capture with one of these
    /// names is a code to look up in that catalog.
    public let catalogIds: Set<String>

    /// The catalog a named capture is looked up in: `aadsts`, or `aadsts_<anything>` when one
    /// pattern captures two codes of a catalog (`msal`, `msal_internal`); nil for other names.
    public func catalog(forCapture name: String) -> String? {
        if catalogIds.contains(name) { return name }
        guard let cut = name.firstIndex(of: "_") else { return nil }
        let prefix = String(name[..<cut])
        return catalogIds.contains(prefix) ? prefix : nil
    }

    public var hasFiles: Bool { !layers.isEmpty }

    /// Whether any catalog file came from outside the binary (those are validated at start-up).
    public var hasExternalFiles: Bool { layers.joined().contains { !$0.builtin } }

    public var book: CodeBook { load().0 }
    public var diagnostics: [RuleDiagnostic] { load().1 }

    /// The entry catalog `catalog` has for `value` (a code as a log prints it, or a name).
    /// A report needs a handful of codes: when a catalog comes from one file written one entry
    /// a line (as the built-in ones are), only its header and the lines of the codes asked for
    /// are parsed (with Yams, like the whole file), not its hundreds of entries. Anything else
    /// parses the whole book, which `rules check` and the tests compare this with.
    public func lookup(catalog: String, value: String) -> CodeEntry? {
        lock.lock()
        let full = loaded
        lock.unlock()
        if let full { return full.0.lookup(catalog: catalog, value: value) }
        guard let index = lineIndex(catalog) else { return book.lookup(catalog: catalog, value: value) }
        return index.lookup(value, causes: causes)
    }

    private var indexes: [String: CatalogLineIndex?] = [:]

    private func lineIndex(_ catalog: String) -> CatalogLineIndex? {
        lock.lock()
        defer { lock.unlock() }
        if let known = indexes[catalog] { return known }
        let files = layers.joined().filter { RuleLoader.fileStem($0.path) == catalog }
        let index = files.count == 1 ? CatalogLineIndex(files[0], causes: causes) : nil
        indexes[catalog] = index
        return index
    }

    private func load() -> (CodeBook, [RuleDiagnostic]) {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let result = CodeCatalogLoader.load(layers: layers, causes: causes)
        loaded = result
        return result
    }
}

/// One catalog file read one entry at a time: its header parsed once, and, per code or name
/// asked for, the single line that holds that entry. Built only for a file whose every entry is
/// one `  - {code: …}` line; nil otherwise (the caller then parses the whole file).
final class CatalogLineIndex: @unchecked Sendable {
    private let file: PatternFile
    private let header: CodeCatalogLoader.Header
    private let lines: [Substring]
    private var byCode: [Int64: Int] = [:]
    private var byName: [String: Int] = [:]
    private var parsed: [Int: CodeEntry?] = [:]
    private let lock = NSLock()

    init?(_ file: PatternFile, causes: Set<String>) {
        let lines = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
        guard let codesAt = lines.firstIndex(where: { $0.hasPrefix("codes:") }),
              lines[codesAt].trimmingCharacters(in: .whitespaces) == "codes:" else { return nil }
        var headerOnly = PatternFile(path: file.path, contents: lines[..<codesAt].joined(separator: "\n") + "\ncodes: []\n")
        headerOnly.isCatalog = true
        var diagnostics: [RuleDiagnostic] = []
        guard let (_, header) = CodeCatalogLoader.parseWithHeader(headerOnly, causes: causes, into: &diagnostics),
              diagnostics.isEmpty else { return nil }
        self.file = file
        self.header = header
        self.lines = lines
        for k in lines.index(after: codesAt)..<lines.endIndex {
            let line = lines[k]
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            // Every entry is one flow mapping on one line: `- {code: N, …}`.
            guard line.hasPrefix("  - {code: "), line.hasSuffix("}"),
                  let code = Self.value(of: "code", in: line).flatMap({ Int64($0) }) else { return nil }
            guard byCode[code] == nil else { return nil }
            byCode[code] = k
            if let name = Self.value(of: "name", in: line) { byName[name.lowercased()] = k }
        }
    }

    /// The plain scalar after `key: ` in a one-line flow mapping (up to `,` or `}`); nil when
    /// absent or quoted (a quoted name is then only found by parsing the whole file).
    static func value(of key: String, in line: Substring) -> Substring? {
        guard let r = line.range(of: (key == "code" ? "{" : ", ") + key + ": ") else { return nil }
        let rest = line[r.upperBound...]
        guard let first = rest.first, first != "\"", first != "'" else { return nil }
        let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
        return rest[..<end].trimmingCharacters(in: .whitespaces)[...]
    }

    func lookup(_ value: String, causes: Set<String>) -> CodeEntry? {
        let k: Int?
        if let n = header.kind.number(value[...]) { k = byCode[n] } else { k = nil }
        guard let line = k ?? byName[value.trimmingCharacters(in: .whitespaces).lowercased()] else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let done = parsed[line] { return done }
        var entry: CodeEntry? = nil
        if let node = try? Yams.compose(yaml: String(lines[line]), .basic, .default, .utf8),
           case .sequence(let items) = node, let item = items.first, case .mapping(let map) = item {
            var reader = FieldReader(file: file.path, map: map)
            var seen: [Int64: Int?] = [:]
            entry = CodeCatalogLoader.entry(item, header: header, file: file.path, causes: causes, seen: &seen,
                                            reader: &reader, lineOffset: line)
        }
        parsed[line] = entry
        return entry
    }
}
