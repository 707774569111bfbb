import Foundation
import LogscanRules

/// What was read of one input.
public struct InputReport: Sendable {
    public var source: String
    public var bundle: String
    public var format: String
    public var lines: Int
    public var bytes: Int64
    public var error: String?
    public var truncatedLines: Int
    /// Stored bytes of NUL characters skipped (a block of zeros left by a crash, say).
    public var nulBytesSkipped: Int64
    /// Why the input was not read as a log, when it was not (binary content, the same file
    /// met before): it is accounted for, not lost.
    public var skipped: String?
    public init(source: String, bundle: String, format: String, lines: Int, bytes: Int64, error: String?, truncatedLines: Int,
                nulBytesSkipped: Int64 = 0, skipped: String? = nil) {
        self.source = source; self.bundle = bundle; self.format = format; self.lines = lines
        self.bytes = bytes; self.error = error; self.truncatedLines = truncatedLines
        self.nulBytesSkipped = nulBytesSkipped; self.skipped = skipped
    }

    /// `skipped` for an input whose content is not text.
    public static let binaryReason = "binary content, not a log"

    /// Whether anything was read from it as a log: text with at least one line.
    public var isReadLog: Bool { skipped == nil && lines > 0 }
}
