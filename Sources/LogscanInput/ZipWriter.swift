import CArchive
import Foundation

/// Writes a zip file with libarchive, one member at a time, each streamed from its source
/// (`logscan collect`'s output). Member names are relative paths (`var/log/jamf.log`).
public final class ZipWriter {
    private let handle: OpaquePointer
    public let path: String
    private var closed = false

    public init(path: String) throws(InputError) {
        guard let handle = archive_write_new() else {
            throw InputError(source: path, message: "cannot write: libarchive is out of memory")
        }
        self.handle = handle
        self.path = path
        archive_write_set_format_zip(handle)
        // Deflate; logs compress about tenfold.
        archive_write_set_options(handle, "zip:compression=deflate")
        let status = UTF8Locale.shared.perform { archive_write_open_filename(handle, path) }
        if status != ARCHIVE_OK {
            let message = libarchiveMessage()
            archive_write_free(handle)
            closed = true
            throw InputError(source: path, message: "cannot create the zip: \(message)")
        }
    }

    deinit {
        if !closed { archive_write_free(handle) }
    }

    /// Adds a member `name` with the bytes of `source`, at most `maxBytes` of them (a log still
    /// being written is copied as far as it reached when it was listed). The size is left out
    /// of the header, so a file that shrinks meanwhile (rotated) still makes a valid member.
    /// Returns the bytes written.
    @discardableResult
    public func add(name: String, maxBytes: Int64 = .max, modificationDate: Date?, source: ByteSource) throws(InputError) -> Int64 {
        guard let entry = archive_entry_new() else {
            throw InputError(source: path, message: "cannot write: libarchive is out of memory")
        }
        defer { archive_entry_free(entry) }
        UTF8Locale.shared.perform {
            archive_entry_set_pathname_utf8(entry, name)
        }
        archive_entry_set_filetype(entry, UInt32(0o100000))
        archive_entry_set_perm(entry, 0o644)
        archive_entry_unset_size(entry)
        if let modificationDate {
            let t = modificationDate.timeIntervalSince1970
            archive_entry_set_mtime(entry, time_t(t.rounded(.down)), Int(((t - t.rounded(.down)) * 1e9).rounded()))
        }
        let status = UTF8Locale.shared.perform { archive_write_header(handle, entry) }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
            throw InputError(source: "\(path)!\(name)", message: "cannot add to the zip: \(libarchiveMessage())")
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var written: Int64 = 0
        while written < maxBytes {
            let n = try source.read(into: &buffer, from: 0)
            if n == 0 { break }
            let take = Int(min(Int64(n), maxBytes - written))
            let w = buffer.withUnsafeBytes { archive_write_data(handle, $0.baseAddress, take) }
            if w < 0 {
                throw InputError(source: "\(path)!\(name)", message: "cannot write to the zip: \(libarchiveMessage())")
            }
            written += Int64(take)
        }
        archive_write_finish_entry(handle)
        return written
    }

    /// Adds a member holding `bytes`.
    public func add(name: String, bytes: [UInt8], modificationDate: Date?) throws(InputError) {
        try add(name: name, modificationDate: modificationDate, source: MemoryByteSource(bytes))
    }

    /// Writes the central directory and closes the file.
    public func close() throws(InputError) {
        guard !closed else { return }
        closed = true
        let status = archive_write_close(handle)
        let message = status == ARCHIVE_OK ? nil : libarchiveMessage()
        archive_write_free(handle)
        if let message { throw InputError(source: path, message: "cannot finish the zip: \(message)") }
    }

    private func libarchiveMessage() -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
