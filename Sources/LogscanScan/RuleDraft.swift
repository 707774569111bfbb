import LogscanSupport
import LogscanRules
/// `logscan rules new --from FILE:LINE`: a draft rule file made from one log line.
///
/// The line's message (past the header of its format) is masked as the unrecognized-errors
/// section masks it (`MessageTemplate`); the masked pieces become the pattern's variable parts,
/// the longest plain piece its prefilter literal, and the line itself its `match` example. The
/// draft passes `rules check` and `rules test` as it is; a person then names it properly,
/// narrows the pattern and adds `no_match` traps.
public struct RuleDraft: Sendable {
    public var id: String
    public var title: String
    public var format: LogFormat
    public var pattern: String
    public var literal: String?
    public var line: String
    public var cause: String?

    /// Prefixes of rule ids by format, after the folders of `Patterns/rules`.
    static func area(_ format: LogFormat) -> String {
        switch format {
        case .companyPortal: return "cp"
        case .jamf: return "jamf"
        case .jamfServer: return "jamf-server"
        case .intuneAgent: return "intune-agent"
        case .unifiedLog: return "unified"
        case .ssoExtension: return "sso"
        case .plist: return "plist"
        case .text, .binary: return "log"
        }
    }

    public init?(line: String, format detected: DetectedFormat, cause: String? = nil) {
        let bytes = Array(line.utf8)
        let message = bytes.withUnsafeBytes { MessagePart.of(shape: detected.shape, line: $0) }
        let template = MessageTemplate(message: message)
        guard !template.pieces.isEmpty else { return nil }
        self.line = line
        self.format = detected.format
        self.cause = cause
        pattern = template.pattern
        literal = Self.literal(in: template)
        title = "Draft: " + String(template.text.prefix(90))
        // The id: the area and the first few plain words of the message.
        var words: [String] = []
        for piece in template.pieces {
            guard case .text(let s) = piece else { continue }
            for w in s.lowercased().split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) where words.count < 6 {
                words.append(String(w))
            }
        }
        id = ([Self.area(format)] + (words.isEmpty ? ["draft"] : words)).joined(separator: "-")
    }

    /// The longest run of a plain piece that the prefilter accepts (ASCII, no `"`, `/`, `\`,
    /// at least 4 bytes), trimmed of blanks.
    package static func literal(in template: MessageTemplate) -> String? {
        var best = ""
        for piece in template.pieces {
            guard case .text(let s) = piece else { continue }
            var run = ""
            func close() {
                let t = run.trimmingCharacters(in: .whitespaces)
                if t.utf8.count > best.utf8.count { best = t }
                run = ""
            }
            for c in s.unicodeScalars {
                if c.isASCII && c.value >= 0x20 && c.value < 0x7F && c != "\"" && c != "/" && c != "\\" { run.unicodeScalars.append(c) } else { close() }
            }
            close()
        }
        return best.utf8.count >= 4 ? best : nil
    }

    /// The rule file.
    public var yaml: String {
        var out = "# Draft rule made by `logscan rules new` from one log line. Save it as \(id).yml in a\n"
        out += "# rules folder, then: logscan rules check DIR && logscan rules test DIR\n"
        out += "# Before relying on it: give it a clear id (= file name) and title, narrow the pattern\n"
        out += "# where a masked part is really fixed, and add no_match lines that must not match.\n"
        out += "id: \(id)\n"
        out += "title: \(Self.quoted(title))\n"
        if let cause { out += "cause: \(cause)\n" } else { out += "# cause: <cause id>            # absent: a context line on the timeline\n" }
        out += "formats: [\(format.rawValue)]\n"
        out += "pattern: \(Self.quoted(pattern))\n"
        if let literal { out += "literals: [\(Self.quoted(literal))]\n" }
        out += "examples:\n  match:\n    - \(Self.quoted(line))\n"
        return out
    }

    /// A YAML scalar: single-quoted (as the built-in rules write patterns) unless it holds a
    /// character only a double-quoted one can carry (tabs, control characters).
    package static func quoted(_ s: String) -> String {
        if !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x2028 || $0.value == 0x2029 || $0.value == 0xFEFF || $0.value == 0x85 }) {
            return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || c.value == 0x7F || c.value == 0x2028 || c.value == 0x2029 || c.value == 0xFEFF || c.value == 0x85 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
