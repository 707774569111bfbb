import CArchive
import Foundation

/// One libarchive read handle over a `ByteSource`.
///
/// It is always opened with read callbacks, so an archive inside an archive member streams
/// from its parent and nothing is ever extracted to disk. Failures come back as `InputError`s
/// worded for an admin; after a fatal one the reader reports its end.
final class ArchiveReader {
    /// A member header, reduced to what the walk needs.
    struct Entry {
        /// Safe to print (see `DisplayName`).
        let name: String
        let isRegularFile: Bool
        let isEncrypted: Bool
        let modificationDate: Date?
    }

    enum Step {
        case entry(Entry)
        case end
        /// The header could not be read; if `failed` is now set the reader is done.
        case failure(InputError)
    }

    /// The display path of the stream this reader reads.
    let display: String
    private let handle: OpaquePointer
    private let client: ArchiveClient
    private let expected: ContentKind
    /// Set after a fatal error: libarchive cannot go on, and the error was already reported.
    private(set) var failed = false
    /// Set once libarchive has reported the end.
    private var ended = false
    /// Bumped at every header, so a member's stream knows when the walk has moved past it.
    private(set) var memberSerial = 0
    private var lastMemberName: String?
    /// For a compressed stream: what its content turned out to be (a tar in a tar.gz), so
    /// errors name the whole ("truncated tar.gz archive").
    var content: ContentKind?
    /// For an archive read from a decompressed stream: the compression around it ("gz").
    private let compression: String?

    /// Opens `source`, expected to be `kind` by its first bytes. A compressed stream is only
    /// decompressed (libarchive's raw format): its content is judged by `CompressedStream`.
    /// `compression` names the compressed stream an archive was read out of ("gz").
    init(source: ByteSource, display: String, kind: ContentKind, compression: String? = nil) throws(InputError) {
        guard let handle = archive_read_new() else {
            throw InputError(source: display, message: "cannot read: libarchive is out of memory")
        }
        self.handle = handle
        self.display = display
        self.expected = kind
        self.compression = compression
        self.client = ArchiveClient(source: source)
        archive_read_support_filter_all(handle)
        switch kind {
        case .zip: archive_read_support_format_zip(handle)
        case .tar: archive_read_support_format_tar(handle)
        default:
            archive_read_support_format_raw(handle)
            archive_read_support_format_empty(handle)
        }
        if client.seekableFile != nil {
            archive_read_set_seek_callback(handle) { _, clientData, offset, whence in
                // SAFETY: clientData is the ArchiveClient this reader owns; it outlives the handle.
                Unmanaged<ArchiveClient>.fromOpaque(clientData!).takeUnretainedValue()
                    .seek(offset: offset, whence: whence)
            }
        }
        let opaqueClient = Unmanaged.passUnretained(client).toOpaque()
        let status = UTF8Locale.shared.perform {
            archive_read_open(handle, opaqueClient, nil, { _, clientData, start in
                // SAFETY: as above; `start` is libarchive's out-parameter for the block.
                Unmanaged<ArchiveClient>.fromOpaque(clientData!).takeUnretainedValue().fill(start!)
            }, nil)
        }
        if status != ARCHIVE_OK {
            failed = true
            throw InputError(source: display, message: describeFailure() + "; nothing in it could be read")
        }
    }

    deinit {
        archive_read_free(handle)
    }

    /// Compressed bytes taken from the source so far (what the decompressors consumed).
    var consumedBytes: Int64 { archive_filter_bytes(handle, -1) }

    func next() -> Step {
        guard !failed, !ended else { return .end }
        var entry: OpaquePointer?
        var status: Int32 = ARCHIVE_RETRY
        for _ in 0..<16 where status == ARCHIVE_RETRY {
            status = UTF8Locale.shared.perform { archive_read_next_header(handle, &entry) }
        }
        memberSerial += 1
        switch status {
        case ARCHIVE_EOF:
            ended = true  // libarchive must not be asked again (it would answer "INTERNAL ERROR")
            return .end
        case ARCHIVE_OK, ARCHIVE_WARN:
            guard let entry else { return .end }
            let info = describe(entry)
            lastMemberName = info.name
            return .entry(info)
        case ARCHIVE_FATAL:
            failed = true
            let outcome = lastMemberName == nil ? "nothing in it could be read"
                : "the members before this point were read, the rest could not be"
            return .failure(InputError(source: display, message: describeFailure(afterLastMember: true) + "; " + outcome))
        default:
            let name = entry.map { describe($0).name }
            let source = name.map { "\(display)!\($0)" } ?? display
            return .failure(InputError(source: source, message: "cannot read this \(memberLabel): \(libarchiveMessage()); skipped, the next members are read"))
        }
    }

    /// `archive_read_data` into `buffer`: a count, 0 at the member's end, or a negative status
    /// to hand to `dataFailure`.
    func readData(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var status: Int
        repeat {
            status = archive_read_data(handle, base, buffer.count)
        } while status == Int(ARCHIVE_RETRY)
        return status
    }

    /// The error for a negative `readData` result while reading the member shown as `source`.
    func dataFailure(status: Int, source: String) -> InputError {
        if status == Int(ARCHIVE_FATAL) {
            failed = true
            if let parentError = client.sourceError { return InputError(source: source, message: parentError.message) }
            return InputError(source: source, message: describeFailure() + "; what was read before this point is kept")
        }
        return InputError(source: source, message: "cannot read this \(memberLabel): \(libarchiveMessage()); what was read before this point is kept")
    }

    private func describe(_ entry: OpaquePointer) -> Entry {
        let name: String
        if let path = archive_entry_pathname(entry) {
            name = DisplayName.make(from: UnsafeRawBufferPointer(start: path, count: strlen(path)))
        } else {
            name = "(member \(memberSerial), name unreadable)"
        }
        let type = UInt32(archive_entry_filetype(entry))
        let isRegular = (type == 0o100000 || type == 0) && archive_entry_hardlink(entry) == nil
        var date: Date?
        if archive_entry_mtime_is_set(entry) != 0 {
            date = Date(timeIntervalSince1970: Double(archive_entry_mtime(entry))
                + Double(archive_entry_mtime_nsec(entry)) / 1e9)
        }
        return Entry(name: name, isRegularFile: isRegular,
                     isEncrypted: archive_entry_is_encrypted(entry) != 0, modificationDate: date)
    }

    /// "truncated zip archive: …" or "corrupt gzip data: …", or the parent's own error when
    /// reading the parent is what failed.
    private func describeFailure(afterLastMember: Bool = false) -> String {
        if let parentError = client.sourceError { return parentError.message }
        let message = libarchiveMessage()
        let lowered = message.lowercased()
        // Truncated when libarchive says so, or when it wanted more after using every byte there was.
        let truncated = ["truncat", "premature", "unexpected end"].contains { lowered.contains($0) }
            || (client.reachedEnd && consumedBytes >= client.position)
        var text = "\(truncated ? "truncated" : "corrupt") \(label)"
        if afterLastMember, let lastMemberName { text += " after member \(lastMemberName)" }
        return "\(text): \(message)"
    }

    private func libarchiveMessage() -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// "zip member", "tar.gz member", "gzip data".
    private var memberLabel: String {
        label.hasSuffix(" archive") ? String(label.dropLast("archive".count)) + "member" : label
    }

    /// "gz", "bz2", "xz": the compression this reader undoes, if any.
    var filterSuffix: String? {
        switch archive_filter_code(handle, 0) {
        case ARCHIVE_FILTER_NONE: return nil
        case ARCHIVE_FILTER_GZIP: return "gz"
        case ARCHIVE_FILTER_BZIP2: return "bz2"
        case ARCHIVE_FILTER_XZ: return "xz"
        default: return archive_filter_name(handle, 0).map { String(cString: $0) }
        }
    }

    /// "zip archive", "tar.gz archive", "gzip data".
    private var label: String {
        let around = compression ?? filterSuffix
        switch content ?? expected {
        case .zip: return around.map { "zip.\($0) archive" } ?? "zip archive"
        case .tar: return around.map { "tar.\($0) archive" } ?? "tar archive"
        case .gzip: return "gzip data"
        case .bzip2: return "bzip2 data"
        case .xz: return "xz data"
        case .plain:
            switch expected {
            case .gzip: return "gzip data"
            case .bzip2: return "bzip2 data"
            case .xz: return "xz data"
            default: return "data"
            }
        }
    }
}
