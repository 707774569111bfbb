import Foundation
import Yams
import LogscanSupport

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
