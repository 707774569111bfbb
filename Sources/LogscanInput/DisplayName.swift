/// Turns an archive member's name, any bytes at all, into text safe to print.
///
/// Valid UTF-8 is kept; invalid bytes are kept as `RawPath` holds them; control characters and
/// bidirectional overrides are escaped (`TerminalText`), so a name can neither break a line of
/// output nor disguise itself. A leading `./` is dropped. The result is for display only, never a
/// filesystem path.
enum DisplayName {
    static func make(from bytes: some Collection<UInt8>) -> String {
        var bytes = Array(bytes)
        while bytes.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) && bytes.count > 2 {
            bytes.removeFirst(2)
        }
        // Bytes that are not UTF-8 stay as they are (`RawPath`): `\xNN` in text, U+FFFD in JSON.
        var text = ""
        for scalar in RawPath.string(fromBytes: bytes).unicodeScalars {
            if RawPath.isStandIn(scalar) { text.unicodeScalars.append(scalar) } else { TerminalText.append(scalar, to: &text) }
        }
        return text
    }
}
