import Foundation

/// A leaf input: one log-like file or archive member, ready to read.
public struct LeafInput {
    /// Display path through archives, joined with `!` (`bundle.tar.gz!logs.zip!var/log/jamf.log`).
    public let source: String
    /// The file's modification time, or the archive member's; nil for standard input.
    public let modificationDate: Date?
    /// The text: decompressed, and read through a `LogDecoder` (UTF-16 transcoded, NULs skipped).
    public let stream: ByteSource
    /// The same bytes as stored (decompressed, not decoded), for a reader that parses a file
    /// format rather than text (a binary plist holds NULs). Read one or the other, never both.
    public let storedStream: ByteSource

    public init(source: String, modificationDate: Date?, stream: ByteSource, storedStream: ByteSource? = nil) {
        self.source = source
        self.modificationDate = modificationDate
        self.stream = stream
        self.storedStream = storedStream ?? stream
    }
}
