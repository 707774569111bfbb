#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

struct FollowErrno: Error {
    let code: Int32
    /// The path (or a directory on the way to it) is not there: wait for it, quietly.
    var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    var description: String { describeError(code) }
}
