import Foundation

/// A leaf input: one log-like file or archive member, ready to read.
public struct LeafInput {
    /// Display path through archives, joined with `!` (`bundle.tar.gz!logs.zip!var/log/jamf.log`).
    public let source: String
    /// The file's modification time, or the archive member's; nil for standard input.
    public let modificationDate: Date?
    /// The bytes, already decompressed, and transcoded to UTF-8 when the leaf starts with a BOM.
    public let stream: ByteSource

    public init(source: String, modificationDate: Date?, stream: ByteSource) {
        self.source = source
        self.modificationDate = modificationDate
        self.stream = stream
    }
}
