import Foundation

/// A point in time: nanoseconds since the Unix epoch, UTC.
public struct Instant: Sendable, Hashable, Comparable, Codable {
    public var nanoseconds: Int64
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    /// Seconds since the epoch, saturated at the ends of Int64 nanoseconds (never a trap).
    public init(seconds: Int64) {
        let (n, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self.nanoseconds = overflow ? (seconds < 0 ? .min : .max) : n
    }
    public static func < (a: Instant, b: Instant) -> Bool { a.nanoseconds < b.nanoseconds }

    /// The earliest and latest instants a time can be placed at: midnight starting the first
    /// day of `LocalDateTime.placeableYears`, and the end of its last day, each a day wider
    /// (a wall-clock time at the edge moves by its zone's offset).
    public static let earliest = Instant(seconds: Int64(daysFromCivil(year: LocalDateTime.placeableYears.lowerBound, month: 1, day: 1) - 1) * 86_400)
    public static let latest = Instant(seconds: Int64(daysFromCivil(year: LocalDateTime.placeableYears.upperBound + 1, month: 1, day: 1) + 1) * 86_400)
    public var seconds: Int64 { nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000 }

    /// RFC 3339 in UTC with a `Z`: no fraction when whole seconds, else 3, 6 or 9 digits.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `rfc3339` as UTF-8 bytes (no intermediate strings: reports write many).
    public func appendRFC3339(to out: inout [UInt8]) {
        var day = RFC3339Day()
        appendRFC3339(to: &out, day: &day)
    }

    /// `appendRFC3339(to:)` for a writer of many times: `day` keeps the date part of the last
    /// one, which the next time nearly always shares (a timeline's times come in order).
    public func appendRFC3339(to out: inout [UInt8], day: inout RFC3339Day) {
        let secs = seconds
        let nanos = Int(nanoseconds - secs * 1_000_000_000)
        let days = Int(secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400)
        let secOfDay = Int(secs - Int64(days) * 86_400)
        if days != day.number { day = RFC3339Day(days) }
        // Written into a stack buffer and appended once: reports write one per timeline entry.
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes ≥ "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"
        withUnsafeMutableBytes(of: &buffer) { b in
            b.storeBytes(of: day.prefix.0, toByteOffset: 0, as: UInt64.self)
            b.storeBytes(of: day.prefix.1, toByteOffset: 8, as: UInt64.self)
            var n = 11
            @inline(__always) func two(_ v: Int) {
                b.storeBytes(of: twoDigits[v].littleEndian, toByteOffset: n, as: UInt16.self)
                n &+= 2
            }
            two(secOfDay / 3600); b[n] = 0x3A; n += 1
            two(secOfDay / 60 % 60); b[n] = 0x3A; n += 1
            two(secOfDay % 60)
            if nanos != 0 {
                b[n] = 0x2E; n += 1
                var value = nanos, width = 9
                if nanos % 1_000_000 == 0 { value = nanos / 1_000_000; width = 3 }
                else if nanos % 1_000 == 0 { value = nanos / 1_000; width = 6 }
                var k = n + width - 1
                while k >= n { b[k] = UInt8(truncatingIfNeeded: 48 + value % 10); value /= 10; k -= 1 }
                n += width
            }
            b[n] = 0x5A; n += 1
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[0..<n]))
        }
    }

}
