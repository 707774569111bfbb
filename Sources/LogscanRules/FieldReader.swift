import Foundation
import LogscanInput
import LogscanPCRE2
import Yams
import LogscanSupport
import LogscanPrefilter

/// Reads typed fields out of a YAML mapping, collecting diagnostics with line numbers.
struct FieldReader {
    package let file: String
    package let map: Node.Mapping
    /// The mapping's values by key, made once: Yams looks a key up by building a node for it
    /// and comparing it with every key in turn, and a rule file is read a dozen keys at a time.
    private let fields: [String: Node]
    package var diagnostics: [RuleDiagnostic] = []

    package init(file: String, map: Node.Mapping) {
        self.file = file
        self.map = map
        var fields: [String: Node] = [:]
        for (key, value) in map {
            if case .scalar = key, let name = key.string, fields[name] == nil { fields[name] = value }
        }
        self.fields = fields
    }

    /// The value of `key`, if the mapping has it.
    package subscript(key: String) -> Node? { fields[key] }

    package func line(_ key: String) -> Int? { self[key]?.mark?.line }

    package mutating func error(_ field: String?, _ message: String, line: Int? = nil) {
        diagnostics.append(RuleDiagnostic(file: file, field: field, line: line ?? field.flatMap { self.line($0) }, message))
    }

    mutating func warnUnknown(allowed: Set<String>) {
        for key in map.keys {
            guard let name = key.string, !allowed.contains(name) else { continue }
            diagnostics.append(RuleDiagnostic(.warning, file: file, field: name, line: key.mark?.line, "unknown key '\(name)'"))
        }
    }

    package mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let node = self[key] else {
            if required { error(key, "missing required key `\(key)`") }
            return nil
        }
        guard case .scalar = node, let value = node.string, !value.isEmpty else {
            error(key, "`\(key)` must be a non-empty string")
            return nil
        }
        return value
    }

    package mutating func strings(_ key: String) -> [String]? {
        stringsWithLines(key)?.map(\.0)
    }

    mutating func stringsWithLines(_ key: String) -> [(String, Int?)]? {
        guard let node = self[key] else { return nil }
        if case .scalar = node, let one = node.string { return [(one, node.mark?.line)] }
        guard case .sequence(let seq) = node else {
            error(key, "`\(key)` must be a list of strings")
            return nil
        }
        var out: [(String, Int?)] = []
        for item in seq {
            guard case .scalar = item, let value = item.string else {
                error(key, "every item of `\(key)` must be a string", line: item.mark?.line)
                continue
            }
            out.append((value, item.mark?.line))
        }
        return out
    }

    package mutating func severity(_ key: String) -> Severity? {
        guard let text = string(key) else { return nil }
        guard let severity = Severity(rawValue: text) else {
            error(key, "unknown severity '\(text)' (expected one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return severity
    }

    package mutating func formats(_ key: String) -> Set<LogFormat>? {
        guard let names = strings(key) else { return nil }
        var out = Set<LogFormat>()
        for name in names {
            if let format = LogFormat(rawValue: name), format != .binary { out.insert(format) }
            else {
                error(key, "unknown format '\(name)' (expected one of \(LogFormat.allCases.filter { $0 != .binary }.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        return out
    }

    package mutating func examples() -> ([RuleExample], [RuleExample]) {
        guard let node = self["examples"] else {
            error("examples", "a rule needs `examples` with at least one `match` line")
            return ([], [])
        }
        guard case .mapping(let ex) = node else {
            error("examples", "`examples` must have `match` and `no_match` lists")
            return ([], [])
        }
        func list(_ name: String) -> [RuleExample] {
            guard let items = ex[name] else { return [] }
            guard case .sequence(let seq) = items else {
                diagnostics.append(RuleDiagnostic(file: file, field: "examples.\(name)", line: items.mark?.line, "must be a list"))
                return []
            }
            var out: [RuleExample] = []
            for item in seq {
                switch item {
                case .scalar:
                    out.append(RuleExample(line: item.string ?? "", captures: [:], sourceLine: item.mark?.line))
                case .mapping(let m):
                    guard let line = m["line"]?.string else {
                        diagnostics.append(RuleDiagnostic(file: file, field: "examples.\(name)", line: item.mark?.line,
                                                          "an example mapping needs `line`"))
                        continue
                    }
                    var captures: [String: String] = [:]
                    if case .mapping(let c)? = m["captures"] {
                        for (k, v) in c { if let k = k.string, let v = v.string { captures[k] = v } }
                    }
                    out.append(RuleExample(line: line, captures: captures, sourceLine: item.mark?.line))
                default:
                    diagnostics.append(RuleDiagnostic(file: file, field: "examples.\(name)", line: item.mark?.line,
                                                      "an example is a line or a mapping with `line`"))
                }
            }
            return out
        }
        let match = list("match")
        let noMatch = list("no_match")
        if match.isEmpty { error("examples", "a rule needs at least one `match` example") }
        return (match, noMatch)
    }
}
