/// Replays bytes already read from a stream (to sniff its content), then the rest of it.
final class PrefixedSource: ByteSource {
    private let base: ByteSource
    private var prefix: [UInt8]
    private var offset = 0

    init(prefix: [UInt8], base: ByteSource) {
        self.prefix = prefix
        self.base = base
    }

    /// Reads up to `count` bytes from `base` (fewer only at its end) and keeps them for replay.
    static func sniffing(_ base: ByteSource, count: Int) throws(InputError) -> PrefixedSource {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try base.read(into: &bytes, from: filled)
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(count - filled)
        return PrefixedSource(prefix: bytes, base: base)
    }

    /// The replayed bytes.
    var head: [UInt8] { prefix }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard offset < prefix.count else { return try base.read(into: buffer) }
        let count = min(buffer.count, prefix.count - offset)
        prefix.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        offset += count
        if offset == prefix.count { prefix = [] ; offset = 0 }
        return count
    }
}
