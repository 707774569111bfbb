import Foundation

/// A wall-clock time as written in a log line, before any zone or year is applied.
///
/// Parsed straight from bytes (no Foundation on the hot path). `year` is nil for formats that
/// do not print one (jamf.log); `weekday` (0 = Sunday) is kept where the line prints it, to
/// infer the year.
public struct LocalDateTime: Sendable, Hashable, Comparable {
    public var year: Int?
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int
    public var weekday: Int?

    public init(year: Int?, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                nanosecond: Int = 0, weekday: Int? = nil) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
        self.nanosecond = nanosecond; self.weekday = weekday
    }

    /// The years a time can be placed in. Outside them a time is "unknown" (its line still
    /// counts): 0001-01-01 is a .NET or Go zero value, not a date, and keeping every instant
    /// within 251 years of another keeps every sum and difference of instants, offsets and
    /// slack (days at most) far inside Int64 nanoseconds (±292 years from 1970).
    public static let placeableYears = 1900...2150

    /// Nanoseconds since 1970-01-01T00:00 of this wall-clock reading taken as if it were UTC.
    /// Requires a year in `placeableYears` (nil otherwise, never a trap).
    public var wallNanoseconds: Int64? {
        guard let year, Self.placeableYears.contains(year), isValid(year: year),
              (0..<1_000_000_000).contains(nanosecond) else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1_000_000_000 + Int64(nanosecond)
    }

    func isValid(year: Int) -> Bool {
        (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second)
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        if (a.year ?? 0, a.month, a.day) != (b.year ?? 0, b.month, b.day) {
            return (a.year ?? 0, a.month, a.day) < (b.year ?? 0, b.month, b.day)
        }
        return (a.hour, a.minute, a.second, a.nanosecond) < (b.hour, b.minute, b.second, b.nanosecond)
    }
}

/// How the zone of a parsed time is known.
public enum ZoneInfo: Sendable, Hashable {
    /// The line carries an explicit UTC offset, in seconds east of UTC.
    case offset(Int)
    /// The format is documented to write UTC.
    case utc
    /// The Mac's local wall clock, zone not written.
    case local
}

/// A time as read from one record, with what is known of its zone.
public struct RecordTime: Sendable, Hashable {
    public var local: LocalDateTime
    public var zone: ZoneInfo
    /// The line gave the time of day only; the date came from elsewhere (the file's date).
    public var dateFromContext = false
    public init(local: LocalDateTime, zone: ZoneInfo) { self.local = local; self.zone = zone }
}

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

/// A duration in nanoseconds, written in rule files as `90s`, `10m`, `24h`, `2d`.
public struct Duration: Sendable, Hashable, Comparable {
    public var nanoseconds: Int64
    public init(seconds: Int64) { nanoseconds = seconds * 1_000_000_000 }
    public static func < (a: Duration, b: Duration) -> Bool { a.nanoseconds < b.nanoseconds }

    /// Parses `90s`, `10m`, `24h`, `2d`, `1w` (a plain number is seconds).
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let last = t.last else { return nil }
        let unit: Int64
        var digits = Substring(t)
        switch last {
        case "s": unit = 1; digits = digits.dropLast()
        case "m": unit = 60; digits = digits.dropLast()
        case "h": unit = 3600; digits = digits.dropLast()
        case "d": unit = 86_400; digits = digits.dropLast()
        case "w": unit = 604_800; digits = digits.dropLast()
        default: unit = 1
        }
        // Checked: a rule file's `within: 99999999999d` is an error, not a trap.
        guard let n = Int64(digits), n >= 0 else { return nil }
        let (s, o1) = n.multipliedReportingOverflow(by: unit)
        let (ns, o2) = s.multipliedReportingOverflow(by: 1_000_000_000)
        guard !o1, !o2 else { return nil }
        nanoseconds = ns
    }

    public var description: String {
        let s = nanoseconds / 1_000_000_000
        if s % 86_400 == 0 && s >= 86_400 { return "\(s / 86_400)d" }
        if s % 3600 == 0 && s >= 3600 { return "\(s / 3600)h" }
        if s % 60 == 0 && s >= 60 { return "\(s / 60)m" }
        return "\(s)s"
    }
}

@inline(__always)
func pad(_ value: Int, _ width: Int) -> String {
    var s = String(value)
    while s.count < width { s = "0" + s }
    return s
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
public func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// The Gregorian date of a day count since 1970-01-01.
public func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

/// 0 = Sunday … 6 = Saturday.
public func weekday(year: Int, month: Int, day: Int) -> Int {
    let days = daysFromCivil(year: year, month: month, day: day)
    return ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
}

public func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

public func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// The date part of an RFC 3339 time (`YYYY-MM-DDT`, 11 bytes in 16), for one day.
public struct RFC3339Day {
    /// Days since 1970-01-01, or `Int.min` before any.
    var number = Int.min
    var prefix: (UInt64, UInt64) = (0, 0)

    public init() {}

    init(_ days: Int) {
        number = days
        let (y, m, d) = civilFromDays(days)
        withUnsafeMutableBytes(of: &prefix) { b in
            var v = y
            for k in stride(from: 3, through: 0, by: -1) { b[k] = UInt8(truncatingIfNeeded: 48 + v % 10); v /= 10 }
            b[4] = 0x2D
            b.storeBytes(of: twoDigits[m].littleEndian, toByteOffset: 5, as: UInt16.self)
            b[7] = 0x2D
            b.storeBytes(of: twoDigits[d].littleEndian, toByteOffset: 8, as: UInt16.self)
            b[10] = 0x54
        }
    }
}

/// "00" … "99" as two ASCII bytes each, for storing at once.
let twoDigits: [UInt16] = (0..<100).map { (v: Int) -> UInt16 in
    let tens = UInt16(48 + v / 10), ones = UInt16(48 + v % 10)
    return tens | ones << 8  // little-endian: the tens digit is stored first
}
