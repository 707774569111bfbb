import Foundation
import LogscanInput
import LogscanPCRE2
import LogscanSupport
import LogscanRules

/// A line that matched a rule, as the scanner reports it.
public struct RawHit: Sendable {
    public var ruleIndex: Int
    /// 1-based physical line number.
    public var line: Int
    /// The whole physical line, decoded as UTF-8 with invalid bytes replaced.
    public var text: String
    public var captures: [String: String]
    /// The time of the record the line belongs to, as written.
    public var recordTime: RecordTime?

    /// A copy of a hit the scanner handed out.
    public init(_ view: HitView) {
        self.init(ruleIndex: view.ruleIndex, line: view.line, text: String(decoding: view.text, as: UTF8.self),
                  captures: view.captures, recordTime: view.recordTime)
    }

    public init(ruleIndex: Int, line: Int, text: String, captures: [String: String], recordTime: RecordTime?) {
        self.ruleIndex = ruleIndex; self.line = line; self.text = text; self.captures = captures; self.recordTime = recordTime
    }
}
