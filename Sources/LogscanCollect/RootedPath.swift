import Foundation

/// Paths under the collection root that never lead outside it.
///
/// A Mac's `/var` and `/etc` are symbolic links (`private/var`, `private/etc`), and a mounted
/// volume or backup keeps them, sometimes as absolute links: a directory link is followed,
/// with an absolute target taken relative to the root (as the Mac would see it). The file at
/// the end must be a regular file, not a link: a link a user planted in their log folder
/// (`portal.log -> /etc/master.passwd`) is skipped, so collection, which runs as root under
/// Jamf Pro, reads only the listed sources.
struct RootedPath {
    let root: String

    init(root: String) {
        self.root = root == "/" ? "" : (root.hasSuffix("/") ? String(root.dropLast()) : root)
    }

    enum Lookup: Equatable {
        case regularFile(String)
        case directory(String)
        case missing(String)
    }

    /// Resolves `relative` (components separated by `/`) under the root.
    func resolve(_ relative: String) -> Lookup {
        var resolved: [String] = []
        var pending = relative.split(separator: "/").map(String.init)
        var hops = 0
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let path = absolute(resolved + [component])
            var info = stat()
            guard lstat(path, &info) == 0 else { return .missing("not found") }
            let type = info.st_mode & S_IFMT
            if type == S_IFLNK {
                guard !pending.isEmpty else { return .missing("a symbolic link: not followed") }
                hops += 1
                guard hops <= 16, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else {
                    return .missing("too many symbolic links")
                }
                let targetParts = target.split(separator: "/").map(String.init)
                if target.hasPrefix("/") { resolved = [] }
                pending = targetParts + pending
                continue
            }
            resolved.append(component)
            if pending.isEmpty {
                if type == S_IFREG { return .regularFile(path) }
                if type == S_IFDIR { return .directory(path) }
                return .missing("not a regular file")
            }
            guard type == S_IFDIR else { return .missing("not found") }
        }
        return .directory(absolute(resolved))
    }

    /// The target of the symbolic link at `relative`, if it is one.
    func linkTarget(_ relative: String) -> String? {
        let parent = (relative as NSString).deletingLastPathComponent
        let name = (relative as NSString).lastPathComponent
        let base: String
        if parent.isEmpty {
            base = root.isEmpty ? "/" : root
        } else {
            guard case .directory(let dir) = resolve(parent) else { return nil }
            base = dir
        }
        return try? FileManager.default.destinationOfSymbolicLink(atPath: (base as NSString).appendingPathComponent(name))
    }

    private func absolute(_ components: [String]) -> String {
        root + "/" + components.joined(separator: "/")
    }
}
