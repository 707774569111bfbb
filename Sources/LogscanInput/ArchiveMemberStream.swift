/// The data of the member an `ArchiveReader` is on, checked against the bundle's byte budget
/// and the member's compression ratio.
final class ArchiveMemberStream: ByteSource {
    /// Output a member may produce before its ratio is judged: small members compress oddly.
    static let ratioGrace: Int64 = 1 << 20

    private let reader: ArchiveReader
    private let serial: Int
    private let source: String
    private let state: WalkState
    private let consumedAtStart: Int64
    private var produced: Int64 = 0
    private var ended = false
    private var stickyError: InputError?

    /// `wholeStream` is for a compressed single log: its member is all of the stream, so the
    /// compressed bytes spent finding out what it holds count toward its ratio too.
    init(reader: ArchiveReader, source: String, state: WalkState, wholeStream: Bool = false) {
        self.reader = reader
        self.serial = reader.memberSerial
        self.source = source
        self.state = state
        self.consumedAtStart = wholeStream ? 0 : reader.consumedBytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if let stickyError { throw stickyError }
        if ended || buffer.isEmpty { return 0 }
        guard reader.memberSerial == serial, !reader.failed else {
            throw stop(InputError(source: source, message: "read after the walk moved past this member"))
        }
        if produced > Self.ratioGrace {
            let consumed = max(reader.consumedBytes - consumedAtStart, 1)
            if produced / consumed > Int64(state.limits.maxRatio) {
                throw stop(InputError(source: source, message: state.limits.ratioMessage))
            }
        }
        guard state.remainingBytes > 0 else {
            state.stopped = true
            throw stop(InputError(source: source, message: state.limits.bundleBytesMessage))
        }
        let allowed = Int(min(Int64(buffer.count), state.remainingBytes))
        let count = reader.readData(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<allowed]))
        if count > 0 {
            produced += Int64(count)
            state.extractedBytes += Int64(count)
            return count
        }
        if count == 0 {
            ended = true
            return 0
        }
        throw stop(reader.dataFailure(status: count, source: source))
    }

    private func stop(_ error: InputError) -> InputError {
        stickyError = error
        return error
    }
}
