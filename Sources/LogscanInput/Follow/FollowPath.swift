import Foundation

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
