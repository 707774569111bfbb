#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into complete lines using one fixed-size buffer.
///
/// Memory does not depend on the size of the input: the reader owns a single buffer and rolls
/// the unfinished tail of a read forward. It hands out *chunks*: runs of complete lines, each
/// ending in `\n`, straight out of its buffer (no copy, no allocation per line). A line longer
/// than `maxLineLength` is handed out on its own, cut at the cap and marked truncated; the rest
/// of it is skipped up to its terminator. The same reader serves `scan` (pull from a source until
/// the end) and `follow` (push bytes as they arrive, flush an idle unfinished line).
public final class LineReader {
    /// How a chunk ends.
    public enum ChunkKind: Sendable, Equatable {
        /// One or more complete lines, each ending in `\n`.
        case lines
        /// A single line without its terminator: the end of the stream, or an idle flush.
        case unterminated
        /// A single line cut at `maxLineLength`; the rest of it is not read.
        case truncated
    }

    public let maxLineLength: Int
    /// Bytes taken from the source (or pushed), including skipped tails of truncated lines.
    public private(set) var bytesRead: Int64 = 0
    /// Lines cut at `maxLineLength`.
    public private(set) var truncatedLines: Int = 0

    private let buffer: UnsafeMutableRawBufferPointer
    /// Bytes of an unfinished line at the start of `buffer`.
    private var pending = 0
    /// True while discarding the rest of a line that was already handed out (truncated or flushed).
    private var skippingToNewline = false

    /// - Parameters:
    ///   - bufferSize: bytes read at a time; at least `maxLineLength + 1`.
    ///   - maxLineLength: the longest line handed out whole.
    public init(bufferSize: Int = 1 << 20, maxLineLength: Int = 1 << 20) {
        precondition(maxLineLength > 0)
        self.maxLineLength = maxLineLength
        let size = Swift.max(bufferSize, maxLineLength + 1)
        buffer = .allocate(byteCount: size, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Reads `source` to its end, handing every line to `body` in order.
    public func readAll(
        from source: any ByteSource,
        _ body: (UnsafeRawBufferPointer, ChunkKind) throws -> Void
    ) throws {
        while true {
            let space = UnsafeMutableRawBufferPointer(rebasing: buffer[pending...])
            let count = try source.read(into: space)
            if count == 0 { break }
            try afterAppend(count, body)
        }
        try finish(body)
    }

    /// Feeds bytes that arrived (follow mode); complete lines go to `body`.
    public func push(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer, ChunkKind) throws -> Void
    ) throws {
        var rest = bytes
        while !rest.isEmpty {
            let room = buffer.count - pending
            let take = Swift.min(room, rest.count)
            UnsafeMutableRawBufferPointer(rebasing: buffer[pending..<(pending + take)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest[..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            try afterAppend(take, body)
        }
    }

    /// True when an unfinished line is waiting for its terminator.
    public var hasUnterminatedLine: Bool { pending > 0 }

    /// Hands out the unfinished line now (follow mode, after it has been idle). When its
    /// terminator arrives later, it is not handed out again.
    public func flushUnterminated(_ body: (UnsafeRawBufferPointer, ChunkKind) throws -> Void) throws {
        guard pending > 0 else { return }
        let line = UnsafeRawBufferPointer(rebasing: buffer[..<pending])
        pending = 0
        skippingToNewline = true
        try body(line, .unterminated)
    }

    /// Forgets any unfinished line (the followed file was truncated or replaced).
    public func reset() {
        pending = 0
        skippingToNewline = false
    }

    /// At the end of the stream: the last line, if it had no terminator.
    public func finish(_ body: (UnsafeRawBufferPointer, ChunkKind) throws -> Void) throws {
        guard pending > 0 else { return }
        let line = UnsafeRawBufferPointer(rebasing: buffer[..<pending])
        pending = 0
        try body(line, .unterminated)
    }

    private func afterAppend(
        _ count: Int,
        _ body: (UnsafeRawBufferPointer, ChunkKind) throws -> Void
    ) throws {
        bytesRead += Int64(count)
        var start = 0
        var end = pending + count
        guard let base = buffer.baseAddress else { return }

        if skippingToNewline {
            // Drop everything up to and including the next terminator.
            let fresh = pending
            if let nl = memchrOffset(base + fresh, 0x0A, end - fresh) {
                start = fresh + nl + 1
                skippingToNewline = false
            } else {
                pending = 0
                return
            }
            // Shift what follows to the front so the rest of the logic sees a clean buffer.
            let tail = end - start
            if tail > 0 { (base).copyMemory(from: base + start, byteCount: tail) }
            start = 0
            end = tail
            pending = 0
        }

        // Complete lines end at the last terminator in the buffer.
        if let lastNL = memrchrOffset(base + start, 0x0A, end - start) {
            let chunkEnd = start + lastNL + 1
            try handOutLines(base, from: start, to: chunkEnd, body)
            start = chunkEnd
        }
        var tail = end - start
        if tail > maxLineLength {
            // A line longer than the cap: hand out its first part, skip the rest.
            try body(UnsafeRawBufferPointer(start: base + start, count: maxLineLength), .truncated)
            truncatedLines += 1
            let after = start + maxLineLength
            let remaining = end - after
            if let nl = memchrOffset(base + after, 0x0A, remaining) {
                let resume = after + nl + 1
                let rest = end - resume
                if rest > 0 { base.copyMemory(from: base + resume, byteCount: rest) }
                pending = 0
                // Whatever followed may hold complete lines: process it as fresh input.
                if rest > 0 {
                    bytesRead -= Int64(rest)
                    try afterAppend(rest, body)
                }
                return
            }
            skippingToNewline = true
            pending = 0
            return
        }
        if tail > 0 && start > 0 { base.copyMemory(from: base + start, byteCount: tail) }
        if tail < 0 { tail = 0 }
        pending = tail
    }
}

extension LineReader {
    /// Hands out the complete lines in `from..<to` as one chunk, except that a line longer than
    /// `maxLineLength` goes out on its own, cut at the cap and counted. A complete line can be
    /// that long only when the buffer is larger than the cap (`--max-line-length` below the
    /// read size); then each line's length is checked, so whether a line is cut never depends
    /// on where the reads fell.
    private func handOutLines(_ base: UnsafeMutableRawPointer, from: Int, to: Int,
                              _ body: (UnsafeRawBufferPointer, ChunkKind) throws -> Void) throws {
        guard maxLineLength < to - from - 1 else {
            try body(UnsafeRawBufferPointer(start: base + from, count: to - from), .lines)
            return
        }
        var run = from, line = from
        while line < to {
            let length = memchrOffset(base + line, 0x0A, to - line)!
            if length > maxLineLength {
                if line > run { try body(UnsafeRawBufferPointer(start: base + run, count: line - run), .lines) }
                try body(UnsafeRawBufferPointer(start: base + line, count: maxLineLength), .truncated)
                truncatedLines += 1
                run = line + length + 1
            }
            line += length + 1
        }
        if to > run { try body(UnsafeRawBufferPointer(start: base + run, count: to - run), .lines) }
    }
}

@inline(__always)
func memchrOffset(_ p: UnsafeMutableRawPointer, _ byte: UInt8, _ count: Int) -> Int? {
    guard count > 0, let hit = memchr(p, Int32(byte), count) else { return nil }
    return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
}

/// The offset of the last `byte` in `p[0..<count]` (lines are short, so this walks few bytes).
@inline(__always)
func memrchrOffset(_ p: UnsafeMutableRawPointer, _ byte: UInt8, _ count: Int) -> Int? {
    let bytes = p.assumingMemoryBound(to: UInt8.self)
    var i = count - 1
    while i >= 0 {
        if bytes[i] == byte { return i }
        i -= 1
    }
    return nil
}
