import Foundation

/// Visits every leaf input of one bundle, in a deterministic order, streaming (never extracting
/// to disk).
///
/// `visit` must consume the leaf's stream before returning: the next leaf may come from the
/// same archive handle. An error met while reading a leaf's stream is thrown from its `read`,
/// and the caller records it; every other problem goes to `error`. Either way the walk goes on
/// with whatever can still be read, unless a bundle-wide limit stops it. A file met again
/// under a directory (a symlink or hard link to one already read) goes to `duplicate`, with
/// the path it was read at, and is not read again.
public func enumerateLeaves(
    of bundle: BundlePlan,
    limits: ArchiveLimits,
    visit: (LeafInput) -> Void,
    error: (InputError) -> Void,
    duplicate: (_ path: String, _ readAt: String) -> Void = { _, _ in }
) {
    withoutActuallyEscaping(visit) { visit in
        withoutActuallyEscaping(error) { report in
            withoutActuallyEscaping(duplicate) { duplicate in
                BundleWalker(limits: limits, visit: visit, report: report, duplicate: duplicate).walk(bundle)
            }
        }
    }
}

/// The recursion behind `enumerateLeaves`: files, then archives and compressed streams inside
/// them, judged by content at every level.
final class BundleWalker {
    /// libarchive may skip an unreadable member and go on; this many in a row means it cannot.
    static let maxFailuresInARow = 64

    private let state: WalkState
    private let visit: (LeafInput) -> Void
    private let report: (InputError) -> Void
    private let duplicate: (String, String) -> Void

    init(limits: ArchiveLimits, visit: @escaping (LeafInput) -> Void, report: @escaping (InputError) -> Void,
         duplicate: @escaping (String, String) -> Void = { _, _ in }) {
        self.state = WalkState(limits: limits)
        self.visit = visit
        self.report = report
        self.duplicate = duplicate
    }

    func walk(_ bundle: BundlePlan) {
        for root in bundle.roots where !state.stopped {
            switch root {
            case .standardInput:
                walkStream(FileByteSource.standardInput(), display: "-", date: nil, depth: 0, skipArchives: false)
            case .file(let path), .archive(let path):
                walkFile(path, skipArchives: false)
            case .directory(let path):
                // Archives under a directory are bundles of their own (see `planBundles`).
                DirectoryWalk.forEachFile(under: path, report: report, shouldStop: { state.stopped },
                                          duplicate: duplicate) { path in
                    walkFile(path, skipArchives: true)
                }
            }
        }
    }

    private func walkFile(_ path: String, skipArchives: Bool) {
        do {
            let file = try FileByteSource(path: path)
            walkStream(file, display: path, date: file.modificationDate, depth: 0, skipArchives: skipArchives)
        } catch {
            report(error)
        }
    }

    /// One stream at nesting `depth` (0 for a file on disk): a log, an archive, or compressed.
    /// `compression` lists the compressed streams it was decompressed out of ("gz"), outermost
    /// first.
    private func walkStream(_ source: ByteSource, display: String, date: Date?, depth: Int, skipArchives: Bool,
                            compression: [String] = []) {
        let kind: ContentKind
        let stream: ByteSource
        if let file = source as? FileByteSource, file.isSeekable {
            do {
                kind = ContentKind(prefix: try file.peek(count: ContentKind.sniffLength))
            } catch {
                report(error)
                return
            }
            stream = file
        } else {
            // A read error here is replayed after the bytes before it, to whoever reads next.
            let sniffed = PrefixedSource(sniffing: source, count: ContentKind.sniffLength)
            kind = ContentKind(prefix: sniffed.head)
            stream = sniffed
        }
        if kind == .plain {
            emitLeaf(display: display, date: date, stream: stream)
            return
        }
        if kind.isArchive && skipArchives { return }
        // Compression layers count toward the depth too: a gzip of a gzip of … ends.
        guard depth < state.limits.maxDepth, compression.count < state.limits.maxDepth else {
            report(InputError(source: display, message: state.limits.depthMessage))
            return
        }
        if kind.isArchive {
            do {
                let reader = try ArchiveReader(source: stream, display: display, kind: kind,
                                               compression: compression.isEmpty ? nil : compression.joined(separator: "."))
                walkArchive(reader, depth: depth + 1)
            } catch {
                report(error)
            }
            return
        }
        switch CompressedStream.open(stream, display: display, kind: kind, state: state) {
        case .content(let reader, let decompressed, let inner):
            if inner.isArchive && skipArchives { return }
            // The content is judged like any stream: a log, an archive, compressed again.
            walkStream(decompressed, display: display, date: date, depth: depth, skipArchives: skipArchives,
                       compression: compression + [reader.filterSuffix ?? "compressed"])
            withExtendedLifetime(reader) {}
        case .emptyLog:
            emitLeaf(display: display, date: date, stream: MemoryByteSource([]))
        case .failure(let error):
            report(error)
        }
    }

    /// The members of an archive at nesting `depth`, in stored order.
    private func walkArchive(_ reader: ArchiveReader, depth: Int) {
        var failuresInARow = 0
        while !state.stopped {
            let step = reader.next()
            switch step {
            case .end:
                return
            case .failure(let error):
                report(error)
                failuresInARow += 1
                if failuresInARow == Self.maxFailuresInARow {
                    report(InputError(source: reader.display, message: "reading stopped: \(failuresInARow) unreadable members in a row"))
                    return
                }
            case .entry(let entry):
                failuresInARow = 0
                state.entries += 1
                if state.entries > state.limits.maxEntries {
                    report(InputError(source: reader.display, message: state.limits.entriesMessage))
                    state.stopped = true
                    return
                }
                guard entry.isRegularFile else { continue }
                let member = "\(reader.display)!\(entry.name)"
                if entry.isEncrypted {
                    report(InputError(source: member, message: "encrypted member: skipped (logscan cannot decrypt it)"))
                    continue
                }
                let stream = ArchiveMemberStream(reader: reader, source: member, state: state)
                walkStream(stream, display: member, date: entry.modificationDate, depth: depth, skipArchives: false)
            }
        }
    }

    private func emitLeaf(display: String, date: Date?, stream: ByteSource) {
        visit(LeafInput(source: display, modificationDate: date, stream: TranscodingSource(stream), storedStream: stream))
    }
}
