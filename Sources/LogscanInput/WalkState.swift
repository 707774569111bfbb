/// What one bundle's walk has spent against its `ArchiveLimits`.
final class WalkState {
    let limits: ArchiveLimits
    /// Bytes handed out by libarchive, at every nesting level.
    var extractedBytes: Int64 = 0
    /// Archive members met, at every nesting level.
    var entries = 0
    /// Set when a bundle-wide limit stops the walk.
    var stopped = false

    init(limits: ArchiveLimits) {
        self.limits = limits
    }

    var remainingBytes: Int64 { limits.maxBundleBytes - extractedBytes }
}
