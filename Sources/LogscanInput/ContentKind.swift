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
        } else if Self.isTarHeader(prefix) {
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

    /// A tar header block: the `ustar` magic at offset 257, or (an old v7 tar, which has none)
    /// a header checksum that adds up. A run of zeros is neither: it is how a tar ends, but it
    /// is also how a log left by a crash begins.
    static func isTarHeader(_ block: [UInt8]) -> Bool {
        guard block.count >= 512 else { return false }
        if block[257..<262].elementsEqual("ustar".utf8) { return true }
        // The checksum field: octal digits, maybe after spaces, ended by NUL or space.
        var stored = 0, digits = 0
        for byte in block[148..<156] {
            if byte == 0x20 && digits == 0 { continue }
            guard (0x30...0x37).contains(byte) else { break }
            stored = stored * 8 + Int(byte - 0x30)
            digits += 1
        }
        guard digits > 0, block[0] != 0 else { return false }
        var sum = 0
        for (i, byte) in block[0..<512].enumerated() { sum += (148..<156).contains(i) ? 0x20 : Int(byte) }
        return sum == stored
    }

    /// zip or tar as it stands.
    var isArchive: Bool { self == .zip || self == .tar }
    /// A compressed stream, holding either one log or a tar/zip.
    var isCompressed: Bool { self == .gzip || self == .bzip2 || self == .xz }
}
