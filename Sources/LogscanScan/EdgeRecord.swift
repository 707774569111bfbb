import Foundation
import LogscanSupport
import LogscanRules

/// The first or last record of a file: where its coverage starts or ends.
public struct EdgeRecord: Sendable {
    public var line: Int
    public var text: String
    public var time: RecordTime
}
