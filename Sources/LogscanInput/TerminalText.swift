/// Text from logs and file names made safe for a terminal: the one function every text output
/// (the report, `follow` rows, messages on standard error, archive member names) goes through.
///
/// C0 controls, DEL, C1 controls and the bidirectional overrides are shown escaped, so a log
/// line can neither retitle or clear the terminal nor break a line of output or disguise a
/// name: tab, newline and carriage return as `\t` `\n` `\r`, other C0 and DEL as `\xNN`, C1
/// and the bidi marks as `\u{NN}`. A file name's bytes that are not UTF-8 (`RawPath`) show as
/// `\xNN`. Everything else is kept.
public enum TerminalText {
    /// `text` with every control character escaped (itself when there is none: the usual case).
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { append(scalar, to: &out) }
        return out
    }

    /// Appends `scalar` to `out`, escaped if it is a control character.
    public static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        guard needsEscape(scalar) else { out.unicodeScalars.append(scalar); return }
        switch scalar.value {
        case 0x09: out += "\\t"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x00..<0x20, 0x7F: out += "\\x" + hex(scalar.value, width: 2)
        case RawPath.first...: out += "\\x" + hex(scalar.value - RawPath.base, width: 2)
        default: out += "\\u{" + hex(scalar.value, width: 2) + "}"
        }
    }

    @inline(__always)
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, RawPath.first...: return true
        default: return false
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
