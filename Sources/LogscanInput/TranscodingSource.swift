/// Hands out UTF-8: a stream that starts with a UTF-16 BOM (`FF FE` or `FE FF`) is transcoded
/// as it is read, and a UTF-8 BOM is dropped. Anything else passes through untouched.
///
/// Transcoding is streaming: a code unit or surrogate pair split across reads of the base, and
/// a character that does not fit the caller's buffer, are carried to the next read. Unpaired
/// surrogates and an odd last byte become U+FFFD.
public final class TranscodingSource: ByteSource {
    private enum Mode { case undecided, passThrough, utf16(bigEndian: Bool) }

    private let base: ByteSource
    private var mode = Mode.undecided
    /// Bytes read while looking for a BOM, replayed when passing through.
    private var head: [UInt8] = []
    private var headOffset = 0
    private var decoder: UTF16Decoder?

    public init(_ base: ByteSource) {
        self.base = base
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if case .undecided = mode { try decide() }
        switch mode {
        case .undecided, .passThrough:
            guard headOffset < head.count else { return try base.read(into: buffer) }
            let count = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { bytes in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[headOffset..<headOffset + count]))
            }
            headOffset += count
            return count
        case .utf16:
            return try decoder!.read(into: buffer, from: base)
        }
    }

    private func decide() throws(InputError) {
        var bytes = [UInt8](repeating: 0, count: 3)
        var filled = 0
        while filled < 3 {
            let got = try base.read(into: &bytes, from: filled)
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(3 - filled)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            mode = .passThrough
            head = []
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let bigEndian = bytes[0] == 0xFE
            mode = .utf16(bigEndian: bigEndian)
            decoder = UTF16Decoder(bigEndian: bigEndian, pending: Array(bytes.dropFirst(2)))
        } else {
            mode = .passThrough
            head = bytes
        }
    }
}
