import LogscanInput
import LogscanPCRE2

/// A problem in a rule or cause file, reported compiler-style.
public struct RuleDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Level: String, Sendable { case error, warning }
    public var level: Level
    public var file: String
    public var field: String?
    /// 1-based line in the file, where known.
    public var line: Int?
    public var message: String
    /// Extra lines shown under the location (e.g. a pattern with a caret under the offset).
    public var notes: [String]

    public init(_ level: Level = .error, file: String, field: String? = nil, line: Int? = nil,
                _ message: String, notes: [String] = []) {
        self.level = level; self.file = file; self.field = field; self.line = line
        self.message = message; self.notes = notes
    }

    public var description: String {
        // Escaped: a message may quote a rule file's bytes (a YAML error's context).
        var out = "\(level.rawValue): \(TerminalText.escaped(message))\n  --> \(TerminalText.escaped(file))"
        if let line { out += ":\(line)" }
        if let field { out += " (\(field))" }
        for note in notes { out += "\n   | " + note }
        return out
    }
}
