import LogscanSupport
import LogscanRules
/// A log message with its variable parts recognised: the template of the unrecognized-errors
/// section and the pattern of `rules new` come from the same pieces.
///
/// Masked, as Drain-style log parsers do before grouping: quoted values, URLs, e-mail
/// addresses, GUIDs, hexadecimal values (`0x…`, long hex runs), and numbers (a run of digits
/// with separators, such as a time or a version, is one number). Kept: numbers glued to
/// letters (`AADSTS50076`, `v3`) and negative error codes of three or more digits (`-25300`,
/// `Code=-50000`), which tell one failure from another.
public struct MessageTemplate: Sendable, Hashable {
    public enum Piece: Sendable, Hashable {
        case text(String)
        case space
        case number, hex, guid, email, url
        /// A quoted value, with its opening and closing quote characters.
        case quoted(open: String, close: String)
        /// A token that differs between merged messages.
        case wildcard
    }

    public var pieces: [Piece]

    /// Messages longer than this are cut before masking (a template is for reading).
    public static let maxBytes = 600

    public init(pieces: [Piece]) { self.pieces = pieces }

    public init(message: String) {
        var bytes = Array(message.utf8.prefix(Self.maxBytes))
        // Do not cut a UTF-8 sequence.
        while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
        if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
        pieces = Self.mask(bytes)
    }

    /// The template as people read it: `<num>`, `<hex>`, `<guid>`, `<email>`, `<url>`, `"<*>"`, `<*>`.
    public var text: String {
        var out = ""
        for p in pieces {
            switch p {
            case .text(let s): out += s
            case .space: out += " "
            case .number: out += "<num>"
            case .hex: out += "<hex>"
            case .guid: out += "<guid>"
            case .email: out += "<email>"
            case .url: out += "<url>"
            case .quoted(let open, let close): out += open + "<*>" + close
            case .wildcard: out += "<*>"
            }
        }
        return out
    }

    /// A PCRE2 pattern matching every message of this template.
    public var pattern: String {
        var out = ""
        for p in pieces {
            switch p {
            case .text(let s): out += Self.escape(s)
            case .space: out += #"\s+"#
            case .number: out += #"-?\d+(?:[.:,/-]\d+)*"#
            case .hex: out += #"(?:0[xX])?[0-9A-Fa-f]+"#
            case .guid: out += #"[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}"#
            case .email: out += #"[^\s@]+@[^\s@]+"#
            case .url: out += #"[A-Za-z][A-Za-z0-9+.-]*://\S+"#
            case .quoted(let open, let close): out += Self.escape(open) + "[^" + Self.escapeInClass(close) + "]*" + Self.escape(close)
            case .wildcard: out += #"\S+"#
            }
        }
        return out
    }

    /// The words of the template, for grouping: runs between spaces.
    package var tokens: [[Piece]] {
        var out: [[Piece]] = [[]]
        for p in pieces {
            if case .space = p { if !out[out.count - 1].isEmpty { out.append([]) } } else { out[out.count - 1].append(p) }
        }
        if out.last?.isEmpty == true { out.removeLast() }
        return out
    }

    static func fromTokens(_ tokens: [[Piece]]) -> MessageTemplate {
        var pieces: [Piece] = []
        for (i, t) in tokens.enumerated() {
            if i > 0 { pieces.append(.space) }
            pieces += t
        }
        return MessageTemplate(pieces: pieces)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if "\\^$.|?*+()[]{}/#".unicodeScalars.contains(c) { out += "\\" + String(c) }
            else if c == "\t" { out += #"\t"# }
            else { out.unicodeScalars.append(c) }
        }
        return out
    }

    static func escapeInClass(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if "\\]^-[".unicodeScalars.contains(c) { out += "\\" + String(c) } else { out.unicodeScalars.append(c) }
        }
        return out
    }

    // MARK: masking

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    private static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) }
    private static func isWordByte(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) || b == 0x5F || b >= 0x80 }

    package static func mask(_ b: [UInt8]) -> [Piece] {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty { pieces.append(.text(String(decoding: literal, as: UTF8.self))); literal.removeAll() }
        }
        func put(_ p: Piece) { flush(); pieces.append(p) }
        let n = b.count
        var i = 0
        // Leading and trailing blanks carry nothing.
        while i < n && isSpace(b[i]) { i += 1 }
        var end = n
        while end > i && isSpace(b[end - 1]) { end -= 1 }
        while i < end {
            let c = b[i]
            if isSpace(c) {
                while i < end && isSpace(b[i]) { i += 1 }
                put(.space)
                continue
            }
            let atWordStart = i == 0 || !isWordByte(b[i - 1])
            // Quoted values: "…", “…”, and '…' when the quote is not an apostrophe.
            if c == 0x22, let close = find(b, 0x22, from: i + 1, end: end, limit: 300) {
                put(.quoted(open: "\"", close: "\"")); i = close + 1; continue
            }
            if c == 0x27, atWordStart, let close = find(b, 0x27, from: i + 1, end: end, limit: 300),
               close + 1 >= end || !isWordByte(b[close + 1]) {
                put(.quoted(open: "'", close: "'")); i = close + 1; continue
            }
            if c == 0xE2, i + 2 < end, b[i + 1] == 0x80, b[i + 2] == 0x9C,
               let close = findSequence(b, [0xE2, 0x80, 0x9D], from: i + 3, end: end, limit: 300) {
                put(.quoted(open: "“", close: "”")); i = close + 3; continue
            }
            // Whole-token shapes: URL, e-mail address.
            if atWordStart && isAlpha(c) {
                let tokenEnd = tokenEnd(b, from: i, end: end)
                if let scheme = findSequence(b, Array("://".utf8), from: i, end: tokenEnd, limit: 20),
                   b[i..<scheme].allSatisfy({ isAlpha($0) || isDigit($0) || $0 == 0x2B || $0 == 0x2E || $0 == 0x2D }) {
                    put(.url); i = trimTrailingPunctuation(b, from: i, end: tokenEnd); continue
                }
            }
            if atWordStart && isWordByte(c) {
                let tokenEnd = tokenEnd(b, from: i, end: end)
                let core = trimTrailingPunctuation(b, from: i, end: tokenEnd)
                if let at = find(b, 0x40, from: i + 1, end: core, limit: 200), at + 1 < core,
                   find(b, 0x2E, from: at + 2, end: core, limit: 200) != nil,
                   b[i..<at].allSatisfy({ isWordByte($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B }) {
                    put(.email); i = core; continue
                }
            }
            // GUID.
            if atWordStart, isHex(c), isGUID(b, at: i, end: end) {
                put(.guid); i += 36; continue
            }
            // 0x… hexadecimal.
            if atWordStart, c == 0x30, i + 2 < end, b[i + 1] | 0x20 == 0x78, isHex(b[i + 2]) {
                var j = i + 2
                while j < end && isHex(b[j]) { j += 1 }
                if j == end || !isWordByte(b[j]) { put(.hex); i = j; continue }
            }
            // A long run of hex digits with both digits and letters (hashes, tokens, ids).
            if atWordStart, isHex(c) {
                var j = i, digits = 0, letters = 0
                while j < end && isHex(b[j]) { if isDigit(b[j]) { digits += 1 } else { letters += 1 }; j += 1 }
                if j - i >= 12, digits > 0, letters > 0, j == end || !isWordByte(b[j]) { put(.hex); i = j; continue }
            }
            if isDigit(c) {
                // Glued to a letter before it (AADSTS50076, v3, x86): part of a name.
                let glued = i > 0 && (isAlpha(b[i - 1]) || b[i - 1] == 0x5F)
                // A negative code: "-25300", "Code=-50000".
                let negative = i > 0 && b[i - 1] == 0x2D && (i == 1 || !isWordByte(b[i - 2]))
                var j = i
                while j < end && isDigit(b[j]) { j += 1 }
                if glued || (negative && j - i >= 3 && (j == end || !isWordByte(b[j]) || b[j] == 0x2E)) {
                    literal += b[i..<j]; i = j; continue
                }
                if negative, literal.last == 0x2D { literal.removeLast() }
                // Separators between digit runs belong to the number (times, versions, sizes).
                while j + 1 < end, [0x2E, 0x3A, 0x2C, 0x2F, 0x2D].contains(b[j]), isDigit(b[j + 1]) {
                    j += 1
                    while j < end && isDigit(b[j]) { j += 1 }
                }
                put(.number); i = j; continue
            }
            literal.append(c)
            i += 1
        }
        flush()
        return pieces
    }

    private static func find(_ b: [UInt8], _ byte: UInt8, from: Int, end: Int, limit: Int) -> Int? {
        var j = from
        while j < end && j - from < limit { if b[j] == byte { return j }; j += 1 }
        return nil
    }

    private static func findSequence(_ b: [UInt8], _ s: [UInt8], from: Int, end: Int, limit: Int) -> Int? {
        var j = from
        while j + s.count <= end && j - from < limit {
            if b[j..<(j + s.count)].elementsEqual(s) { return j }
            j += 1
        }
        return nil
    }

    private static func tokenEnd(_ b: [UInt8], from: Int, end: Int) -> Int {
        var j = from
        while j < end && !isSpace(b[j]) && b[j] != 0x22 && b[j] != 0x3C && b[j] != 0x3E { j += 1 }
        return j
    }

    /// The end of a token without the punctuation that closes a sentence or a bracket.
    private static func trimTrailingPunctuation(_ b: [UInt8], from: Int, end: Int) -> Int {
        var j = end
        while j > from, [0x2E, 0x2C, 0x3B, 0x3A, 0x29, 0x5D, 0x7D, 0x27, 0x21].contains(b[j - 1]) { j -= 1 }
        return j
    }

    private static func isGUID(_ b: [UInt8], at i: Int, end: Int) -> Bool {
        guard i + 36 <= end else { return false }
        for (k, x) in b[i..<(i + 36)].enumerated() {
            if k == 8 || k == 13 || k == 18 || k == 23 { if x != 0x2D { return false } } else if !isHex(x) { return false }
        }
        return i + 36 == end || !isWordByte(b[i + 36])
    }
}
