/// Bytes held in memory, handed out at most `maxReadSize` at a time (small sizes exercise
/// readers on awkward splits).
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private let maxReadSize: Int
    private var offset = 0

    public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
        precondition(maxReadSize > 0, "maxReadSize must be positive")
        self.bytes = bytes
        self.maxReadSize = maxReadSize
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let end = offset + min(maxReadSize, bytes.count - offset)
        let count = buffer.copy(from: bytes, range: offset..<end)
        offset += count
        return count
    }
}
