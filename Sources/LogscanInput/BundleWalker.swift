import Foundation

/// Visits every leaf input of one bundle, in a deterministic order, streaming (never extracting
/// to disk).
///
/// `visit` must consume the leaf's stream before returning: the next leaf may come from the
/// same archive handle. An error met while reading a leaf's stream is thrown from its `read`,
/// and the caller records it; every other problem goes to `error`. Either way the walk goes on
/// with whatever can still be read, unless a bundle-wide limit stops it.
public func enumerateLeaves(
    of bundle: BundlePlan,
    limits: ArchiveLimits,
    visit: (LeafInput) -> Void,
    error: (InputError) -> Void
) {
    withoutActuallyEscaping(visit) { visit in
        withoutActuallyEscaping(error) { report in
            BundleWalker(limits: limits, visit: visit, report: report).walk(bundle)
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

    init(limits: ArchiveLimits, visit: @escaping (LeafInput) -> Void, report: @escaping (InputError) -> Void) {
        self.state = WalkState(limits: limits)
        self.visit = visit
        self.report = report
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
                DirectoryWalk.forEachFile(under: path, report: report, shouldStop: { state.stopped }) { path in
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
    private func walkStream(_ source: ByteSource, display: String, date: Date?, depth: Int, skipArchives: Bool) {
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
        guard depth < state.limits.maxDepth else {
            report(InputError(source: display, message: state.limits.depthMessage))
            return
        }
        if kind.isArchive {
            do {
                let reader = try ArchiveReader(source: stream, display: display, kind: kind)
                walkArchive(reader, depth: depth + 1, first: nil)
            } catch {
                report(error)
            }
            return
        }
        switch CompressedStream.open(stream, display: display, kind: kind) {
        case .singleLog(let reader):
            let member = ArchiveMemberStream(reader: reader, source: display, state: state, wholeStream: true)
            emitLeaf(display: display, date: date, stream: member)
        case .emptyLog:
            emitLeaf(display: display, date: date, stream: MemoryByteSource([]))
        case .archive(let reader, let first):
            if !skipArchives { walkArchive(reader, depth: depth + 1, first: first) }
        case .failure(let error):
            report(error)
        }
    }

    /// The members of an archive at nesting `depth`, in stored order.
    private func walkArchive(_ reader: ArchiveReader, depth: Int, first: ArchiveReader.Entry?) {
        var pending = first
        var failuresInARow = 0
        while !state.stopped {
            let step: ArchiveReader.Step
            if let entry = pending {
                step = .entry(entry)
                pending = nil
            } else {
                step = reader.next()
            }
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
        visit(LeafInput(source: display, modificationDate: date, stream: TranscodingSource(stream)))
    }
}
