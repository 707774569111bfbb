#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One reader's chunks of a spilled `EntryList`: the one in use and up to `kept` − 1 before
/// it, so a reader that walks two or three lists of indexes side by side (the classifier) does
/// not read a chunk back from the file at every switch.
public final class EntryCursor: @unchecked Sendable {
    // SAFETY: a cursor belongs to one reading thread at a time.
    package static let kept = 4
    /// The chunk in use.
    package var chunk = -1
    package var entries: [TimelineEntry] = []
    /// Chunks used before, with when each was last in use; a switch swaps buffers, it does
    /// not copy or reorder them.
    private var earlier: [(chunk: Int, entries: [TimelineEntry], used: Int)] = []
    private var clock = 0
    public init() {}

    /// Makes chunk `c` the one in use if it is still held; false if it has to be read.
    func recall(_ c: Int) -> Bool {
        for k in earlier.indices where earlier[k].chunk == c {
            clock += 1
            swap(&earlier[k].entries, &entries)
            earlier[k].chunk = chunk
            earlier[k].used = clock
            chunk = c
            return true
        }
        return false
    }

    /// Makes `entries`, just read, chunk `c` in use; the chunk in use goes to the least
    /// recently used place.
    package func keep(_ c: Int, _ read: [TimelineEntry]) {
        clock += 1
        if chunk >= 0 {
            if earlier.count < Self.kept - 1 {
                earlier.append((chunk, entries, clock))
            } else if let k = earlier.indices.min(by: { earlier[$0].used < earlier[$1].used }) {
                earlier[k] = (chunk, entries, clock)
            }
        }
        chunk = c
        entries = read
    }
}
