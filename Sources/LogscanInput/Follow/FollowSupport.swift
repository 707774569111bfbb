#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where a followed path sits: the directory that lists it (normalized) and its name there.
/// inotify names changed entries this way, so events map straight to targets.
struct FileKey: Hashable {
    let directory: String
    let name: String

    /// The key of `path`: `logs//a.log` and `logs/a.log` share one, `a.log` is in `.`.
    init(path: String) {
        let normal = FollowPath.normalize(path)
        if let slash = normal.lastIndex(of: "/") {
            directory = slash == normal.startIndex ? "/" : String(normal[..<slash])
            name = String(normal[normal.index(after: slash)...])
        } else {
            directory = "."
            name = normal
        }
    }

    init(directory: String, name: String) {
        self.directory = directory
        self.name = name
    }
}

enum FollowPath {
    /// Collapses repeated slashes and drops trailing ones; used for keys, never for display.
    static func normalize(_ path: String) -> String {
        var out = ""
        var afterSlash = false
        for character in path {
            if character == "/" {
                if afterSlash { continue }
                afterSlash = true
            } else {
                afterSlash = false
            }
            out.append(character)
        }
        while out.count > 1 && out.hasSuffix("/") { out.removeLast() }
        return out.isEmpty ? "." : out
    }

    /// The directory holding `directory` (normalized), or nil at `/` and `.`.
    static func parent(of directory: String) -> String? {
        if directory == "/" || directory == "." { return nil }
        return FileKey(path: directory).directory
    }

    /// The child of `ancestor` on the way down to `descendant` (both normalized).
    static func child(of ancestor: String, toward descendant: String) -> String? {
        var current = descendant
        while let up = parent(of: current) {
            if up == ancestor { return current }
            current = up
        }
        return nil
    }
}

/// What `stat(2)`/`fstat(2)` say, with what following needs beyond `FileStatus`.
struct FollowStat {
    let kind: FileStatus.Kind
    let identity: FileIdentity
    let size: Int64
    /// Hard links: 0 once the file is deleted (while we still hold it open).
    let links: UInt64
    let modificationDate: Date

    /// `stat(2)`, following symlinks; the errno on failure.
    static func of(path: String) -> Result<FollowStat, FollowErrno> {
        var info = stat()
        guard RawPath.withCString(path, { stat($0, &info) }) == 0 else { return .failure(FollowErrno(code: errno)) }
        return .success(FollowStat(info))
    }

    /// `fstat(2)`; nil when the descriptor cannot be examined.
    static func of(descriptor: Int32) -> FollowStat? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return FollowStat(info)
    }

    private init(_ info: stat) {
        kind = FileStatus.kind(of: info)
        modificationDate = FileStatus.modificationDate(of: info)
        identity = FileStatus.identity(of: info)
        size = Int64(info.st_size)
        links = UInt64(info.st_nlink)
    }
}

struct FollowErrno: Error {
    let code: Int32
    /// The path (or a directory on the way to it) is not there: wait for it, quietly.
    var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    var description: String { describeError(code) }
}

/// A directory's entry names in byte order, or the errno.
func followListDirectory(_ path: String) -> Result<[String], FollowErrno> {
    listDirectory(path).mapError { FollowErrno(code: $0.code) }
}

/// Seconds on a monotonic clock.
func followMonotonicNow() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// `pread(2)` retried on EINTR: bytes read, 0 at the end, -1 with errno set.
func followPread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, _ offset: Int64) -> Int {
    while true {
        let count = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
        if count >= 0 || errno != EINTR { return count }
    }
}

/// `read(2)` retried on EINTR.
func followRead(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
        #if canImport(Darwin)
        let count = Darwin.read(fd, buffer.baseAddress, buffer.count)
        #elseif canImport(Musl)
        let count = Musl.read(fd, buffer.baseAddress, buffer.count)
        #else
        let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
        #endif
        if count >= 0 || errno != EINTR { return count }
    }
}

/// Whether the first bytes of a file show a compressed stream or an archive (not followed), a
/// plain file, or not yet enough to tell (a prefix of a signature).
enum FollowSniff {
    case plain, packed, undecided

    private static let signatures: [[UInt8]] = [
        [0x1F, 0x8B], Array("BZh".utf8), [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00],
        [0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06],
    ]

    static func judge(_ prefix: [UInt8]) -> FollowSniff {
        if prefix.isEmpty { return .undecided }
        let kind = ContentKind(prefix: prefix)
        if kind.isArchive || kind.isCompressed { return .packed }
        if prefix.count < 6, signatures.contains(where: { $0.count > prefix.count && $0.starts(with: prefix) }) {
            return .undecided
        }
        return .plain
    }
}
