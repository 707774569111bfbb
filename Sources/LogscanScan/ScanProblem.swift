import Foundation
import LogscanInput
import LogscanPCRE2
import LogscanRules

/// A problem met while matching (a rule hitting its match limit on some line).
public struct ScanProblem: Sendable, Hashable {
    public var ruleID: String
    public var line: Int
    public var message: String
    /// What went wrong, without where.
    package var reason: String

    /// A rule that could not be matched on a line (PCRE2 stopped at a limit).
    static func matchFailure(rule: String, line: Int, reason: String) -> ScanProblem {
        ScanProblem(ruleID: rule, line: line,
                    message: "rule \(rule): \(reason) on line \(line) (the rest of this file is still scanned)", reason: reason)
    }

    /// The same problem `delta` lines further down (found in a part of a file scanned on its own).
    func shifted(by delta: Int) -> ScanProblem {
        .matchFailure(rule: ruleID, line: line + delta, reason: reason)
    }
}
