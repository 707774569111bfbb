/// Replays bytes already read from a stream (to sniff its content), then the rest of it.
public final class PrefixedSource: ByteSource {
    private let base: ByteSource
    private var prefix: [UInt8]
    private var offset = 0
    /// An error met while sniffing, thrown once the bytes before it have been replayed.
    private var pendingError: InputError?

    /// Reads up to `count` bytes from `base` (fewer only at its end or at an error) and keeps
    /// them for replay.
    public init(sniffing base: ByteSource, count: Int) {
        self.base = base
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        do {
            while filled < count {
                let got = try base.read(into: &bytes, from: filled)
                if got == 0 { break }
                filled += got
            }
        } catch {
            pendingError = error
        }
        bytes.removeLast(count - filled)
        prefix = bytes
    }

    /// The bytes read while sniffing.
    public var head: [UInt8] { prefix }

    /// Drops up to `count` of the bytes still to replay (a BOM, say).
    func skip(_ count: Int) {
        offset += min(count, prefix.count - offset)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard offset < prefix.count else {
            if let pendingError { throw pendingError }
            return try base.read(into: buffer)
        }
        let count = buffer.copy(from: prefix, range: offset..<prefix.count)
        offset += count
        return count
    }
}
