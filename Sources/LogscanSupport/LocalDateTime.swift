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

    package func isValid(year: Int) -> Bool {
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
