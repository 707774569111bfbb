#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Every regular file under a directory, depth first, names in byte order, so two runs over
/// the same tree see the same order. Symlinks are followed, but a directory is entered once
/// (no loops). FIFOs, sockets and devices are skipped: reading them could block.
enum DirectoryWalk {
    /// Calls `body` with each file's path (the root as given, then the names below it).
    static func forEachFile(
        under root: String,
        report: (InputError) -> Void,
        shouldStop: () -> Bool = { false },
        _ body: (String) -> Void
    ) {
        var visited = Set<FileIdentity>()
        if let status = try? FileStatus(path: root) { visited.insert(status.identity) }
        walk(root, visited: &visited, report: report, shouldStop: shouldStop, body)
    }

    /// The reason `path` cannot be listed, if it cannot.
    static func listingError(_ path: String) -> InputError? {
        guard let stream = opendir(path) else {
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
        visited: inout Set<FileIdentity>,
        report: (InputError) -> Void,
        shouldStop: () -> Bool,
        _ body: (String) -> Void
    ) {
        for name in names(in: directory, report: report) {
            if shouldStop() { return }
            let path = join(directory, name)
            guard let status = try? FileStatus(path: path) else { continue }  // a dangling symlink
            switch status.kind {
            case .regular:
                body(path)
            case .directory:
                if visited.insert(status.identity).inserted {
                    walk(path, visited: &visited, report: report, shouldStop: shouldStop, body)
                }
            case .other:
                continue
            }
        }
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
