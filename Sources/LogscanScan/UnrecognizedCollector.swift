import Foundation
import LogscanSupport
import LogscanRules

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
