/// What a compressed stream (gzip, bzip2, xz) turned out to hold once decompression started.
enum CompressedStream {
    /// One compressed log; the reader is on its only member.
    case singleLog(ArchiveReader)
    /// A compressed empty file.
    case emptyLog
    /// A compressed archive (tar.gz, …); `first` is its first member, nil when it has none.
    case archive(ArchiveReader, first: ArchiveReader.Entry?)
    case failure(InputError)

    /// Decides by content: libarchive's raw format wins only when no archive format bids.
    static func open(_ source: ByteSource, display: String, kind: ContentKind) -> CompressedStream {
        let reader: ArchiveReader
        do {
            reader = try ArchiveReader(source: source, display: display, kind: kind)
        } catch {
            return .failure(error)
        }
        switch reader.next() {
        case .entry(let entry):
            return reader.isSingleStream ? .singleLog(reader) : .archive(reader, first: entry)
        case .end:
            return reader.isSingleStream ? .emptyLog : .archive(reader, first: nil)
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Whether `file` is an archive (and so a bundle of its own), by content.
    /// A compressed file that cannot be decompressed counts as a (broken) log.
    static func isArchiveFile(_ file: FileByteSource) throws(InputError) -> Bool {
        let kind = ContentKind(prefix: try file.peek(count: ContentKind.sniffLength))
        if kind.isArchive { return true }
        guard kind.isCompressed else { return false }
        if case .archive = open(file, display: file.source, kind: kind) { return true }
        return false
    }
}
