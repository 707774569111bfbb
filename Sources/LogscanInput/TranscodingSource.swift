/// Hands out UTF-8: a stream that starts with a UTF-16 BOM (`FF FE` or `FE FF`) is transcoded
/// as it is read, and a UTF-8 BOM is dropped. Anything else passes through untouched.
///
/// Transcoding is streaming: a code unit or surrogate pair split across reads of the base, and
/// a character that does not fit the caller's buffer, are carried to the next read. Unpaired
/// surrogates and an odd last byte become U+FFFD.
public final class TranscodingSource: ByteSource {
    private let base: ByteSource
    /// The base with the bytes read while looking for a BOM put back, less the BOM.
    private var stream: PrefixedSource?
    private var decoder: UTF16Decoder?

    public init(_ base: ByteSource) {
        self.base = base
    }

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
