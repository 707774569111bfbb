import LogscanRules
/// Which lines are written at error level, by format, for the "unrecognized errors" section.
///
/// Detection rides on the prefilter: each format gets a few *level literals* (one more entry
/// in its literal table), so a line is looked at only when it holds one, and the per-line
/// scan path does no extra work. Every literal is at least 8 bytes long, as the rules' own
/// shortest literals are, so the prefilter keeps its probe stride (a shorter literal would make
/// it probe more often, on every line). A candidate line is then checked exactly by `level`.
public enum ErrorLevel {
    /// The literals that every error-level line of `format` contains (ASCII case is ignored).
    public static func literals(for format: LogFormat) -> [String] {
        switch format {
        case .unifiedLog:
            // default style: the Type column, padded with spaces (or one space / a tab when
            // copied); ndjson/json: the messageType key; Console copies: the type word first.
            var out: [String] = []
            for word in ["Error", "Fault"] {
                out += [" \(word)   ", " \(word) 0x", " \(word)\t0x", "\"messageType\":\"\(word)\"", "\"messageType\" : \"\(word)\""]
                out += ["\(word)\t20", "\(word) 20"]
                // Console rows with the time only: "error 10:04:48.077069 +1100 process …".
                for hour in 0..<24 {
                    let hh = hour < 10 ? "0\(hour)" : "\(hour)"
                    out += ["\(word)\t\(hh):", "\(word) \(hh):"]
                }
            }
            return out
        case .companyPortal:
            // Legacy stamps (`ERROR<sep>com.microsoft.…`), the embedded WorkplaceJoin SDK
            // (`| ERROR: [`), the house grammar and the log viewer's export (`| E | <thread>`).
            return ["ERROR\tcom.", "ERROR com.", "| ERROR: ", "| FAULT: "] + pipeLevel("E")
        case .intuneAgent, .ssoExtension:
            return pipeLevel("E") + pipeLevel("F")
        case .jamfServer:
            return ["[ERROR] [", "[FATAL] ["]
        case .jamf:
            // jamf.log has no level: a line saying error, failed or denied is one. These are 7
            // bytes (the word, the character before it and, for "error", the one after): the
            // jamf prefilter probes every 4 bytes instead of 5 (measured: see the README).
            var out: [String] = []
            for before in [" ", "(", "\t"] {
                for after in [" ", ":", ".", ",", ";", ")", "-", "!", "\t", "s", "]", "="] { out.append(before + "error" + after) }
                out += [before + "failed", before + "denied"]
            }
            return out
        case .text:
            return ["[ERROR] ", "[ERROR]:", "[ERROR]\t", "[FAULT] ", "<ERROR> ", "] ERROR: ", "] ERROR "]
                + pipeLevel("E")
        case .binary, .plist:
            return []
        }
    }

    /// The literals of one line shape: only the markers that shape writes, so that a shape is
    /// not slowed by another's (the pipe shape of Company Portal has no level column, and its
    /// " | x" field starts would light up every line if the `| E |` literals were there).
    public static func literals(for shape: LogShape) -> [String] {
        let all = literals(for: shape.format)
        switch shape {
        case .companyPortalPipe: return ["| ERROR: ", "| FAULT: "]
        case .companyPortalLegacy: return ["ERROR\tcom.", "ERROR com."]
        case .houseGrammar, .ssoExtension, .companyPortalViewer: return pipeLevel("E") + pipeLevel("F")
        case .unifiedDefault: return all.filter { $0.hasPrefix(" ") }
        case .unifiedNDJSON, .unifiedJSON: return all.filter { $0.contains("messageType") }
        case .unifiedConsole: return all.filter { $0.hasSuffix("20") }
        case .unifiedConsoleTimeOnly: return all.filter { $0.hasSuffix(":") }
        case .unifiedCompact, .unifiedSyslog, .binary, .plistState: return []
        case .jamf, .jamfServer, .msal, .text: return all
        }
    }

    /// `| E | x` for every character x a thread or component can start with: 8 bytes.
    private static func pipeLevel(_ letter: String) -> [String] {
        let starts = Array("0123456789abcdefghijklmnopqrstuvwxyz*[")
        return starts.map { " | \(letter) | \($0)" }
    }

    /// The level of an error-level line of `shape` ("error" or "fault"), nil for any other line.
    public static func level(shape: LogShape, line: UnsafeRawBufferPointer) -> String? {
        switch shape {
        case .unifiedDefault:
            // Date, time with offset, thread, then the type.
            guard let type = field(line, 3) else { return nil }
            return word(type)
        case .unifiedConsole, .unifiedConsoleTimeOnly:
            guard let type = field(line, 0) else { return nil }
            return word(type)
        case .unifiedNDJSON:
            guard let type = jsonValue(line, key: messageTypeKey) else { return nil }
            return word(type)
        case .companyPortalLegacy:
            guard let type = field(line, 2) else { return nil }
            return equalsFolded(type, "ERROR") ? "error" : equalsFolded(type, "FAULT") ? "fault" : nil
        case .companyPortalPipe:
            if contains(line, "| ERROR: ") { return "error" }
            if contains(line, "| FAULT: ") { return "fault" }
            return pipeLetter(line)
        case .houseGrammar, .ssoExtension, .companyPortalViewer:
            return pipeLetter(line)
        case .jamfServer:
            if contains(line, "[ERROR] [") { return "error" }
            if contains(line, "[FATAL] [") { return "fault" }
            return nil
        case .jamf:
            return jamfLevel(line)
        case .text, .msal:
            // Bracketed level words in any case; a bare ERROR after a bracket only in capitals
            // ("[…] ERROR: …"), as "] error" is often prose.
            for (marker, level) in [("[ERROR]", "error"), ("[FAULT]", "fault"), ("<ERROR>", "error")]
                where findFolded(line, marker.lowercased(), from: 0) != nil {
                return level
            }
            if contains(line, "] ERROR") { return "error" }
            return pipeLetter(line)
        case .unifiedCompact, .unifiedSyslog, .unifiedJSON, .binary, .plistState:
            return nil
        }
    }

    /// The level letter of a pipe-separated line (` | E | ` or ` | F | ` among its first fields).
    private static func pipeLetter(_ line: UnsafeRawBufferPointer) -> String? {
        let n = min(line.count, 160)
        var i = 0
        while i + 5 <= n {
            if line[i] == 0x7C, line[i + 1] == 0x20, line[i + 3] == 0x20, line[i + 4] == 0x7C, i > 0, line[i - 1] == 0x20 {
                switch line[i + 2] {
                case 0x45: return "error"  // E
                case 0x46: return "fault"  // F
                default: break
                }
            }
            i += 1
        }
        return nil
    }

    /// jamf.log: the message (or a continuation line) holds the word error(s), failed or denied.
    private static func jamfLevel(_ line: UnsafeRawBufferPointer) -> String? {
        for word in ["error", "failed", "denied"] {
            var from = 0
            while let at = findFolded(line, word, from: from) {
                let before = at == 0 ? UInt8(0x20) : line[at - 1]
                let afterIndex = at + word.utf8.count
                var after = afterIndex < line.count ? line[afterIndex] : 0x20
                if word == "error" && (after | 0x20) == 0x73 { after = afterIndex + 1 < line.count ? line[afterIndex + 1] : 0x20 }
                if !isAlnum(before) && !isAlnum(after) { return "error" }
                from = at + 1
            }
        }
        return nil
    }

    static let messageTypeKey = Array("\"messageType\"".utf8)

    /// The string value of a JSON key in a one-line object (escapes left as they are).
    static func jsonValue(_ line: UnsafeRawBufferPointer, key: [UInt8]) -> UnsafeRawBufferPointer? {
        guard var i = line.firstRange(of: key) else { return nil }
        i += key.count
        while i < line.count && (line[i] == 0x20 || line[i] == 0x3A || line[i] == 0x09) { i += 1 }
        guard i < line.count, line[i] == 0x22 else { return nil }
        let start = i + 1
        var j = start
        while j < line.count && line[j] != 0x22 { j += line[j] == 0x5C ? 2 : 1 }
        return UnsafeRawBufferPointer(rebasing: line[start..<min(j, line.count)])
    }

    private static func word(_ type: UnsafeRawBufferPointer) -> String? {
        if equalsFolded(type, "error") { return "error" }
        if equalsFolded(type, "fault") { return "fault" }
        return nil
    }

    /// The `index`th field separated by runs of spaces or tabs.
    package static func field(_ line: UnsafeRawBufferPointer, _ index: Int) -> UnsafeRawBufferPointer? {
        var i = 0, k = 0
        let n = line.count
        while i < n {
            while i < n && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
            let start = i
            while i < n && line[i] != 0x20 && line[i] != 0x09 { i += 1 }
            if start == i { return nil }
            if k == index { return UnsafeRawBufferPointer(rebasing: line[start..<i]) }
            k += 1
        }
        return nil
    }

    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) || b >= 0x80 }

    static func equalsFolded(_ bytes: UnsafeRawBufferPointer, _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard bytes.count == w.count else { return false }
        for i in 0..<w.count where bytes[i] | 0x20 != w[i] | 0x20 { return false }
        return true
    }

    package static func contains(_ line: UnsafeRawBufferPointer, _ s: String) -> Bool {
        line.firstRange(of: Array(s.utf8)) != nil
    }

    /// Where `word` (lowercase ASCII) occurs in `line` at or after `from`, ASCII case ignored.
    static func findFolded(_ line: UnsafeRawBufferPointer, _ word: String, from: Int) -> Int? {
        let w = Array(word.utf8)
        guard line.count >= w.count else { return nil }
        var i = from
        @inline(__always) func fold(_ b: UInt8) -> UInt8 { isAlpha(b) ? b | 0x20 : b }
        while i + w.count <= line.count {
            if fold(line[i]) == w[0] {
                var k = 1
                while k < w.count && fold(line[i + k]) == w[k] { k += 1 }
                if k == w.count { return i }
            }
            i += 1
        }
        return nil
    }
}
