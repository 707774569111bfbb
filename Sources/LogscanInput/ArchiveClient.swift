/// Feeds libarchive from a `ByteSource` through its read callback, in large blocks.
///
/// The parent's error, if reading it fails, is kept here: libarchive only learns that the
/// callback failed, and the walk reports the original cause.
final class ArchiveClient {
    static let blockSize = 256 * 1024

    let source: ByteSource
    /// Set for a regular file on disk: libarchive may then seek (zip's central directory, tar skips).
    let seekableFile: FileByteSource?
    private let block: UnsafeMutableRawBufferPointer
    /// The first error the source threw.
    private(set) var sourceError: InputError?
    /// True once the source has reported its end.
    private(set) var reachedEnd = false
    /// Offset in the source just past the bytes handed to libarchive.
    private(set) var position: Int64 = 0

    init(source: ByteSource) {
        self.source = source
        if let file = source as? FileByteSource, file.isSeekable {
            seekableFile = file
        } else {
            seekableFile = nil
        }
        // SAFETY: libarchive keeps the pointer `fill` hands out until the next call, so the
        // block must not move; it is freed with the client, after the handle (see ArchiveReader).
        block = .allocate(byteCount: Self.blockSize, alignment: 16)
    }

    deinit {
        block.deallocate()
    }

    /// The read callback's body: the block stays valid until the next call, as libarchive requires.
    func fill(_ start: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        guard sourceError == nil else { return -1 }
        do {
            let count = try source.read(into: block)
            if count == 0 { reachedEnd = true }
            position += Int64(count)
            start.pointee = UnsafeRawPointer(block.baseAddress)
            return count
        } catch {
            sourceError = error
            return -1
        }
    }

    /// The seek callback's body.
    func seek(offset: Int64, whence: Int32) -> Int64 {
        guard let seekableFile else { return -1 }
        reachedEnd = false
        let result = seekableFile.seek(offset: offset, whence: whence)
        if result >= 0 { position = result }
        return result
    }
}
