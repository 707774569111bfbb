/// A leaf's bytes read as text through a `LogDecoder`: UTF-8 out, whatever the log was
/// stored in, with NUL characters skipped (see `LogDecoder`).
///
/// UTF-8 is read straight into the caller's buffer and NULs are squeezed out in place; UTF-16
/// (and the first bytes, while the encoding is judged) go through a block of its own, and what
/// does not fit the caller's buffer waits for the next read.
public final class TranscodingSource: ByteSource {
    private let base: ByteSource
    /// The decoder: its `storedBytes` and `nulBytesSkipped` are what this source has read.
    public let decoder: LogDecoder
    private var carry: [UInt8] = []
    private var carryStart = 0
    private var ended = false
    private var block: [UInt8] = []

    /// - Parameter encoding: known in advance (a part of a file already judged), or nil.
    public init(_ base: ByteSource, encoding: LogDecoder.Encoding? = nil) {
        self.base = base
        decoder = LogDecoder(encoding: encoding)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let target = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if carryStart < carry.count {
                let count = buffer.copy(from: carry, range: carryStart..<carry.count)
                carryStart += count
                if carryStart == carry.count {
                    carry.removeAll(keepingCapacity: true)
                    carryStart = 0
                }
                return count
            }
            if ended { return 0 }
            if decoder.encoding == .utf8 {
                let got = try base.read(into: buffer)
                if got == 0 {
                    ended = true
                    continue
                }
                // Pieces come in order from inside `buffer`, never ahead of where they go.
                var kept = 0
                decoder.push(UnsafeRawBufferPointer(rebasing: buffer[..<got])) { piece in
                    if piece.baseAddress! != UnsafeRawPointer(target + kept) {
                        (target + kept).copyMemory(from: piece.baseAddress!, byteCount: piece.count)
                    }
                    kept += piece.count
                }
                if kept > 0 { return kept }
                continue
            }
            if block.isEmpty { block = [UInt8](repeating: 0, count: 64 * 1024) }
            let got = try base.read(into: &block, from: 0)
            let keep: (UnsafeRawBufferPointer) -> Void = { self.carry.append(contentsOf: $0) }
            if got == 0 {
                ended = true
                decoder.finish(keep)
            } else {
                block.withUnsafeBytes { raw in decoder.push(UnsafeRawBufferPointer(rebasing: raw[..<got]), keep) }
            }
        }
    }
}
