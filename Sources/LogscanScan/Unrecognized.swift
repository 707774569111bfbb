import Foundation
import LogscanSupport
import LogscanRules

/// One kind of error-level line that no rule explains: a template and how often it came.
public struct UnrecognizedKind: Sendable {
    public var level: String
    public var template: MessageTemplate
    public var count: Int
    /// Times as written (while a file is scanned) ...
    public var firstWritten: RecordTime?
    public var lastWritten: RecordTime?
    /// ... and placed in UTC (once the bundle is analysed).
    public var firstSeen: Instant?
    public var lastSeen: Instant?
    public var exampleSource: String
    public var exampleLine: Int
    public var exampleText: String
}

/// Groups unrecognized error lines by template, Drain-style, in bounded memory.
///
/// Masked messages (see `MessageTemplate`) with the same level, the same number of words and
/// the same first word are compared word by word; when more than half of the words are equal
/// the two are one kind and the words that differ become `<*>`. At most `capacity` kinds are
/// kept; lines of any further kind are only counted (`overflowLines`).
public struct UnrecognizedCollector: Sendable {
    public private(set) var kinds: [UnrecognizedKind] = []
    public private(set) var overflowLines = 0
    public let capacity: Int
    private var groups: [GroupKey: [Int]] = [:]
    private var tokenCache: [[[MessageTemplate.Piece]]] = []

    private struct GroupKey: Hashable {
        var level: String
        var words: Int
        var first: [MessageTemplate.Piece]
    }

    /// Example lines are cut to this many bytes.
    public static let exampleBytes = 2000
    public static let defaultCapacity = 1000

    public init(capacity: Int = defaultCapacity) { self.capacity = capacity }

    public var isEmpty: Bool { kinds.isEmpty && overflowLines == 0 }
    public var lineCount: Int { kinds.reduce(0) { $0 + $1.count } + overflowLines }

    /// Adds `kind` (one line, or a kind gathered elsewhere): merged into a similar kind, or kept
    /// as a new one while there is room.
    public mutating func add(_ kind: UnrecognizedKind) {
        add(kind, tokens: kind.template.tokens)
    }

    /// `add(_:)` with the template's `tokens`, when the caller has them already.
    mutating func add(_ kind: UnrecognizedKind, tokens: [[MessageTemplate.Piece]]) {
        let key = GroupKey(level: kind.level, words: tokens.count, first: tokens.first ?? [])
        if let candidates = groups[key] {
            for k in candidates {
                let known = tokenCache[k]
                guard let merged = Self.merge(known, tokens) else { continue }
                if merged != known {
                    tokenCache[k] = merged
                    kinds[k].template = .fromTokens(merged)
                }
                absorb(kind, into: k)
                return
            }
        }
        guard kinds.count < capacity else { overflowLines += kind.count; return }
        groups[key, default: []].append(kinds.count)
        tokenCache.append(tokens)
        var stored = kind
        if stored.exampleText.utf8.count > Self.exampleBytes {
            stored.exampleText = String(decoding: Array(stored.exampleText.utf8.prefix(Self.exampleBytes)), as: UTF8.self)
        }
        kinds.append(stored)
    }

    /// Everything `other` gathered, its line numbers moved down by `lineShift` (a later part of
    /// a split file).
    public mutating func add(contentsOf other: UnrecognizedCollector, lineShift: Int = 0) {
        for var kind in other.kinds {
            kind.exampleLine += lineShift
            add(kind)
        }
        overflowLines += other.overflowLines
    }

    /// Counts lines that could not be grouped (outside any collector's view).
    public mutating func addOverflow(_ n: Int) { overflowLines += n }

    private mutating func absorb(_ kind: UnrecognizedKind, into k: Int) {
        kinds[k].count += kind.count
        // Written times: lines come in file order, so the first stays and the last moves on.
        if kinds[k].firstWritten == nil { kinds[k].firstWritten = kind.firstWritten }
        if kind.lastWritten != nil { kinds[k].lastWritten = kind.lastWritten }
        // Placed times: the earliest example wins.
        if let t = kind.firstSeen, kinds[k].firstSeen.map({ t < $0 }) ?? true {
            kinds[k].firstSeen = t
            kinds[k].exampleSource = kind.exampleSource
            kinds[k].exampleLine = kind.exampleLine
            kinds[k].exampleText = kind.exampleText
        }
        if let t = kind.lastSeen, kinds[k].lastSeen.map({ t > $0 }) ?? true { kinds[k].lastSeen = t }
    }

    /// The merged words when more than half of them agree (a `<*>` agrees with anything), else
    /// nil. Messages of one or two words must agree everywhere.
    static func merge(_ a: [[MessageTemplate.Piece]], _ b: [[MessageTemplate.Piece]]) -> [[MessageTemplate.Piece]]? {
        guard a.count == b.count else { return nil }
        var same = 0
        var out = a
        for i in a.indices {
            if a[i] == b[i] || a[i] == [.wildcard] { same += 1 }
            else if b[i] == [.wildcard] { same += 1; out[i] = [.wildcard] }
            else { out[i] = [.wildcard] }
        }
        if a.count <= 2 { return same == a.count ? out : nil }
        return same * 2 > a.count ? out : nil
    }

    /// The kinds, most frequent first (then by first time, then template).
    public func sorted() -> [UnrecognizedKind] {
        kinds.sorted { a, b in
            if a.count != b.count { return a.count > b.count }
            switch (a.firstSeen, b.firstSeen) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.template.text < b.template.text
            }
        }
    }
}

/// The message part of a line of each shape: what a template is made of (the header with its
/// times, thread and process numbers would make every line different).
public enum MessagePart {
    public static func of(shape: LogShape, line: UnsafeRawBufferPointer) -> String {
        message(shape: shape, part: UnsafeRawBufferPointer(rebasing: line[start(shape: shape, line: line)...]))
    }

    /// Where the message part of `line` starts: `of(shape:line:)` reads nothing before it, so
    /// lines with the same bytes from there on have the same message (the scanner caches
    /// templates by those bytes).
    static func start(shape: LogShape, line: UnsafeRawBufferPointer) -> Int {
        let start: Int
        switch shape {
        case .jamf:
            start = line.firstRange(of: Array("]: ".utf8)).map { $0 + 3 } ?? 0
        case .unifiedDefault:
            start = fieldStart(line, 7) ?? 0
        case .unifiedConsole:
            // type <TAB> date time offset <TAB> process <TAB> message
            start = nthByte(line, 0x09, 2).map { $0 + 1 } ?? 0
        case .unifiedConsoleTimeOnly:
            start = fieldStart(line, 3) ?? 0
        case .unifiedNDJSON:
            // The eventMessage value, wherever it is in the line (see `message`).
            start = 0
        case .companyPortalLegacy:
            start = fieldStart(line, 3) ?? 0
        case .companyPortalPipe, .houseGrammar, .companyPortalViewer:
            start = afterPipe(line, 4) ?? afterLastPipe(line) ?? 0
        case .ssoExtension:
            start = afterPipe(line, 2) ?? 0
        case .jamfServer:
            start = line.firstRange(of: Array("] - ".utf8)).map { $0 + 4 } ?? 0
        case .msal:
            // Past "MSAL <version> <OS> <version> [<stamp> - <correlation id>] ".
            let at = line.firstRange(of: Array("MSAL ".utf8)) ?? line.firstRange(of: Array("ADAL".utf8)) ?? 0
            start = line.firstRange(of: Array("] ".utf8), from: at).map { $0 + 2 } ?? 0
        case .text, .unifiedCompact, .unifiedSyslog, .unifiedJSON, .binary, .plistState:
            start = 0
        }
        return min(start, line.count)
    }

    /// The message of a line whose message part (from `start(shape:line:)`) is `part`.
    static func message(shape: LogShape, part: UnsafeRawBufferPointer) -> String {
        if shape == .unifiedNDJSON, let value = ErrorLevel.jsonValue(part, key: eventMessageKey) {
            var out: [UInt8] = []
            JSONText.unescape(value, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        var message = String(decoding: part, as: UTF8.self)
        // MSAL's own prefix: "TID=… MSAL 1.2 Mac 15 [utc time - correlation id] [MSAL] message",
        // also after a process and subsystem (unified log): keep what comes before it. Most
        // messages have no "TID=" at all, which the bytes tell far faster than `range(of:)`.
        if part.firstRange(of: tidBytes) != nil,
           let tid = message.range(of: "TID="), message[tid.upperBound...].first?.isNumber == true,
           let r = message.range(of: "] ", range: tid.upperBound..<message.endIndex) {
            var rest = message[r.upperBound...]
            if rest.hasPrefix("[MSAL] ") { rest = rest.dropFirst(7) }
            message = String(message[..<tid.lowerBound]) + rest
        }
        return message
    }

    static let eventMessageKey = Array("\"eventMessage\"".utf8)
    static let tidBytes = Array("TID=".utf8)

    static func fieldStart(_ line: UnsafeRawBufferPointer, _ index: Int) -> Int? {
        var i = 0, k = 0
        let n = line.count
        while i < n {
            while i < n && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
            if i == n { return nil }
            if k == index { return i }
            while i < n && line[i] != 0x20 && line[i] != 0x09 { i += 1 }
            k += 1
        }
        return nil
    }

    static func nthByte(_ line: UnsafeRawBufferPointer, _ byte: UInt8, _ n: Int) -> Int? {
        var seen = 0
        for i in 0..<line.count where line[i] == byte {
            seen += 1
            if seen == n { return i }
        }
        return nil
    }

    /// Just past the `n`th " | ".
    static func afterPipe(_ line: UnsafeRawBufferPointer, _ n: Int) -> Int? {
        var seen = 0, i = 1
        while i + 1 < line.count {
            if line[i] == 0x7C && line[i - 1] == 0x20 && line[i + 1] == 0x20 {
                seen += 1
                if seen == n { return i + 2 }
            }
            i += 1
        }
        return nil
    }

    static func afterLastPipe(_ line: UnsafeRawBufferPointer) -> Int? {
        var i = line.count - 2
        while i >= 1 {
            if line[i] == 0x7C && line[i - 1] == 0x20 && line[i + 1] == 0x20 { return i + 2 }
            i -= 1
        }
        return nil
    }
}
