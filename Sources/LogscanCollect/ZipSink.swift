import Foundation
import LogscanInput

final class ZipSink: CollectionSink {
    private let writer: ZipWriter

    init(path: String) throws(InputError) { writer = try ZipWriter(path: path) }

    func add(name: String, copying path: String, maxBytes: Int64, modified: Date?) throws(InputError) -> Int64 {
        try writer.add(name: name, maxBytes: maxBytes, modificationDate: modified, source: try FileByteSource(path: path))
    }

    func add(name: String, bytes: [UInt8], modified: Date?) throws(InputError) {
        try writer.add(name: name, bytes: bytes, modificationDate: modified)
    }

    func finish() throws(InputError) { try writer.close() }
}
