#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What `stat(2)` says about a path, reduced to what the walk needs.
struct FileStatus {
    enum Kind { case regular, directory, other }

    let kind: Kind
    /// For `.other`: what it is ("a FIFO", "a socket", "a device"), for messages.
    let otherDescription: String
    /// A FIFO (named pipe): read when named as an argument, never waited on.
    let isFIFO: Bool
    let modificationDate: Date
    /// Device and inode, to notice a directory met twice through symlinks.
    let identity: FileIdentity

    /// Follows symlinks, like `stat(2)`.
    init(path: String) throws(InputError) {
        var info = stat()
        guard RawPath.withCString(path, { stat($0, &info) }) == 0 else {
            throw InputError(source: path, message: "cannot read: \(lastErrorDescription())")
        }
        self.init(info)
    }

    /// `stat(2)` of `path`, or its errno.
    static func examine(_ path: String) -> Result<FileStatus, SystemError> {
        var info = stat()
        guard RawPath.withCString(path, { stat($0, &info) }) == 0 else { return .failure(SystemError(code: errno)) }
        return .success(FileStatus(info))
    }

    init(descriptor: Int32, source: String) throws(InputError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw InputError(source: source, message: "cannot read: \(lastErrorDescription())")
        }
        self.init(info)
    }

    init(_ info: stat) {
        kind = Self.kind(of: info)
        let type = info.st_mode & 0o170000
        isFIFO = type == 0o010000
        switch type {
        case 0o010000: otherDescription = "a FIFO (named pipe)"
        case 0o140000: otherDescription = "a socket"
        case 0o020000, 0o060000: otherDescription = "a device"
        default: otherDescription = "not a regular file"
        }
        modificationDate = Self.modificationDate(of: info)
        identity = Self.identity(of: info)
    }

    static func kind(of info: stat) -> Kind {
        switch info.st_mode & 0o170000 {
        case 0o100000: return .regular
        case 0o040000: return .directory
        default: return .other
        }
    }

    static func modificationDate(of info: stat) -> Date {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
    }

    /// dev_t is signed on Darwin: keep its bits rather than trap on a negative one.
    static func identity(of info: stat) -> FileIdentity {
        FileIdentity(device: UInt64(bitPattern: Int64(info.st_dev)), inode: UInt64(info.st_ino))
    }
}

/// The size of the regular file at `path` (following symlinks, as the walk does), or nil for
/// anything else. A plain `stat(2)`: FileManager's attributes also look up the owner's user and group
/// names, a passwd and group lookup per file (slow where those come from a directory service).
public func regularFileSize(atPath path: String) -> Int64? {
    var info = stat()
    guard RawPath.withCString(path, { stat($0, &info) }) == 0, FileStatus.kind(of: info) == .regular else { return nil }
    return Int64(info.st_size)
}

/// Whether `path` is a directory (following symlinks).
public func isDirectory(atPath path: String) -> Bool {
    (try? FileStatus(path: path))?.kind == .directory
}

/// The total size of the regular files under the directory `path`, as a scan walks them.
public func diskSize(ofDirectory path: String) -> Int64 {
    var total: Int64 = 0
    DirectoryWalk.forEachFile(under: path, report: { _ in }) { total += regularFileSize(atPath: $0) ?? 0 }
    return total
}

/// A directory's entry names (without `.` and `..`) in byte order, or the errno.
func listDirectory(_ path: String) -> Result<[String], SystemError> {
    guard let stream = RawPath.withCString(path, { opendir($0) }) else { return .failure(SystemError(code: errno)) }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            RawPath.string(fromBytes: raw.prefix { $0 != 0 })
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return .success(names.sorted { RawPath.bytes($0).lexicographicallyPrecedes(RawPath.bytes($1)) })
}

/// `strerror(errno)`, read right after the failing call.
func lastErrorDescription() -> String {
    describeError(errno)
}

func describeError(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
