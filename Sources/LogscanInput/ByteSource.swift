/// A readable stream of bytes: a file, standard input, an archive member, a decompressed stream.
///
/// Sources are pulled by one reader at a time, synchronously; they are not shared across threads.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}

extension ByteSource {
    /// Reads into `bytes[offset...]`. (`withUnsafeMutableBytes` does not carry typed throws.)
    func read(into bytes: inout [UInt8], from offset: Int) throws(InputError) -> Int {
        var result = Result<Int, InputError>.success(0)
        bytes.withUnsafeMutableBytes { raw in
            result = Result { () throws(InputError) -> Int in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[offset...]))
            }
        }
        return try result.get()
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Copies as much of `bytes[range]` as fits from the start of this buffer; returns the count.
    func copy(from bytes: [UInt8], range: Range<Int>) -> Int {
        let count = Swift.min(self.count, range.count)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            copyMemory(from: UnsafeRawBufferPointer(rebasing: source[range.lowerBound..<range.lowerBound + count]))
        }
        return count
    }
}
