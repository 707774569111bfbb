#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LogscanRules


@inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
@inline(__always) func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

extension UnsafeRawBufferPointer {
    @inline(__always) package func byte(_ i: Int) -> UInt8 { i < count ? self[i] : 0 }

    /// The number written by `n` digits at `at`, or nil.
    @inline(__always) package func digits(_ at: Int, _ n: Int) -> Int? {
        guard at >= 0, at + n <= count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            let b = self[i]
            guard isDigit(b) else { return nil }
            v = v * 10 + Int(b &- 0x30)
        }
        return v
    }

    /// Offset of `needle` in self at or after `from`, or nil (memchr for the first byte, then compare).
    func firstRange(of needle: [UInt8], from: Int = 0) -> Int? {
        guard let first = needle.first, count - from >= needle.count, let base = baseAddress else { return nil }
        var at = from
        let lastStart = count - needle.count
        while at <= lastStart {
            guard let hit = memchr(base + at, Int32(first), lastStart - at + 1) else { return nil }
            let offset = UnsafeRawPointer(hit) - base
            if needle.withUnsafeBytes({ memcmp(base + offset, $0.baseAddress!, needle.count) }) == 0 { return offset }
            at = offset + 1
        }
        return nil
    }
}

/// Whether a line starts with `YYYY-MM-DD` (cheap record-start test for most formats).
@inline(__always) func startsWithISODate(_ line: UnsafeRawBufferPointer) -> Bool {
    line.count >= 10 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]) && isDigit(line[3])
        && line[4] == 0x2D && isDigit(line[5]) && isDigit(line[6]) && line[7] == 0x2D
}

/// Whether a line starts with `Dow Mon ` / `Mon DD` (BSD syslog, jamf.log).
@inline(__always) func startsWithBSDDate(_ line: UnsafeRawBufferPointer) -> Bool {
    line.count >= 15 && isAlpha(line[0]) && isAlpha(line[1]) && isAlpha(line[2]) && line[3] == 0x20
        && isAlpha(line[4]) && isAlpha(line[5]) && isAlpha(line[6]) && line[7] == 0x20
}

/// Where the stamp of a Console row starts: past its type word (at most 9 letters) and the
/// blanks after it.
@inline(__always)
func consoleStampStart(_ line: UnsafeRawBufferPointer) -> Int? {
    guard line.count > 10, isAlpha(line[0]) else { return nil }
    var i = 1
    while i < 10 && i < line.count && isAlpha(line[i]) { i += 1 }
    guard i < line.count, line[i] == 0x20 || line[i] == 0x09 else { return nil }
    while i < line.count && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
    return i
}

@inline(__always)
func memchrOffsetRaw(_ line: UnsafeRawBufferPointer, _ byte: UInt8, _ limit: Int) -> Int? {
    let n = Swift.min(limit, line.count)
    var i = 0
    while i < n { if line[i] == byte { return i }; i += 1 }
    return nil
}
