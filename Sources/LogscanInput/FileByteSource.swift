#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file or standard input, read with plain `read(2)` into the caller's buffer.
public final class FileByteSource: ByteSource {
    /// The name errors carry: the path as given, or `-`.
    public let source: String
    /// The file's modification time; nil for standard input.
    public let modificationDate: Date?
    let descriptor: Int32
    /// True for a regular file, which can be peeked at and seeked in.
    let isSeekable: Bool
    private let ownsDescriptor: Bool

    /// Opens `path` for reading: a regular file, or a FIFO (a pipe). Opening never waits: a
    /// FIFO no program writes to reads as empty. Devices and sockets are refused (`/dev/zero`
    /// would never end).
    public init(path: String) throws(InputError) {
        let fd = RawPath.openDescriptor(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw InputError(source: path, message: "cannot read: \(lastErrorDescription())")
        }
        let status: FileStatus
        do {
            status = try FileStatus(descriptor: fd, source: path)
        } catch {
            close(fd)
            throw error
        }
        if status.kind == .directory {
            close(fd)
            throw InputError(source: path, message: "cannot read: it is a directory")
        }
        if status.kind == .other && !status.isFIFO {
            close(fd)
            throw InputError(source: path, message: "skipped: \(status.otherDescription), not a log file")
        }
        // Reads block again (a writer that is slow to write is waited for; with no writer
        // left, a FIFO reads as ended).
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        source = path
        descriptor = fd
        ownsDescriptor = true
        isSeekable = status.kind == .regular
        modificationDate = status.modificationDate
    }

    private init(standardInput: Void) {
        source = "-"
        descriptor = 0
        ownsDescriptor = false
        isSeekable = false
        modificationDate = nil
    }

    /// Standard input, named `-`; it is never closed.
    public static func standardInput() -> FileByteSource {
        FileByteSource(standardInput: ())
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw InputError(source: source, message: "read failed: \(lastErrorDescription())")
        }
    }

    /// The first bytes of a regular file, without moving the read position.
    func peek(count: Int) throws(InputError) -> [UInt8] {
        try preadBytes(descriptor, count: count, at: 0, source: source)
    }

    /// `lseek(2)`; returns the new offset, or -1.
    func seek(offset: Int64, whence: Int32) -> Int64 {
        Int64(lseek(descriptor, off_t(offset), whence))
    }
}

/// `read(2)`, named apart from `ByteSource.read(into:)`.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.read(fd, buffer, count)
    #elseif canImport(Musl)
    return Musl.read(fd, buffer, count)
    #else
    return Glibc.read(fd, buffer, count)
    #endif
}
