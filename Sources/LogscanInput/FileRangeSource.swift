#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The bytes `range` of a `PositionalFile`, as a stream.
public final class FileRangeSource: ByteSource {
    private let file: PositionalFile
    private var position: Int64
    private let end: Int64

    public init(_ file: PositionalFile, range: Range<Int64>) {
        self.file = file
        position = range.lowerBound
        end = range.upperBound
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let want = Int(Swift.min(Int64(buffer.count), end - position))
        guard want > 0 else { return 0 }
        let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<want]), at: position)
        position += Int64(got)
        return got
    }
}
