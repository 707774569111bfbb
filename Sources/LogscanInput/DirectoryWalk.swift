#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Every regular file under a directory, depth first, names in byte order, so two runs over
/// the same tree see the same order. Symlinks are followed, but a directory is entered once
/// (no loops), and a file (device and inode) is handed out once: met again through a symlink
/// or a hard link, it goes to `duplicate` with the path it was first met at.
///
/// Nothing under the directory goes unaccounted for: FIFOs, sockets and devices (never
/// opened: reading them could block), entries that cannot be examined (a symlink loop, a
/// broken symlink, a directory that can be listed but not entered) are each reported.
enum DirectoryWalk {
    /// What one walk has met: directories entered, files handed out.
    struct Visited {
        var directories = Set<FileIdentity>()
        var files: [FileIdentity: String] = [:]
    }

    /// Calls `body` with each file's path (the root as given, then the names below it).
    static func forEachFile(
        under root: String,
        report: (InputError) -> Void,
        shouldStop: () -> Bool = { false },
        duplicate: (_ path: String, _ firstSeenAt: String) -> Void = { _, _ in },
        _ body: (String) -> Void
    ) {
        var visited = Visited()
        if let status = try? FileStatus(path: root) { visited.directories.insert(status.identity) }
        walk(root, visited: &visited, report: report, shouldStop: shouldStop, duplicate: duplicate, body)
    }

    /// The reason `path` cannot be listed, if it cannot.
    static func listingError(_ path: String) -> InputError? {
        guard let stream = RawPath.withCString(path, { opendir($0) }) else {
            return InputError(source: path, message: "cannot read directory: \(lastErrorDescription())")
        }
        closedir(stream)
        return nil
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func walk(
        _ directory: String,
        visited: inout Visited,
        report: (InputError) -> Void,
        shouldStop: () -> Bool,
        duplicate: (String, String) -> Void,
        _ body: (String) -> Void
    ) {
        let entries = names(in: directory, report: report)
        var unexamined = 0
        var firstFailure: Int32 = 0
        for name in entries {
            if shouldStop() { return }
            let path = join(directory, name)
            let status: FileStatus
            switch FileStatus.examine(path) {
            case .success(let found):
                status = found
            case .failure(let error):
                if error.code == EACCES && RawPath.withCString(directory, { access($0, X_OK) }) != 0 {
                    // Listed but not entered (read without search permission): one error for all.
                    unexamined += 1
                    firstFailure = error.code
                } else if let message = unexaminedMessage(path, error.code) {
                    report(InputError(source: path, message: message))
                }
                continue
            }
            switch status.kind {
            case .regular:
                if let first = visited.files[status.identity] {
                    duplicate(path, first)
                    continue
                }
                visited.files[status.identity] = path
                body(path)
            case .directory:
                if visited.directories.insert(status.identity).inserted {
                    walk(path, visited: &visited, report: report, shouldStop: shouldStop, duplicate: duplicate, body)
                }
            case .other:
                report(InputError(source: path, message: "skipped: \(status.otherDescription), not a log file (logscan reads one only when it is named as an argument)"))
            }
        }
        if unexamined > 0 {
            report(InputError(source: directory, message: "cannot enter directory: \(describeError(firstFailure)) (it can be listed but not entered); \(unexamined) of its \(entries.count) entries were not read"))
        }
    }

    /// What to report for an entry `stat(2)` failed on with `code`; nil for one that is gone
    /// (deleted between the listing and the look).
    private static func unexaminedMessage(_ path: String, _ code: Int32) -> String? {
        switch code {
        case ELOOP:
            return "skipped: a symbolic link loop (\(describeError(code)))"
        case ENOENT, ENOTDIR:
            var info = stat()
            guard RawPath.withCString(path, { lstat($0, &info) }) == 0, info.st_mode & 0o170000 == 0o120000 else { return nil }
            let target = symbolicLinkTarget(path) ?? "?"
            return "skipped: a broken symbolic link (to \(target), which does not exist)"
        default:
            return "cannot read: \(describeError(code))"
        }
    }

    /// What the symbolic link at `path` points to, as a path (any bytes).
    private static func symbolicLinkTarget(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = RawPath.withCString(path) { name in
            buffer.withUnsafeMutableBufferPointer { readlink(name, UnsafeMutableRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count - 1) }
        }
        return count < 0 ? nil : RawPath.string(fromBytes: buffer.prefix(count))
    }

    private static func names(in directory: String, report: (InputError) -> Void) -> [String] {
        switch listDirectory(directory) {
        case .success(let names): return names
        case .failure(let error):
            report(InputError(source: directory, message: "cannot read directory: \(describeError(error.code))"))
            return []
        }
    }
}
