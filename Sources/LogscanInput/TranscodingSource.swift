/// Hands out UTF-8: a stream that starts with a UTF-16 BOM (`FF FE` or `FE FF`) is transcoded
/// as it is read, and a UTF-8 BOM is dropped. Anything else passes through untouched.
///
/// Transcoding is streaming: a code unit or surrogate pair split across reads of the base, and
/// a character that does not fit the caller's buffer, are carried to the next read. Unpaired
/// surrogates and an odd last byte become U+FFFD.
public final class TranscodingSource: ByteSource {
    private let base: CountingSource
    /// The base with the bytes read while looking for a BOM put back, less the BOM.
    private var stream: PrefixedSource?
    private var decoder: UTF16Decoder?

    public init(_ base: ByteSource) {
        self.base = CountingSource(base)
    }

    /// For a UTF-16 stream, the bytes taken from the base so far, BOM included: the log's size
    /// as stored (after decompression, before transcoding), which is what an input's `bytes`
    /// reports. Nil for UTF-8, whose bytes pass through as read (a UTF-8 BOM is left out, as
    /// when a large log is read in parts).
    public var storedBytes: Int64? { decoder == nil ? nil : base.count }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let stream = self.stream ?? start()
        if let decoder { return try decoder.read(into: buffer, from: stream) }
        return try stream.read(into: buffer)
    }

    private func start() -> PrefixedSource {
        let sniffed = PrefixedSource(sniffing: base, count: 3)
        let head = sniffed.head
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            sniffed.skip(3)
        } else if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            sniffed.skip(2)
            decoder = UTF16Decoder(bigEndian: head[0] == 0xFE)
        }
        stream = sniffed
        return sniffed
    }
}

/// Counts the bytes read through it.
final class CountingSource: ByteSource {
    private let base: ByteSource
    private(set) var count: Int64 = 0

    init(_ base: ByteSource) { self.base = base }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = try base.read(into: buffer)
        count &+= Int64(n)  // a sum of read sizes: never near Int64.max
        return n
    }
}
