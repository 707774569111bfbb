#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How logscan reads a log's stored bytes as text: the one decoder behind `scan`
/// (`TranscodingSource`, pulled) and `follow` (`push`ed as bytes are written), so both read
/// every file the same way.
///
/// - The encoding is judged from the first bytes: a UTF-8 byte order mark is dropped; a UTF-16
///   one (`FF FE`, `FE FF`) means UTF-16 of that byte order; without a mark, text whose every
///   other byte is zero (and the others printable) is UTF-16 too (a PowerShell or .NET log
///   written without one). Anything else is read as UTF-8 (invalid bytes stay as they are; the
///   reports replace them).
/// - UTF-16 is transcoded to UTF-8 as it streams: a code unit or surrogate pair split across
///   pushes is carried over; unpaired surrogates and an odd last byte become U+FFFD.
/// - NUL characters are skipped and counted (`nulBytesSkipped`, in stored bytes): a block of
///   zeros is what a Mac leaves in a log after a crash or power loss mid-write, and the text
///   around it is read as if the block were not there.
///
/// Bytes are held back only until the encoding is known (at most `decisionBytes`).
public final class LogDecoder {
    public enum Encoding: Sendable, Equatable {
        case utf8
        case utf16(bigEndian: Bool)
    }

    /// The encoding, once judged (nil while the first bytes are held back).
    public private(set) var encoding: Encoding?
    /// Bytes pushed, as stored (before transcoding, NULs included).
    public private(set) var storedBytes: Int64 = 0
    /// Stored bytes of the NUL characters skipped (2 per NUL in UTF-16).
    public private(set) var nulBytesSkipped: Int64 = 0

    /// The most bytes held back to judge the encoding.
    public static let decisionBytes = 4096
    /// Printable pairs that settle the encoding before `decisionBytes` are held.
    static let evidencePairs = 32

    private let preset: Encoding?
    private var head: [UInt8] = []
    private var oddByte: UInt8?
    private var highSurrogate: UInt16?
    private var output: UnsafeMutableRawBufferPointer?
    private var outputCount = 0
    private static let outputCapacity = 96 * 1024

    /// - Parameter encoding: known in advance (a part of a file already judged); nil to judge
    ///   it from the first bytes.
    public init(encoding: Encoding? = nil) {
        preset = encoding
        self.encoding = encoding
    }

    deinit { output?.deallocate() }

    /// Feeds stored bytes; hands the text (UTF-8, without NULs) to `body` in one or more pieces.
    /// In UTF-8 the pieces are slices of `bytes` itself, in order: nothing is copied.
    public func push(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        storedBytes += Int64(bytes.count)
        guard encoding == nil else {
            try emit(bytes, body)
            return
        }
        head.append(contentsOf: bytes)
        guard let (decided, mark) = Self.judge(head, final: false) else { return }
        try start(decided, skipping: mark, body)
    }

    /// Hands out what is held back now (follow mode, after an idle second): the encoding is
    /// judged from what has arrived.
    public func flush(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard encoding == nil, !head.isEmpty, let (decided, mark) = Self.judge(head, final: true) else { return }
        try start(decided, skipping: mark, body)
    }

    /// The end of the stream: held bytes go out, and an unfinished UTF-16 character becomes U+FFFD.
    public func finish(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try flush(body)
        guard case .utf16 = encoding, oddByte != nil || highSurrogate != nil else { return }
        oddByte = nil
        highSurrogate = nil
        append(scalar: 0xFFFD)
        try drainOutput(body)
    }

    /// New content at the same place (a followed file was truncated): the encoding is judged
    /// again and nothing half-decoded is kept. The counts go on.
    public func reset() {
        encoding = preset
        head = []
        oddByte = nil
        highSurrogate = nil
        outputCount = 0
    }

    private func start(_ decided: Encoding, skipping mark: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        encoding = decided
        let held = head
        head = []
        try held.withUnsafeBytes { raw in try emit(UnsafeRawBufferPointer(rebasing: raw[mark...]), body) }
    }

    // MARK: - Judging the encoding

    /// The encoding of a stream starting with `head`, and the length of its byte order mark;
    /// nil while more bytes are needed (never when `final`).
    static func judge(_ head: [UInt8], final: Bool) -> (Encoding, mark: Int)? {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if head.starts(with: [0xFF, 0xFE]) { return (.utf16(bigEndian: false), 2) }
        if head.starts(with: [0xFE, 0xFF]) { return (.utf16(bigEndian: true), 2) }
        if !final && head.count < 3 && [0xEF, 0xBB, 0xBF].starts(with: head) { return nil }
        if !final && head.count < 2 && (head == [0xFF] || head == [0xFE]) { return nil }
        // Pairs of bytes, skipping all-zero ones: ASCII in UTF-16 has one zero byte per pair.
        var little = 0, big = 0, evidence = 0
        let sawNewline = head.prefix(decisionBytes).contains(0x0A)
        var i = 0
        while i + 1 < min(head.count, decisionBytes) {
            let a = head[i], b = head[i + 1]
            i += 2
            if a == 0 && b == 0 { continue }
            evidence += 1
            if b == 0 && isPrintable(a) { little += 1 }
            if a == 0 && isPrintable(b) { big += 1 }
        }
        guard final || evidence >= evidencePairs || head.count >= decisionBytes || (sawNewline && evidence >= 1) else {
            return nil
        }
        if evidence > 0 && little * 4 >= evidence * 3 { return (.utf16(bigEndian: false), 0) }
        if evidence > 0 && big * 4 >= evidence * 3 { return (.utf16(bigEndian: true), 0) }
        return (.utf8, 0)
    }

    private static func isPrintable(_ byte: UInt8) -> Bool {
        (0x20...0x7E).contains(byte) || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    // MARK: - Decoding

    private func emit(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        switch encoding {
        case .utf16(let bigEndian):
            try decodeUTF16(bytes, bigEndian: bigEndian, body)
        default:
            try emitSkippingNULs(bytes, body)
        }
    }

    /// UTF-8: the runs between NUL bytes, as slices of `bytes`.
    private func emitSkippingNULs(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let base = bytes.baseAddress else { return }
        var at = 0
        let count = bytes.count
        while at < count {
            guard let hit = memchr(base + at, 0, count - at) else {
                try body(UnsafeRawBufferPointer(rebasing: bytes[at...]))
                return
            }
            let nul = UnsafeRawPointer(hit) - base
            if nul > at { try body(UnsafeRawBufferPointer(rebasing: bytes[at..<nul])) }
            var end = nul + 1
            while end < count && bytes[end] == 0 { end += 1 }
            nulBytesSkipped += Int64(end - nul)
            at = end
        }
    }

    private func decodeUTF16(_ bytes: UnsafeRawBufferPointer, bigEndian: Bool,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if output == nil { output = .allocate(byteCount: Self.outputCapacity, alignment: 16) }
        var i = 0
        if let first = oddByte, !bytes.isEmpty {
            oddByte = nil
            decode(unit: Self.unit(first, bytes[0], bigEndian: bigEndian))
            i = 1
        }
        while i + 1 < bytes.count {
            decode(unit: Self.unit(bytes[i], bytes[i + 1], bigEndian: bigEndian))
            i += 2
            if outputCount > Self.outputCapacity - 16 { try drainOutput(body) }
        }
        if i < bytes.count { oddByte = bytes[i] }
        try drainOutput(body)
    }

    @inline(__always)
    private static func unit(_ first: UInt8, _ second: UInt8, bigEndian: Bool) -> UInt16 {
        bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first)
    }

    private func drainOutput(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard outputCount > 0, let output else { return }
        let count = outputCount
        outputCount = 0
        try body(UnsafeRawBufferPointer(rebasing: output[..<count]))
    }

    private func decode(unit: UInt16) {
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                append(scalar: 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00))
                return
            }
            append(scalar: 0xFFFD)
        }
        switch unit {
        case 0:
            nulBytesSkipped += 2
        case 0xD800...0xDBFF:
            highSurrogate = unit
        case 0xDC00...0xDFFF:
            append(scalar: 0xFFFD)
        default:
            append(scalar: UInt32(unit))
        }
    }

    private func append(scalar: UInt32) {
        guard let output else { return }
        func put(_ byte: UInt32) {
            output[outputCount] = UInt8(truncatingIfNeeded: byte)
            outputCount += 1
        }
        switch scalar {
        case ..<0x80:
            put(scalar)
        case ..<0x800:
            put(0xC0 | scalar >> 6)
            put(0x80 | scalar & 0x3F)
        case ..<0x10000:
            put(0xE0 | scalar >> 12)
            put(0x80 | scalar >> 6 & 0x3F)
            put(0x80 | scalar & 0x3F)
        default:
            put(0xF0 | scalar >> 18)
            put(0x80 | scalar >> 12 & 0x3F)
            put(0x80 | scalar >> 6 & 0x3F)
            put(0x80 | scalar & 0x3F)
        }
    }
}
