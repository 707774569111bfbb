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

/// One rule as the scanner runs it.
public final class RuleProgram: Sendable {
    package let id: String
    package let patterns: [CompiledPattern]
    /// Named groups per pattern: (name, group number).
    package let names: [[(String, Int)]]
    package let requires: [CompiledPattern]
    package let excludes: [CompiledPattern]
    /// The rule's `and_literals`, when lines are prefiltered.
    package let andLiterals: AnyLiteral?

    /// `captures`: the named groups extracted while scanning; the others are read back from
    /// the evidence lines when the report is written.
    package init(_ rule: Rule, prefilter: Bool, captures: (String) -> Bool) {
        andLiterals = prefilter ? AnyLiteral(rule.andLiterals) : nil
        id = rule.id
        patterns = rule.patterns
        names = rule.patterns.map {
            $0.captureNames.filter { captures($0.key) }.map { ($0.key, $0.value) }.sorted { $0.1 < $1.1 }
        }
        requires = rule.requires
        excludes = rule.excludes
    }

    private init(copying other: RuleProgram) {
        // New array storage and pattern handles: the copy shares no reference count with the
        // original.
        id = other.id
        andLiterals = other.andLiterals.flatMap { AnyLiteral($0.words) }
        patterns = other.patterns.map { $0.threadCopy() }
        names = other.names.map { $0.map { $0 } }
        requires = other.requires.map { $0.threadCopy() }
        excludes = other.excludes.map { $0.threadCopy() }
    }

    /// Copies for one thread. Every candidate line retains and releases its rule's program
    /// and arrays; on objects shared by the threads of `-j 2` those atomic counts bounce
    /// between cores.
    static func threadCopies(_ programs: [RuleProgram]) -> [RuleProgram] {
        programs.map(RuleProgram.init(copying:))
    }
}
