import Foundation
import LogscanRules

/// An error that belongs in the report's `errors` list.
public struct ReportError: Sendable, Hashable {
    public var source: String
    public var message: String
    public init(source: String, message: String) { self.source = source; self.message = message }
}
