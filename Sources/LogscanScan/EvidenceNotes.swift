import Foundation
import LogscanPCRE2
import LogscanRules

/// What a report shows with an evidence or timeline line beyond its text: every named group of
/// the rule that matched it (correlation ID, trace ID, timestamp, error code …) and the catalog
/// explanation of each code the line carries.
///
/// A scan extracts only the captures the classifier needs (`RuleSet.scanCaptureFilter`). The
/// others are read here, when the report is written, by matching the rule again on the lines
/// that are shown: never on the hot path, and never for rules without such groups.
public final class EvidenceNotes: @unchecked Sendable {
    public struct Notes: Sendable, Equatable {
        /// Every named group of the line (scan-time captures included).
        public var captures: [String: String]
        /// The catalog entries of the codes the line carries, in capture-name order.
        public var codes: [CodeEntry]
        public var isEmpty: Bool { captures.isEmpty && codes.isEmpty }
    }

    private struct RuleInfo {
        let patterns: [CompiledPattern]
        /// Named groups per pattern: (name, group number).
        let names: [[(String, Int)]]
        /// Whether any named group is left out of a scan's captures.
        let rematch: Bool
        /// Capture names that are catalog ids.
        let codeNames: [String]
    }

    private let infos: [RuleInfo]
    private let index: [String: Int]
    private let source: CodeBookSource
    private let lock = NSLock()
    private var matchers: [Matcher] = []

    public init(rules: RuleSet) {
        source = rules.codes
        let codes = rules.codes
        let scanned = rules.scanCaptureFilter()
        var index: [String: Int] = [:]
        infos = rules.rules.enumerated().map { k, rule in
            if index[rule.id] == nil { index[rule.id] = k }
            let names = rule.patterns.map { $0.captureNames.map { ($0.key, $0.value) }.sorted { $0.1 < $1.1 } }
            let all = Set(names.joined().map(\.0))
            return RuleInfo(patterns: rule.patterns, names: names,
                            rematch: all.contains { !scanned($0) },
                            codeNames: all.filter { codes.catalog(forCapture: $0) != nil }.sorted())
        }
        self.index = index
    }

    /// Whether lines of `rule` can have notes beyond their scan-time captures: when not, a
    /// writer skips the call (and the line's decoding) altogether.
    public func mayAnnotate(rule: String) -> Bool {
        guard let k = index[rule] else { return false }
        return infos[k].rematch || !infos[k].codeNames.isEmpty
    }

    /// The notes of a line that `rule` matched, given the captures the scan kept.
    public func notes(rule: String, text: String, captures: [String: String]) -> Notes {
        guard let k = index[rule] else { return Notes(captures: captures, codes: []) }
        let info = infos[k]
        var all = captures
        if info.rematch {
            for (name, value) in extract(info, text: text) where all[name] == nil { all[name] = value }
        }
        var codes: [CodeEntry] = []
        if !info.codeNames.isEmpty {
            for name in info.codeNames {
                if let value = all[name], let catalog = source.catalog(forCapture: name),
                   let entry = source.lookup(catalog: catalog, value: value), !codes.contains(entry) {
                    codes.append(entry)
                }
            }
        }
        return Notes(captures: all, codes: codes)
    }

    /// Every named group of the first pattern of `info` that matches the line (raw, then with
    /// JSON escapes decoded, as the scan tries it).
    private func extract(_ info: RuleInfo, text: String) -> [String: String] {
        let matcher = takeMatcher()
        defer { giveBack(matcher) }
        func first(_ bytes: UnsafeRawBufferPointer) -> [String: String]? {
            for (p, pattern) in info.patterns.enumerated() where !info.names[p].isEmpty {
                guard let m = try? matcher.firstMatch(pattern, in: bytes) else { continue }
                var out: [String: String] = [:]
                for (name, group) in info.names[p] where group < m.groups.count {
                    if let r = m.groups[group] { out[name] = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
                }
                return out
            }
            return nil
        }
        var utf8 = Array(text.utf8)
        if let found = utf8.withUnsafeBytes({ first($0) }) { return found }
        guard utf8.contains(0x5C) else { return [:] }
        var decoded: [UInt8] = []
        utf8.withUnsafeBytes { JSONText.unescape($0, into: &decoded) }
        utf8 = decoded
        return utf8.withUnsafeBytes { first($0) } ?? [:]
    }

    private func takeMatcher() -> Matcher {
        lock.lock()
        defer { lock.unlock() }
        return matchers.popLast() ?? Matcher()
    }

    private func giveBack(_ m: Matcher) {
        lock.lock()
        matchers.append(m)
        lock.unlock()
    }

    // MARK: the process's notes

    nonisolated(unsafe) private static var installed: EvidenceNotes?
    private static let installLock = NSLock()

    /// The notes reporters use, for the rule set the process loaded (set once by the CLI).
    public static var shared: EvidenceNotes? {
        installLock.lock()
        defer { installLock.unlock() }
        return installed
    }

    public static func install(_ notes: EvidenceNotes?) {
        installLock.lock()
        installed = notes
        installLock.unlock()
    }
}
