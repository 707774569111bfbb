import Foundation
import Yams
import LogscanSupport

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

    package static func parse(_ file: PatternFile, causes: Set<String>, into diagnostics: inout [RuleDiagnostic]) -> CodeCatalog? {
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
    package struct Header {
        package let id: String
        package let title: String
        package let kind: CodeKind
        package let source: String
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
