import LogscanSupport

import Yams

/// Reads the keys of one `when` condition's mapping, collecting problems as `rules check`
/// diagnostics with the file and line (every field is reported under `when`).
public struct ConditionReader {
    /// The condition's kind, as the cause file names it.
    public let kind: String
    let file: String
    let body: Node.Mapping
    /// The line of the condition in the file.
    let line: Int?
    var diagnostics: [RuleDiagnostic] = []

    init(kind: String, file: String, body: Node.Mapping, line: Int?) {
        self.kind = kind; self.file = file; self.body = body; self.line = line
    }

    /// Reads every condition of a cause's `when` list.
    static func conditions(_ node: Node?, file: String, into diagnostics: inout [RuleDiagnostic]) -> [any CauseCondition] {
        guard let node else { return [] }
        func error(_ message: String, line: Int?) {
            diagnostics.append(RuleDiagnostic(file: file, field: "when", line: line ?? node.mark?.line, message))
        }
        guard case .sequence(let seq) = node else {
            error("`when` must be a list of conditions", line: nil)
            return []
        }
        var out: [any CauseCondition] = []
        for item in seq {
            guard case .mapping(let m) = item, m.count == 1, let (keyNode, body) = m.first,
                  let kind = keyNode.string, case .mapping(let b) = body else {
                error("each condition is one of \(ConditionKinds.all.map { $0.kind }.joined(separator: ", ")), with a mapping",
                      line: item.mark?.line)
                continue
            }
            guard let type = ConditionKinds.type(named: kind) else {
                error("unknown condition '\(kind)' (expected \(ConditionKinds.listed))", line: item.mark?.line)
                continue
            }
            var reader = ConditionReader(kind: kind, file: file, body: b, line: item.mark?.line)
            reader.rejectUnknownKeys(allowed: type.keys)
            if let condition = type.init(reading: &reader) { out.append(condition) }
            diagnostics += reader.diagnostics
        }
        return out
    }

    mutating func error(_ message: String, line: Int? = nil) {
        diagnostics.append(RuleDiagnostic(file: file, field: "when", line: line ?? self.line, message))
    }

    /// Every key the kind does not know is an error: a misspelt `windw` would otherwise leave
    /// the condition without its window and change what it finds, silently.
    mutating func rejectUnknownKeys(allowed: [String]) {
        for (keyNode, _) in body {
            guard let key = keyNode.string, !allowed.contains(key) else { continue }
            error("unknown key '\(key)' in `\(kind)` (expected \(allowed.sorted().joined(separator: ", ")))",
                  line: keyNode.mark?.line)
        }
    }

    /// The key's value as a string.
    public func string(_ key: String) -> String? { body[key]?.string }

    /// The key's value as a list of strings (one string is a list of one).
    public func list(_ key: String) -> [String] {
        guard let n = body[key] else { return [] }
        if case .sequence(let s) = n { return s.compactMap(\.string) }
        return n.string.map { [$0] } ?? []
    }

    /// The key's value as a duration (`90s`, `10m`, `24h`); nil, with an error if it is not one.
    public mutating func duration(_ key: String) -> Duration? {
        guard let text = string(key) else { return nil }
        guard let d = Duration(parsing: text) else {
            error("`\(kind)`: '\(text)' is not a duration for `\(key)` (such as 90s, 10m, 24h)", line: body[key]?.mark?.line)
            return nil
        }
        return d
    }

    /// The key's value as a whole count of at least 1.
    public func count(_ key: String) -> Int? {
        guard let n = string(key).flatMap(Int.init), n >= 1 else { return nil }
        return n
    }

    /// The key's value as log formats; nil when the key is absent or empty. An unknown format
    /// is an error (and left out).
    public mutating func formats(_ key: String) -> Set<LogFormat>? {
        let names = list(key)
        if names.isEmpty { return nil }
        var out = Set<LogFormat>()
        for name in names {
            if let format = LogFormat(rawValue: name), format != .binary { out.insert(format) } else {
                let known = LogFormat.allCases.filter { $0 != .binary }.map(\.rawValue).joined(separator: ", ")
                error("`\(kind)`: unknown format '\(name)' in `\(key)` (expected one of \(known))", line: body[key]?.mark?.line)
            }
        }
        return out
    }

    /// Reports that the condition lacks something it needs.
    public mutating func missing(_ what: String) { error("`\(kind)` needs \(what)") }
}
