import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan

/// A cause found in one bundle, with its evidence and the fix.
public struct Finding: Sendable {
    public var cause: String
    public var title: String
    public var severity: Severity
    public var bundle: String
    public var firstSeen: Instant?
    public var lastSeen: Instant?
    public var evidence: [Event]
    public var fix: [String]
    /// How the cause was established, for people: "direct", or the condition that held.
    public var reason: String
    /// The cause found in the same bundle that explains this one (its cause file's
    /// `consequence_of`), or nil for a root cause.
    public var consequenceOf: String? = nil
    public var count: Int { evidence.count }
}
