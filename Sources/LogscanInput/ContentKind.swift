/// What a stream is, judged by its first bytes (never by its name).
enum ContentKind: Equatable {
    case zip, tar, gzip, bzip2, xz, plain

    /// Enough bytes to see every signature below (tar's sits at offset 257).
    static let sniffLength = 512

    init(prefix: [UInt8]) {
        func has(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            prefix.count >= offset + signature.count
                && prefix[offset..<offset + signature.count].elementsEqual(signature)
        }
        if has([0x50, 0x4B, 0x03, 0x04]) || has([0x50, 0x4B, 0x05, 0x06]) {
            self = .zip  // a local file header, or the end record of an empty zip
        } else if has(Array("ustar".utf8), at: 257) {
            self = .tar
        } else if has([0x1F, 0x8B]) {
            self = .gzip
        } else if has(Array("BZh".utf8)) && prefix.count > 3 && (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(prefix[3]) {
            self = .bzip2
        } else if has([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
            self = .xz
        } else {
            self = .plain
        }
    }

    /// zip or tar as it stands.
    var isArchive: Bool { self == .zip || self == .tar }
    /// A compressed stream, holding either one log or a tar/zip.
    var isCompressed: Bool { self == .gzip || self == .bzip2 || self == .xz }
}
