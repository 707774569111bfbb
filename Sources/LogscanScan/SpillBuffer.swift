#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LogscanSupport
import LogscanRules

/// Bytes written once and read back by offset, in bounded memory: past `memoryLimit` they move
/// to a temporary file (unlinked at once, so nothing is left behind even after a crash) and are
/// read back through a small window.
///
/// This is what keeps a scan's memory flat however many lines match: a bundle's matched lines
/// and its rendered report wait here, in the page cache rather than on the heap. If no temporary
/// file can be made (a read-only or full `TMPDIR`), the bytes simply stay in memory.
///
/// One thread writes it; once writing is over, several threads may read it at once, each
/// through its own `SpillCursor` (reading changes nothing but the cursor).
public final class SpillBuffer: @unchecked Sendable {
    // SAFETY: appends come from one thread; readers start after the last append (the buffer is
    // handed over through ScanEngine's lock or a DispatchGroup) and read the tail array and the
    // file (pread) without changing them; only the default cursor is shared, and it is used by
    // single-threaded readers only.
    private let memoryLimit: Int
    private let windowSize: Int
    /// Bytes not yet written to the file: those at offsets `flushed...`.
    private var tail: [UInt8] = []
    private var flushed: Int64 = 0
    private var fd: Int32 = -1
    private var fileFailed = false
    private let ownCursor = SpillCursor()

    /// Where temporary files go: `directory`, by default `$TMPDIR` or `/tmp`.
    private let directory: String?

    public init(memoryLimit: Int = 1 << 20, windowSize: Int = 256 << 10, directory: String? = nil) {
        self.memoryLimit = memoryLimit
        self.windowSize = windowSize
        self.directory = directory
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether some bytes live in the temporary file.
    var hasSpilled: Bool { flushed > 0 }

    /// Total bytes appended.
    public var count: Int64 { flushed + Int64(tail.count) }
    public var isEmpty: Bool { count == 0 }

    /// Appends bytes by letting `body` add them to the in-memory tail (one record at a time,
    /// so a record never straddles memory and file); returns the offset they start at.
    @discardableResult
    public func append(_ body: (inout [UInt8]) -> Void) -> Int64 {
        let offset = count
        // Room for the whole limit and a record at once: the tail never grows by doubling
        // (which would hold the old and the new copy at the same time).
        if tail.capacity == 0 && memoryLimit < 64 << 20 { tail.reserveCapacity(memoryLimit + (64 << 10)) }
        body(&tail)
        if tail.count >= memoryLimit { spill() }
        return offset
    }

    @discardableResult
    public func append(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        append { $0.append(contentsOf: bytes) }
    }

    @discardableResult
    public func append(_ bytes: [UInt8]) -> Int64 {
        append { $0.append(contentsOf: bytes) }
    }

    private func spill() {
        guard !fileFailed else { return }
        if fd < 0 {
            fd = Self.makeTemporaryFile(in: directory)
            if fd < 0 { fileFailed = true; return }
        }
        let ok = tail.withUnsafeBytes { writeFully(fd, $0, at: flushed) }
        if ok {
            flushed += Int64(tail.count)
            tail.removeAll(keepingCapacity: true)
        } else {
            // Disk full or similar: what is already in the file stays readable (a partial write
            // is cut off); everything from here on stays in memory.
            _ = ftruncate(fd, off_t(flushed))
            fileFailed = true
        }
    }

    static func makeTemporaryFile(in directory: String?) -> Int32 {
        // getenv, not ProcessInfo.environment, which builds a dictionary of the whole
        // environment on every call.
        let dir = directory ?? getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir.hasSuffix("/") ? dir : dir + "/").utf8CString.dropLast()) + Array("logscan-spill.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
        return fd
    }

    /// Calls `body` with the `length` bytes at `offset` (valid only during the call).
    ///
    /// Reading never changes the buffer itself, only the cursor's window: once writing is
    /// over, threads may read at once, each with its own cursor.
    public func withBytes<R>(at offset: Int64, count length: Int, cursor: SpillCursor? = nil,
                             _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if offset >= flushed {
            let start = Int(offset - flushed)
            return tail.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
        }
        let c = cursor ?? ownCursor
        if c.start < 0 || offset < c.start || offset + Int64(length) > c.start + Int64(c.count) {
            fill(c, from: offset, atLeast: length)
        }
        let start = Int(offset - c.start)
        return c.window.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
    }

    /// Calls `body` with the record at `offset`, whose length `length` tells from its first
    /// `headerSize` bytes: `withBytes` for the header then for the record, in one look-up when
    /// the record is in memory or in the cursor's window (nearly always).
    func withRecord<R>(at offset: Int64, headerSize: Int, cursor: SpillCursor?, length: (UnsafeRawBufferPointer) -> Int,
                       _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if offset >= flushed {
            let start = Int(offset - flushed)
            return tail.withUnsafeBytes { all in
                let n = length(UnsafeRawBufferPointer(rebasing: all[start..<(start + headerSize)]))
                return body(UnsafeRawBufferPointer(rebasing: all[start..<(start + n)]))
            }
        }
        let c = cursor ?? ownCursor
        if c.start < 0 || offset < c.start || offset + Int64(headerSize) > c.start + Int64(c.count) {
            fill(c, from: offset, atLeast: headerSize)
        }
        let start = Int(offset - c.start)
        let n = c.window.withUnsafeBytes { length(UnsafeRawBufferPointer(rebasing: $0[start..<(start + headerSize)])) }
        guard start + n <= c.count else { return withBytes(at: offset, count: n, cursor: c, body) }
        return c.window.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + n)])) }
    }

    /// Reads the file from `offset` into the cursor: at least `length` bytes, a window's worth
    /// when there is.
    private func fill(_ c: SpillCursor, from offset: Int64, atLeast length: Int) {
        let want = Int(min(Int64(max(length, windowSize)), flushed - offset))
        if c.window.count < want { c.window = [UInt8](repeating: 0, count: want) }
        c.window.withUnsafeMutableBytes { readFully(fd, UnsafeMutableRawBufferPointer(rebasing: $0[..<want]), at: offset) }
        c.start = offset
        c.count = want
    }

    /// Hands every byte to `body` in order, in pieces of at most a window.
    public func forEachPiece(_ body: (UnsafeRawBufferPointer) -> Void) {
        var offset: Int64 = 0
        while offset < flushed {
            let n = Int(min(Int64(windowSize), flushed - offset))
            withBytes(at: offset, count: n) { body($0) }
            offset += Int64(n)
        }
        if !tail.isEmpty { tail.withUnsafeBytes { body($0) } }
    }
}

/// One reader's window onto a `SpillBuffer`'s file.
public final class SpillCursor: @unchecked Sendable {
    // SAFETY: a cursor belongs to one reading thread at a time.
    package var window: [UInt8] = []
    package var count = 0
    package var start: Int64 = -1
    /// The buffer this cursor was made for, unretained: whoever made the cursor keeps the
    /// buffer alive. Reading through it takes no reference to a buffer that other threads read
    /// too, whose count would otherwise bounce between their cores on every record.
    package let target: Unmanaged<SpillBuffer>?
    public init() { target = nil }
    package init(reading buffer: SpillBuffer) { target = Unmanaged.passUnretained(buffer) }
}

/// Writes all of `bytes` at `offset` of `fd` (`pwrite`, retried after a signal); false on an
/// error such as a full disk.
func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Bool {
    var done = 0
    while done < bytes.count {
        let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
        if n < 0 { if errno == EINTR { continue }; return false }
        done += n
    }
    return true
}

/// Fills `buffer` from `offset` of `fd` (`pread`, retried after a signal). What cannot be read
/// back (a temporary file written by us a moment ago) reads as zeros.
func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) {
    var got = 0
    while got < buffer.count {
        let n = pread(fd, buffer.baseAddress! + got, buffer.count - got, off_t(offset) + off_t(got))
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        got += n
    }
    if got < buffer.count { memset(buffer.baseAddress! + got, 0, buffer.count - got) }
}
