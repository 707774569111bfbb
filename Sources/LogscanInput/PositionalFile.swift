#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A plain log file on disk read by offset (`pread(2)`), so several threads can read parts of it
/// at once: what lets one large log use every core.
public final class PositionalFile: @unchecked Sendable {
    // SAFETY: immutable after init; pread does not move a shared file position.
    public let path: String
    /// The size when opened: a file split into parts is read up to this size.
    public let size: Int64
    public let modificationDate: Date
    /// Where the text starts: after a UTF-8 byte order mark, which the walker skips too.
    public private(set) var contentStart: Int64 = 0
    private let descriptor: Int32

    /// Opens `path` when the walker would read it as one plain UTF-8 (or ASCII) log: a regular
    /// file, neither compressed nor an archive, without a UTF-16 byte order mark. Nil
    /// otherwise, and on any error (the walker then reads the file and reports the problem).
    public static func openPlainLog(_ path: String) -> PositionalFile? {
        let fd = RawPath.openDescriptor(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, FileStatus.kind(of: info) == .regular,
              let status = try? FileStatus(descriptor: fd, source: path) else {
            close(fd)
            return nil
        }
        let file = PositionalFile(path: path, descriptor: fd, size: Int64(info.st_size),
                                  modificationDate: status.modificationDate)
        // Read as UTF-8 by the leaf's decoder too (UTF-16, with or without a mark, is read whole).
        guard let head = try? file.bytes(at: 0, count: LogDecoder.decisionBytes), ContentKind(prefix: head) == .plain,
              let (encoding, mark) = LogDecoder.judge(head, final: true), encoding == .utf8 else { return nil }
        file.contentStart = Int64(mark)
        return file
    }

    private init(path: String, descriptor: Int32, size: Int64, modificationDate: Date) {
        self.path = path
        self.descriptor = descriptor
        self.size = size
        self.modificationDate = modificationDate
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes at `offset` (fewer only at the end of the file).
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(InputError) -> Int {
        try preadFully(descriptor, buffer, at: offset, source: path)
    }

    /// Up to `count` bytes at `offset`.
    public func bytes(at offset: Int64, count: Int) throws(InputError) -> [UInt8] {
        try preadBytes(descriptor, count: count, at: offset, source: path)
    }
}

/// `pread(2)` until `buffer` is full or the file ends (retried after a signal); returns the
/// bytes read.
func preadFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int64,
                source: String) throws(InputError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    var filled = 0
    while filled < buffer.count {
        let got = pread(fd, base + filled, buffer.count - filled, off_t(offset + Int64(filled)))
        if got > 0 {
            filled += got
        } else if got == 0 {
            break
        } else if errno != EINTR {
            throw InputError(source: source, message: "read failed: \(lastErrorDescription())")
        }
    }
    return filled
}

/// Up to `count` bytes at `offset` (`preadFully` into a new array).
func preadBytes(_ fd: Int32, count: Int, at offset: Int64, source: String) throws(InputError) -> [UInt8] {
    var result = Result<Int, InputError>.success(0)
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, filled in
        result = Result { () throws(InputError) -> Int in
            try preadFully(fd, UnsafeMutableRawBufferPointer(buffer), at: offset, source: source)
        }
        filled = (try? result.get()) ?? 0
    }
    _ = try result.get()
    return bytes
}
