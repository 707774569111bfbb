import Foundation
import LogscanInput
import LogscanPCRE2
import LogscanRules

/// Decoding of JSON string escapes, for lines of JSON-style exports.
enum JSONText {
    /// Writes `line` with `\"`, `\\`, `\/`, `\n`, `\t`, `\uXXXX` (and surrogate pairs) decoded.
    static func unescape(_ line: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = 0
        let n = line.count
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= n else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = line[k]
                let d: UInt8
                switch c {
                case 0x30...0x39: d = c - 0x30
                case 0x41...0x46: d = c - 0x37
                case 0x61...0x66: d = c - 0x57
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        func appendScalar(_ v: UInt32) {
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: String(Character(scalar)).utf8)
        }
        while i < n {
            let c = line[i]
            guard c == 0x5C, i + 1 < n else { out.append(c); i += 1; continue }
            let e = line[i + 1]
            switch e {
            case 0x22, 0x5C, 0x2F: out.append(e); i += 2
            case 0x6E: out.append(0x0A); i += 2
            case 0x74: out.append(0x09); i += 2
            case 0x72: out.append(0x0D); i += 2
            case 0x62, 0x66: out.append(0x20); i += 2
            case 0x75:
                guard let u = hex4(i + 2) else { out.append(c); i += 1; continue }
                if (0xD800..<0xDC00).contains(u), i + 12 <= n, line[i + 6] == 0x5C, line[i + 7] == 0x75,
                   let low = hex4(i + 8), (0xDC00..<0xE000).contains(low) {
                    appendScalar(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00))
                    i += 12
                } else {
                    appendScalar(u)
                    i += 6
                }
            default:
                out.append(c); i += 1
            }
        }
    }
}
