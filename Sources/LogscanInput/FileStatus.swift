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
    let modificationDate: Date
    /// Device and inode, to notice a directory met twice through symlinks.
    let identity: FileIdentity

    /// Follows symlinks, like `stat(2)`.
    init(path: String) throws(InputError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(source: path, message: "cannot read: \(lastErrorDescription())")
        }
        self.init(info)
    }

    init(descriptor: Int32, source: String) throws(InputError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw InputError(source: source, message: "cannot read: \(lastErrorDescription())")
        }
        self.init(info)
    }

    private init(_ info: stat) {
        switch info.st_mode & 0o170000 {
        case 0o100000: kind = .regular
        case 0o040000: kind = .directory
        default: kind = .other
        }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        modificationDate = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
        identity = FileIdentity(device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino))
    }
}

struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
}

/// `strerror(errno)`, read right after the failing call.
func lastErrorDescription() -> String {
    describeError(errno)
}

func describeError(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
