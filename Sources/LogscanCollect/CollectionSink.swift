import Foundation
import LogscanInput

/// Where collected files go: a zip (written with libarchive) or a directory, under their
/// paths relative to the root.
protocol CollectionSink: AnyObject {
    /// Copies the file at `path` as `name`, at most `maxBytes`; returns the bytes copied.
    func add(name: String, copying path: String, maxBytes: Int64, modified: Date?) throws(InputError) -> Int64
    func add(name: String, bytes: [UInt8], modified: Date?) throws(InputError)
    func finish() throws(InputError)
}
