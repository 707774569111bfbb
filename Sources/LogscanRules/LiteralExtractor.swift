/// Finds literals that every match of a PCRE2 pattern must contain, for the prefilter.
///
/// A small reader of PCRE2 syntax: runs of plain characters that are not optional become
/// candidate literals; a mandatory group contributes one literal per alternative; zero-width
/// items (anchors, `\b`, lookarounds) neither consume nor break a run. When in doubt it gives
/// up (returns nil) rather than guess: a wrong literal would make the prefilter drop matches.
public enum LiteralExtractor {
    /// Literals must be at least this long (the prefilter hashes 4-byte windows).
    public static let minimumLength = 4

    /// The best literal set for `pattern`: any match contains at least one of them. Nil when
    /// no such set of literals of at least `minimumLength` ASCII characters can be proven.
    public static func extract(_ pattern: String) -> [String]? {
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let set = parser.parseAlternation(), parser.atEnd else { return nil }
        guard let best = set, best.allSatisfy({ $0.count >= minimumLength }) else { return nil }
        return best.map { String(String.UnicodeScalarView($0)) }
    }

    /// Whether `literal` can serve the prefilter (also for JSON-escaped lines).
    public static func isUsable(_ literal: String, minimumLength: Int = minimumLength) -> Bool {
        literal.unicodeScalars.count >= minimumLength && literal.unicodeScalars.allSatisfy(isLiteralScalar)
    }

    static func isLiteralScalar(_ s: Unicode.Scalar) -> Bool {
        s.value >= 0x20 && s.value < 0x7F && s != "\"" && s != "/" && s != "\\"
    }

    /// A set of literals (one of which is present), or nil for "nothing required".
    typealias LiteralSet = [[Unicode.Scalar]]

    /// Picks the better of two candidate sets: larger shortest literal, then fewer literals.
    static func better(_ a: LiteralSet?, _ b: LiteralSet?) -> LiteralSet? {
        guard let a else { return b }
        guard let b else { return a }
        let qa = a.map(\.count).min() ?? 0, qb = b.map(\.count).min() ?? 0
        if qa != qb { return qa > qb ? a : b }
        return a.count <= b.count ? a : b
    }

    struct Parser {
        package let s: [Unicode.Scalar]
        package var i = 0
        package init(_ s: [Unicode.Scalar]) { self.s = s }
        package var atEnd: Bool { i >= s.count }

        /// alternation := sequence ('|' sequence)*. Returns .some(nil) when some branch requires
        /// nothing; nil on syntax it does not understand.
        mutating func parseAlternation() -> LiteralSet?? {
            var branches: [LiteralSet?] = []
            while true {
                guard let seq = parseSequence() else { return nil }
                branches.append(seq)
                if i < s.count && s[i] == "|" { i += 1; continue }
                break
            }
            if branches.count == 1 { return .some(branches[0]) }
            var union: LiteralSet = []
            for b in branches {
                guard let b else { return .some(nil) }
                union += b
            }
            return .some(union)
        }

        /// A sequence up to `|` or `)`: the best of its mandatory literal runs and groups.
        mutating func parseSequence() -> LiteralSet?? {
            var best: LiteralSet? = nil
            var run: [Unicode.Scalar] = []
            func endRun() {
                if !run.isEmpty { best = better(best, [run]) }
                run = []
            }
            while i < s.count {
                let c = s[i]
                if c == "|" || c == ")" { break }
                switch c {
                case "^", "$":
                    i += 1
                case ".":
                    i += 1; endRun(); skipQuantifier()
                case "[":
                    guard skipClass() else { return nil }
                    endRun(); skipQuantifier()
                case "(":
                    guard let (groupSet, zeroWidth) = parseGroup() else { return nil }
                    if zeroWidth { continue }
                    endRun()
                    let (minCount, _) = readQuantifier()
                    if minCount >= 1 { best = better(best, groupSet) }
                case "*", "+", "?", "{":
                    // A quantifier applies to the last character of the run.
                    let (minCount, isQuantifier) = readQuantifier()
                    if !isQuantifier { run.append(c); i += 1; continue }
                    if let last = run.popLast() {
                        endRun()
                        if minCount >= 1 { run = [last]; endRun() }
                    }
                case "\\":
                    guard let item = parseEscape() else { return nil }
                    switch item {
                    case .zeroWidth: break
                    case .nonLiteral: endRun(); skipQuantifier()
                    case .literal(let scalars):
                        for sc in scalars {
                            if isLiteralScalar(sc) { run.append(sc) } else { endRun() }
                        }
                    }
                default:
                    i += 1
                    if isLiteralScalar(c) { run.append(c) } else { endRun(); skipQuantifier() }
                }
            }
            endRun()
            return .some(best)
        }

        enum EscapeItem { case zeroWidth, nonLiteral, literal([Unicode.Scalar]) }

        mutating func parseEscape() -> EscapeItem? {
            i += 1
            guard i < s.count else { return nil }
            let c = s[i]
            i += 1
            switch c {
            case "b", "B", "A", "z", "Z", "G", "K": return .zeroWidth
            case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "R", "N", "X", "C":
                return .nonLiteral
            case "p", "P":
                if i < s.count && s[i] == "{" { while i < s.count && s[i] != "}" { i += 1 }; i += 1 } else { i += 1 }
                return .nonLiteral
            case "x", "o", "c", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "g", "k", "e", "E":
                // Hex, octal, control, back-references: not worth proving.
                if i < s.count && (s[i] == "{" || s[i] == "<" || s[i] == "'") {
                    while i < s.count && s[i] != "}" && s[i] != ">" && s[i] != "'" { i += 1 }
                    i += 1
                }
                return .nonLiteral
            case "Q":
                var scalars: [Unicode.Scalar] = []
                while i < s.count {
                    if s[i] == "\\" && i + 1 < s.count && s[i + 1] == "E" { i += 2; break }
                    scalars.append(s[i]); i += 1
                }
                return .literal(scalars)
            case "t": return .literal(["\t"])
            case "n": return .literal(["\n"])
            case "r": return .literal(["\r"])
            case "f", "a": return .nonLiteral
            default:
                if c.properties.isAlphabetic || c.properties.numericType != nil { return .nonLiteral }
                return .literal([c])  // an escaped punctuation character is itself
            }
        }

        /// Parses a group at `(`. Returns its literal set and whether it is zero-width.
        mutating func parseGroup() -> (LiteralSet?, Bool)? {
            i += 1  // (
            var zeroWidth = false
            if i < s.count && s[i] == "?" {
                i += 1
                guard i < s.count else { return nil }
                let c = s[i]
                switch c {
                case ":", ">", "|": i += 1
                case "=", "!": i += 1; zeroWidth = true
                case "<":
                    if i + 1 < s.count && (s[i + 1] == "=" || s[i + 1] == "!") { i += 2; zeroWidth = true }
                    else { while i < s.count && s[i] != ">" { i += 1 }; i += 1 }  // (?<name>
                case "P":
                    i += 1
                    guard i < s.count, s[i] == "<" else { return nil }
                    while i < s.count && s[i] != ">" { i += 1 }; i += 1
                case "'":
                    i += 1; while i < s.count && s[i] != "'" { i += 1 }; i += 1
                case "#":
                    while i < s.count && s[i] != ")" { i += 1 }; i += 1
                    return (nil, true)
                default:
                    // Option settings: (?i) (?-i) (?i:...)
                    var negated = false
                    while i < s.count && (s[i].properties.isAlphabetic || s[i] == "-" || s[i] == "^") {
                        if s[i] == "-" { negated = true }
                        // Extended mode changes what spaces mean: do not try to read it.
                        if s[i] == "x" && !negated { return nil }
                        i += 1
                    }
                    guard i < s.count else { return nil }
                    if s[i] == ")" { i += 1; return (nil, true) }
                    guard s[i] == ":" else { return nil }
                    i += 1
                }
            }
            guard let inner = parseAlternation(), i < s.count, s[i] == ")" else { return nil }
            i += 1
            if zeroWidth { skipQuantifier(); return (nil, true) }
            return (inner, false)
        }

        /// Skips a character class `[...]`, which may contain `]` first and escapes.
        mutating func skipClass() -> Bool {
            i += 1
            if i < s.count && s[i] == "^" { i += 1 }
            if i < s.count && s[i] == "]" { i += 1 }
            while i < s.count {
                if s[i] == "\\" { i += 2; continue }
                if s[i] == "[" && i + 1 < s.count && s[i + 1] == ":" {
                    while i < s.count && !(s[i] == ":" && i + 1 < s.count && s[i + 1] == "]") { i += 1 }
                    i += 2; continue
                }
                if s[i] == "]" { i += 1; return true }
                i += 1
            }
            return false
        }

        mutating func skipQuantifier() { _ = readQuantifier() }

        /// Reads a quantifier at `i` if there is one: its minimum count. (1, false) when none.
        mutating func readQuantifier() -> (Int, Bool) {
            guard i < s.count else { return (1, false) }
            var minCount = 1
            switch s[i] {
            case "*": minCount = 0; i += 1
            case "?": minCount = 0; i += 1
            case "+": minCount = 1; i += 1
            case "{":
                var j = i + 1
                var digits = ""
                while j < s.count && s[j].properties.numericType != nil { digits.unicodeScalars.append(s[j]); j += 1 }
                guard j < s.count, !digits.isEmpty || s[j] == ",", s[j] == "}" || s[j] == "," else { return (1, false) }
                while j < s.count && s[j] != "}" {
                    guard s[j] == "," || s[j].properties.numericType != nil else { return (1, false) }
                    j += 1
                }
                guard j < s.count else { return (1, false) }
                minCount = Int(digits) ?? 0
                i = j + 1
            default: return (1, false)
            }
            if i < s.count && (s[i] == "?" || s[i] == "+") { i += 1 }  // lazy / possessive
            return (minCount, true)
        }
    }
}
