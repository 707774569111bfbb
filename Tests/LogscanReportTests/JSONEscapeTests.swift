import Foundation
import Testing
import LogscanInput
@testable import LogscanReport

@Suite struct JSONEscapeTests {
    /// The escaping written out plainly, byte by byte: what `JSON.appendString` must produce.
    func reference(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 {
                out += Array((b[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 3
                continue
            }
            if c == 0xF4, i + 3 < b.count, b[i + 1] == 0x8F, b[i + 2] >= 0xBE {
                out += [0xEF, 0xBF, 0xBD]  // a file name's byte that is not UTF-8 (`RawPath`)
                i += 4
                continue
            }
            switch c {
            case 0x22: out += Array("\\\"".utf8)
            case 0x5C: out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20, 0x7F: out += Array(String(format: "\\u%04x", Int(c)).utf8)
            default: out.append(c)
            }
            i += 1
        }
        return out + [0x22]
    }

    /// A file name's bytes that are not UTF-8 (`RawPath`) are U+FFFD in JSON, one per byte; the
    /// scalars next to them are kept.
    @Test func fileNameBytesThatAreNotUTF8BecomeReplacementCharacters() {
        let name = RawPath.string(fromBytes: Array("logs/caf".utf8) + [0xE9, 0xFF] + Array(".log \u{10FF7F}".utf8))
        var out: [UInt8] = []
        JSON.appendString(name, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"logs/caf\u{FFFD}\u{FFFD}.log \u{10FF7F}\"")
    }

    /// Every character that needs escaping, and look-alikes that do not (other E2 sequences,
    /// bytes next to the escaped values), at every position against the eight-byte steps of the
    /// fast path and in strings of every length around them, match the plain escaping, and
    /// read back as the string that was written.
    @Test func escapingMatchesThePlainRuleAtEveryPosition() throws {
        let pieces = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "\u{2026}",
                      "\u{201C}", "!", "#", "[", "]", " ", "\u{80}", "é", "😀", "\u{1}\"\\"]
        for piece in pieces {
            for before in 0...17 {
                for after in [0, 1, 7, 8, 9, 20] {
                    let s = String(repeating: "a", count: before) + piece + String(repeating: "z", count: after)
                    var out: [UInt8] = []
                    JSON.appendString(s, to: &out)
                    #expect(out == reference(s), "escaping \(piece.unicodeScalars.map { $0.value }) after \(before) bytes")
                    let back = try JSONSerialization.jsonObject(with: Data("[".utf8 + out + "]".utf8)) as? [String]
                    #expect(back == [s])
                }
            }
        }
        // Several escapes in one eight-byte word, and nothing but escapes.
        for s in ["a\"b\"c\"d\"e", "\"\"\"\"\"\"\"\"\"\"", "\\\\\\\\\\\\\\\\\\", "\t\n\r\t\n\r\t\n", "", "plain text of some length, nothing to escape"] {
            var out: [UInt8] = []
            JSON.appendString(s, to: &out)
            #expect(out == reference(s))
        }
    }
}
