import Foundation

/// What a `Follower` reports, in order, on the thread that called `run`.
///
/// For one `file` id the events form a simple grammar: `opened`, then `data` and `reset`
/// (`truncated`) any number of times; a replaced file ends its run with `reset` (`rotated`,
/// `recreated`, `deleted`) and, when a file stands at the path again, a new `opened`. So
/// between two `opened` events of one file there is exactly one `reset`.
public enum FollowEvent {
    /// A followed file was opened: from its start (new file, re-created file, rotated-in file) or
    /// from its end (existing file at startup, unless fromStart). `fromStart` is false also for
    /// a rotated file picked up under its new name in a followed directory: it is read from
    /// where its reading under the old name stopped, so nothing is read twice.
    case opened(file: Int, path: String, modificationDate: Date?, fromStart: Bool)
    /// Bytes appended to a followed file, in order. The buffer is valid only during the callback.
    case data(file: Int, bytes: UnsafeRawBufferPointer)
    /// The file was truncated (copy-truncate) or replaced (rotation by rename then re-create,
    /// deletion then re-creation): any unfinished line the caller holds must be dropped or
    /// flushed; reading restarts from the new content's start.
    case reset(file: Int, reason: ResetReason)
    /// Standard input (`-`) or a file reached a state where no more data will come (stdin EOF).
    case ended(file: Int)
    /// Sent at least every `tick` (also while other files are busy), so the caller can flush
    /// lines idle for 1 s. The first one comes after every path has been looked at once.
    case tick
    /// A path could not be followed (permissions, a directory where a file was, a compressed
    /// file). Reported once per problem; the follower goes on and retries quietly.
    case error(InputError)
}
