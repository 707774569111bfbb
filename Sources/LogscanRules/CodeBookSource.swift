import Foundation
import Yams
import LogscanSupport

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

    package init?(_ file: PatternFile, causes: Set<String>) {
        let lines = Self.lines(file.contents)
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

    /// The lines of `text` (split at "\n", empty ones kept), found in its UTF-8 bytes: splitting
    /// by Character cost more than the rest of the index.
    package static func lines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        // "\r\n" is one Character, which a split at "\n" does not cut: keep that meaning.
        if utf8.contains(0x0D) { return text.split(separator: "\n", omittingEmptySubsequences: false) }
        var lines: [Substring] = []
        var start = utf8.startIndex
        while let newline = utf8[start...].firstIndex(of: 0x0A) {
            lines.append(text[start..<newline])
            start = utf8.index(after: newline)
        }
        lines.append(text[start...])
        return lines
    }

    /// The plain scalar after `key: ` in a one-line flow mapping (up to `,` or `}`); nil when
    /// absent or quoted (a quoted name is then only found by parsing the whole file).
    package static func value(of key: String, in line: Substring) -> Substring? {
        let marker = (key == "code" ? "{" : ", ") + key + ": "
        // An ASCII line is searched byte by byte; Foundation's search (which treats canonically
        // equivalent text as equal) is many times slower and can differ only beyond ASCII.
        let ascii = line.utf8.allSatisfy { $0 < 0x80 }
        guard let r = ascii ? Self.asciiRange(of: marker, in: line) : line.range(of: marker) else { return nil }
        let rest = line[r.upperBound...]
        guard let first = rest.first, first != "\"", first != "'" else { return nil }
        guard ascii else {
            let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
            return rest[..<end].trimmingCharacters(in: .whitespaces)[...]
        }
        // The same in bytes: up to `,` or `}`, without the spaces and tabs around it (the
        // only ASCII members of `.whitespaces`).
        let bytes = rest.utf8
        let end = bytes.firstIndex { $0 == 0x2C || $0 == 0x7D } ?? bytes.endIndex
        var a = bytes.startIndex, b = end
        while a < b && (bytes[a] == 0x20 || bytes[a] == 0x09) { a = bytes.index(after: a) }
        while a < b, case let before = bytes.index(before: b), bytes[before] == 0x20 || bytes[before] == 0x09 { b = before }
        return rest[a..<b]
    }

    /// Where `needle` (ASCII) first occurs in the ASCII `line`.
    static func asciiRange(of needle: String, in line: Substring) -> Range<Substring.Index>? {
        let n = Array(needle.utf8), hay = line.utf8
        guard let first = n.first else { return nil }
        var i = hay.startIndex
        while let at = hay[i...].firstIndex(of: first) {
            if let end = hay.index(at, offsetBy: n.count, limitedBy: hay.endIndex), hay[at..<end].elementsEqual(n) {
                return at..<end
            }
            i = hay.index(after: at)
        }
        return nil
    }

    package func lookup(_ value: String, causes: Set<String>) -> CodeEntry? {
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
