/// Turns an archive member's name, any bytes at all, into text safe to print.
///
/// Valid UTF-8 is kept; invalid bytes become `\xNN`; control characters and bidirectional
/// overrides are escaped (`TerminalText`), so a name can neither break a line of output nor disguise itself.
/// A leading `./` is dropped. The result is for display only, never a filesystem path.
enum DisplayName {
    static func make(from bytes: some Collection<UInt8>) -> String {
        var bytes = Array(bytes)
        while bytes.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) && bytes.count > 2 {
            bytes.removeFirst(2)
        }
        var text = ""
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                TerminalText.append(Unicode.UTF8.decode(encoded), to: &text)
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<offset + length] { text += "\\x" + hex(byte) }
                offset += length
            case .emptyInput:
                return text
            }
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
