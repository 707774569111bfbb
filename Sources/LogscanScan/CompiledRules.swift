#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LogscanInput
import LogscanPCRE2
import LogscanPrefilter
import LogscanRules

/// A rule set ready to scan with: rules, and one prefilter per format.
public final class CompiledRules: @unchecked Sendable {
    // SAFETY: immutable after init except the prefilter cache, which is guarded by its lock;
    // prefilters and compiled patterns are read-only.
    public let ruleSet: RuleSet
    public var rules: [Rule] { ruleSet.rules }
    /// Unsampled prefilters, built the first time a format asks (most runs use one or two
    /// formats, and a file of some size gets its own sampled prefilter instead).
    private var prefilters: [PrefilterKey: Prefilter] = [:]
    private let prefiltersLock = NSLock()
    /// The (rule index, literals) of the rules that apply to each format.
    private let applicable: [LogFormat: [(index: Int, literals: [String])]]
    /// What matching needs of each rule, by rule index, as objects: the scanner's per-line
    /// path reads them without copying a `Rule` (a struct of many references).
    let programs: [RuleProgram]

    /// Whether lines are prefiltered by literals. Off, every rule runs on every line (slow):
    /// the reference the prefilter is checked against.
    public let prefilterEnabled: Bool

    /// The candidate index that stands for "this line may be at error level" (see `ErrorLevel`):
    /// one past the last rule, so the prefilter finds such lines in the same pass as the rules'.
    public let levelIndex: Int

    public init(_ ruleSet: RuleSet, prefilter: Bool = true) {
        self.ruleSet = ruleSet
        self.prefilterEnabled = prefilter
        levelIndex = ruleSet.rules.count
        var lists: [LogFormat: [(index: Int, literals: [String])]] = [:]
        for format in LogFormat.allCases where format != .binary {
            lists[format] = ruleSet.rules.enumerated()
                .filter { $0.element.applies(to: format) }
                .map { (index: $0.offset, literals: prefilter ? $0.element.literals : []) }
        }
        applicable = lists
        let keep = ruleSet.scanCaptureFilter()
        programs = ruleSet.rules.map { RuleProgram($0, prefilter: prefilter, captures: keep) }
    }

    /// The rules of `format` and, as one more entry, the error-level literals of `shape` (of
    /// every shape of the format when none is given).
    private func entries(_ format: LogFormat, _ shape: LogShape?) -> [(index: Int, literals: [String])]? {
        guard var list = applicable[format] else { return nil }
        let level = shape.map { ErrorLevel.literals(for: $0) } ?? ErrorLevel.literals(for: format)
        if !level.isEmpty { list.append((index: levelIndex, literals: prefilterEnabled ? level : [])) }
        return list
    }

    /// The prefilter for `format` (and `shape`) tuned by a fixed guess about log text, shared by
    /// every file of that shape that is too small to be worth a sampled one.
    public func prefilter(for format: LogFormat, shape: LogShape? = nil) -> Prefilter? {
        guard let rules = entries(format, shape) else { return nil }
        prefiltersLock.lock()
        defer { prefiltersLock.unlock() }
        let key = PrefilterKey(format: format, shape: shape)
        if let built = prefilters[key] { return built }
        let built = Prefilter(rules: rules)
        prefilters[key] = built
        return built
    }

    private struct PrefilterKey: Hashable { var format: LogFormat; var shape: LogShape? }

    /// A prefilter for one file of `format` (and `shape`), tuned to the vocabulary of its first bytes.
    public func prefilter(for format: LogFormat, shape: LogShape? = nil, sample: UnsafeRawBufferPointer) -> Prefilter? {
        guard let rules = entries(format, shape) else { return nil }
        return Prefilter(rules: rules, sample: sample)
    }

    /// The prefilter for a file detected as `detected` whose first chunk is `sample`: tuned to
    /// it when there is enough of it (a small file is scanned faster than a tuned prefilter is
    /// built), else the shared one; none for binary input.
    package func prefilter(for detected: DetectedFormat, firstChunk sample: UnsafeRawBufferPointer?) -> Prefilter? {
        let format = detected.format
        if format == .binary { return nil }
        if let sample, sample.count >= FileScanner.sampledPrefilterBytes {
            return prefilter(for: format, shape: detected.shape, sample: sample)
        }
        return prefilter(for: format, shape: detected.shape)
    }
}
