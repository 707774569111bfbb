#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

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
