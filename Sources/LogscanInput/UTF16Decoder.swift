/// The UTF-16 → UTF-8 state machine behind `TranscodingSource`, over buffers allocated once.
final class UTF16Decoder {
    private static let inputCapacity = 64 * 1024
    /// Every unit yields at most 3 bytes (a pair, 4 for 2 units); plus one U+FFFD at the end.
    private static let outputCapacity = inputCapacity / 2 * 3 + 8

    private let bigEndian: Bool
    private var input = [UInt8](repeating: 0, count: inputCapacity)
    private var output = [UInt8](repeating: 0, count: outputCapacity)
    /// Undecoded bytes at the start of `input` (0 or 1 between refills).
    private var inputCount = 0
    private var outputStart = 0
    private var outputEnd = 0
    private var highSurrogate: UInt16?
    private var ended = false

    init(bigEndian: Bool) {
        self.bigEndian = bigEndian
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, from base: ByteSource) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while outputStart == outputEnd {
            if ended { return 0 }
            try refill(from: base)
        }
        let count = buffer.copy(from: output, range: outputStart..<outputEnd)
        outputStart += count
        return count
    }

    /// Reads more of the base and decodes every complete code unit into `output`.
    private func refill(from base: ByteSource) throws(InputError) {
        outputStart = 0
        outputEnd = 0
        let got = try base.read(into: &input, from: inputCount)
        if got == 0 {
            if highSurrogate != nil || inputCount == 1 { append(scalar: 0xFFFD) }
            highSurrogate = nil
            inputCount = 0
            ended = true
            return
        }
        inputCount += got
        let units = inputCount / 2
        for index in 0..<units {
            let first = UInt16(input[2 * index]), second = UInt16(input[2 * index + 1])
            decode(unit: bigEndian ? first << 8 | second : second << 8 | first)
        }
        if inputCount % 2 == 1 { input[0] = input[inputCount - 1] }
        inputCount %= 2
    }

    private func decode(unit: UInt16) {
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                append(scalar: 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00))
                return
            }
            append(scalar: 0xFFFD)
        }
        switch unit {
        case 0xD800...0xDBFF: highSurrogate = unit
        case 0xDC00...0xDFFF: append(scalar: 0xFFFD)
        default: append(scalar: UInt32(unit))
        }
    }

    private func append(scalar: UInt32) {
        func put(_ byte: UInt32) {
            output[outputEnd] = UInt8(truncatingIfNeeded: byte)
            outputEnd += 1
        }
        switch scalar {
        case ..<0x80:
            put(scalar)
        case ..<0x800:
            put(0xC0 | scalar >> 6)
            put(0x80 | scalar & 0x3F)
        case ..<0x10000:
            put(0xE0 | scalar >> 12)
            put(0x80 | scalar >> 6 & 0x3F)
            put(0x80 | scalar & 0x3F)
        default:
            put(0xF0 | scalar >> 18)
            put(0x80 | scalar >> 12 & 0x3F)
            put(0x80 | scalar >> 6 & 0x3F)
            put(0x80 | scalar & 0x3F)
        }
    }
}
