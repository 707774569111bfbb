/// What a compressed stream (gzip, bzip2, xz) holds, judged from its first decompressed bytes
/// as logscan judges any stream: a log, an archive (tar by its header checksum or `ustar`
/// magic, zip by its signature), or another compressed stream. libarchive only decompresses
/// here (its raw format); it never guesses the content, which it would take for an empty tar
/// when a log begins with a block of zeros.
enum CompressedStream {
    /// The decompressed content, its first bytes read to judge it and replayed by `stream`.
    case content(ArchiveReader, stream: ByteSource, kind: ContentKind)
    /// A compressed empty file.
    case emptyLog
    case failure(InputError)

    static func open(_ source: ByteSource, display: String, kind: ContentKind, state: WalkState) -> CompressedStream {
        let reader: ArchiveReader
        do {
            reader = try ArchiveReader(source: source, display: display, kind: kind)
        } catch {
            return .failure(error)
        }
        switch reader.next() {
        case .entry:
            let member = ArchiveMemberStream(reader: reader, source: display, state: state, wholeStream: true)
            // A read error while judging is replayed to whoever reads the content.
            let sniffed = PrefixedSource(sniffing: member, count: ContentKind.sniffLength)
            let inner = ContentKind(prefix: sniffed.head)
            reader.content = inner
            return .content(reader, stream: sniffed, kind: inner)
        case .end:
            return .emptyLog
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Whether `file` is an archive (and so a bundle of its own), by content: a zip or tar, or
    /// one compressed (a tar.gz). A compressed file that cannot be decompressed counts as a
    /// (broken) log.
    static func isArchiveFile(_ file: FileByteSource) throws(InputError) -> Bool {
        let kind = ContentKind(prefix: try file.peek(count: ContentKind.sniffLength))
        if kind.isArchive { return true }
        guard kind.isCompressed else { return false }
        if case .content(_, _, let inner) = open(file, display: file.source, kind: kind,
                                                  state: WalkState(limits: ArchiveLimits())) {
            return inner.isArchive
        }
        return false
    }
}
