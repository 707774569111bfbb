/// File names are bytes (Linux, and archives made anywhere), not necessarily UTF-8: a log
/// named in Latin-1 must still be found, opened and reported. A path is kept as a `String`
/// that holds its bytes exactly: valid UTF-8 as itself, every other byte `b` (0x80...0xFF)
/// as the scalar U+10FF00 + b, the last 128 code points of plane 16 (private use), as
/// Python's PEP 383 keeps undecodable bytes. A name that holds one of those scalars itself
/// stores its UTF-8 bytes the same way, so the mapping is one to one and every path gets its
/// bytes back for `open(2)`, `stat(2)` and `opendir(3)` (`withCString`).
///
/// For people the stand-in scalars are shown as what they are: `\xNN` in text
/// (`TerminalText`), U+FFFD in JSON (`JSON.appendString`) and in the other formats
/// (`replacingInvalid`).
public enum RawPath {
    /// The first stand-in scalar's value minus 0x80: byte `b` is U+10FF00 + b.
    static let base: UInt32 = 0x10FF00
    static let first: UInt32 = 0x10FF80

    /// The path whose bytes are `bytes`.
    public static func string(fromBytes bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        if array.allSatisfy({ $0 < 0x80 }) { return String(decoding: array, as: UTF8.self) }
        var text = ""
        text.reserveCapacity(array.count + 8)
        var iterator = array.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        func standIn(_ bytes: ArraySlice<UInt8>) {
            for byte in bytes { text.unicodeScalars.append(Unicode.Scalar(base + UInt32(byte))!) }
        }
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if isStandIn(scalar) { standIn(array[offset..<offset + encoded.count]) } else { text.unicodeScalars.append(scalar) }
                offset += encoded.count
            case .error(let length):
                standIn(array[offset..<offset + length])
                offset += length
            case .emptyInput:
                return text
            }
        }
    }

    /// The path named by a NUL-terminated C string (a command-line argument, a `d_name`).
    public static func string(fromCString pointer: UnsafePointer<CChar>) -> String {
        string(fromBytes: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)).bindMemory(to: UInt8.self))
    }

    /// The bytes `path` stands for.
    public static func bytes(_ path: String) -> [UInt8] {
        guard holdsStandIns(path) else { return Array(path.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if isStandIn(scalar) { out.append(UInt8(scalar.value - base)) } else { out += String(scalar).utf8 }
        }
        return out
    }

    /// Calls `body` with `path`'s bytes as a NUL-terminated C string, for a system call.
    public static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        guard holdsStandIns(path) else { return try path.withCString(body) }
        let raw = bytes(path).map { CChar(bitPattern: $0) } + [0]
        return try raw.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// `open(2)` of `path`'s bytes: the descriptor, or -1 with `errno` set. `mode` is for a
    /// file `O_CREAT` makes.
    public static func openDescriptor(_ path: String, _ flags: Int32, mode: mode_t = 0o644) -> Int32 {
        withCString(path) { open($0, flags, mode) }
    }

    /// `text` with every stand-in scalar replaced by U+FFFD, for a format that shows text as
    /// Unicode (JSON, CSV, Markdown, HTML).
    public static func replacingInvalid(_ text: String) -> String {
        guard holdsStandIns(text) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(isStandIn(scalar) ? "\u{FFFD}" : scalar) }
        return String(out)
    }

    @inline(__always)
    public static func isStandIn(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= first }

    /// Whether `text` may hold a stand-in (all of them are F4 8F BE xx or F4 8F BF xx in UTF-8).
    @inline(__always)
    static func holdsStandIns(_ text: String) -> Bool {
        text.utf8.contains(0xF4) && text.unicodeScalars.contains(where: isStandIn)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
