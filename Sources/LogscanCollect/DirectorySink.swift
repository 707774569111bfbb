import Foundation
import LogscanInput

final class DirectorySink: CollectionSink {
    let directory: String

    init(directory: String) throws(InputError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(source: directory, message: "cannot create the output directory: \(error.localizedDescription)")
        }
    }

    private func target(_ name: String) throws(InputError) -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        } catch {
            throw InputError(source: path, message: "cannot create a directory: \(error.localizedDescription)")
        }
        return path
    }

    func add(name: String, copying path: String, maxBytes: Int64, modified: Date?) throws(InputError) -> Int64 {
        let source = try FileByteSource(path: path)
        let out = try target(name)
        guard let handle = FileManager.default.createFile(atPath: out, contents: nil) ? FileHandle(forWritingAtPath: out) : nil else {
            throw InputError(source: out, message: "cannot write")
        }
        defer { try? handle.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var written: Int64 = 0
        while written < maxBytes {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            let take = Int(min(Int64(n), maxBytes - written))
            do { try handle.write(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<take])) } catch {
                throw InputError(source: out, message: "cannot write: \(error.localizedDescription)")
            }
            written += Int64(take)
        }
        setModified(out, modified)
        return written
    }

    func add(name: String, bytes: [UInt8], modified: Date?) throws(InputError) {
        let out = try target(name)
        guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
            throw InputError(source: out, message: "cannot write")
        }
        setModified(out, modified)
    }

    private func setModified(_ path: String, _ date: Date?) {
        guard let date else { return }
        try? FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
    }

    func finish() throws(InputError) {}
}
