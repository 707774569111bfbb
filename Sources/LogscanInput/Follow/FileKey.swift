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
