import Foundation

/// Why a followed file's reading restarts.
public enum ResetReason: Sendable, Equatable {
    /// Same file, now shorter than what was read (copy-truncate): reading restarts at offset 0.
    case truncated
    /// The file was renamed away and another file now stands at the path (its remaining bytes
    /// were delivered first).
    case rotated
    /// The file was deleted and the path is empty. When a file appears there again it is
    /// announced by `opened(fromStart: true)` alone: no second `reset` is sent.
    case deleted
    /// The file was deleted (or had another file renamed over it) and a new file already stands
    /// at the path: the deletion and the re-creation were noticed together.
    case recreated
}
