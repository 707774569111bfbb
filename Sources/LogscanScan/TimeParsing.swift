import LogscanSupport
import LogscanRules
/// Timestamp parsers for every shape, straight from the bytes of a line.
enum TimeParsing {
    /// `YYYY-MM-DD[ T]HH:MM:SS[.,:]fraction` then an optional `Z`, `±HHMM` or `±HH:MM` (also after
    /// one space, as Console writes it). Returns the wall time and the offset in seconds, if any.
    static func iso(_ line: UnsafeRawBufferPointer, at start: Int = 0) -> (LocalDateTime, Int?)? {
        let s = start
        guard let year = line.digits(s, 4), line.byte(s + 4) == 0x2D,
              let month = line.digits(s + 5, 2), line.byte(s + 7) == 0x2D,
              let day = line.digits(s + 8, 2) else { return nil }
        let sep = line.byte(s + 10)
        guard sep == 0x20 || sep == 0x54 || sep == 0x74,  // ' ' 'T' 't'
              let hour = line.digits(s + 11, 2), line.byte(s + 13) == 0x3A,
              let minute = line.digits(s + 14, 2), line.byte(s + 16) == 0x3A,
              let second = line.digits(s + 17, 2) else { return nil }
        var i = s + 19
        var nanos = 0
        let fsep = line.byte(i)
        if (fsep == 0x2E || fsep == 0x2C || fsep == 0x3A) && isDigit(line.byte(i + 1)) {
            i += 1
            nanos = fraction(line, &i)
        }
        let local = LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute,
                                  second: second, nanosecond: nanos)
        guard local.isValid(year: year) else { return nil }
        return (local, offset(line, at: i))
    }

    /// A UTC offset at `i`: `Z`, `±HHMM`, `±HH:MM`, or the same after one space; nil if none.
    /// The digits of a fraction of a second starting at `i` (after its separator), as
    /// nanoseconds (digits past the ninth are read and dropped); `i` ends past them.
    static func fraction(_ line: UnsafeRawBufferPointer, _ i: inout Int) -> Int {
        var nanos = 0
        var digits = 0
        while i < line.count && isDigit(line[i]) {
            if digits < 9 { nanos = nanos * 10 + Int(line[i] &- 0x30); digits += 1 }
            i += 1
        }
        while digits < 9 { nanos *= 10; digits += 1 }
        return nanos
    }

    package static func offset(_ line: UnsafeRawBufferPointer, at start: Int) -> Int? {
        var i = start
        var b = line.byte(i)
        if b == 0x5A || b == 0x7A {  // Z
            let next = line.byte(i + 1)
            return (next == 0 || next == 0x20 || next == 0x09 || next == 0x22 || next == 0x5D) ? 0 : nil
        }
        if b == 0x20 { i += 1; b = line.byte(i) }
        guard b == 0x2B || b == 0x2D, let hh = line.digits(i + 1, 2) else { return nil }
        var j = i + 3
        if line.byte(j) == 0x3A { j += 1 }
        guard let mm = line.digits(j, 2) else { return nil }
        let end = line.byte(j + 2)
        guard end == 0 || end == 0x20 || end == 0x09 || end == 0x22 || end == 0x5D || end == 0x2C
        else { return nil }
        guard hh <= 14, mm < 60 else { return nil }
        let seconds = hh * 3600 + mm * 60
        return b == 0x2D ? -seconds : seconds
    }

    private static let months: [UInt32] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map(key3)
    private static let weekdays: [UInt32] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map(key3)

    private static func key3(_ s: String) -> UInt32 {
        let u = Array(s.utf8)
        return UInt32(u[0]) << 16 | UInt32(u[1]) << 8 | UInt32(u[2])
    }

    @inline(__always)
    private static func key3(_ line: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        UInt32(line.byte(i) | 0x20) << 16 | UInt32(line.byte(i + 1) | 0x20) << 8 | UInt32(line.byte(i + 2) | 0x20)
    }

    /// `[Dow ]Mon DD HH:MM:SS` (BSD syslog and jamf.log): no year, no zone.
    static func bsd(_ line: UnsafeRawBufferPointer, at start: Int = 0) -> LocalDateTime? {
        var i = start
        var weekday: Int? = nil
        if let w = weekdays.firstIndex(of: key3(line, i)), line.byte(i + 3) == 0x20 {
            weekday = w
            i += 4
        }
        guard let m = months.firstIndex(of: key3(line, i)), line.byte(i + 3) == 0x20 else { return nil }
        i += 4
        if line.byte(i) == 0x20 { i += 1 }  // "Feb  1"
        var day = 0
        guard isDigit(line.byte(i)) else { return nil }
        day = Int(line.byte(i) &- 0x30); i += 1
        if isDigit(line.byte(i)) { day = day * 10 + Int(line.byte(i) &- 0x30); i += 1 }
        guard line.byte(i) == 0x20, let hour = line.digits(i + 1, 2), line.byte(i + 3) == 0x3A,
              let minute = line.digits(i + 4, 2), line.byte(i + 6) == 0x3A,
              let second = line.digits(i + 7, 2) else { return nil }
        guard (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        return LocalDateTime(year: nil, month: m + 1, day: day, hour: hour, minute: minute,
                             second: second, weekday: weekday)
    }

    private static let timestampKey = Array("\"timestamp\"".utf8)

    /// A Console row with the time only (`default 10:04:48.077069 +1100 …`), placed on `day`
    /// (year, month, day): the time of day in seconds and the record time, marked as having
    /// its date from elsewhere.
    static func timeOnly(_ line: UnsafeRawBufferPointer, day: (Int, Int, Int)) -> (seconds: Int, time: RecordTime)? {
        guard let at = consoleStampStart(line), let hour = line.digits(at, 2), line.byte(at + 2) == 0x3A,
              let minute = line.digits(at + 3, 2), line.byte(at + 5) == 0x3A, let second = line.digits(at + 6, 2),
              hour < 24, minute < 60, second <= 60 else { return nil }
        var i = at + 8
        var nanos = 0
        if line.byte(i) == 0x2E {
            i += 1
            nanos = fraction(line, &i)
        }
        let local = LocalDateTime(year: day.0, month: day.1, day: day.2, hour: hour, minute: minute, second: second, nanosecond: nanos)
        var t = RecordTime(local: local, zone: offset(line, at: i).map(ZoneInfo.offset) ?? .local)
        t.dateFromContext = true
        return (hour * 3600 + minute * 60 + second, t)
    }

    /// The value of a JSON `"timestamp"` key in this line (ndjson, or one line of pretty JSON).
    static func jsonTimestamp(_ line: UnsafeRawBufferPointer) -> (LocalDateTime, Int?)? {
        guard var i = line.firstRange(of: timestampKey) else { return nil }
        i += timestampKey.count
        while i < line.count && (line[i] == 0x20 || line[i] == 0x3A || line[i] == 0x09) { i += 1 }
        guard line.byte(i) == 0x22 else { return nil }
        return iso(line, at: i + 1)
    }

    /// The time of a record from its first line (or, for JSON shapes, the line holding the key).
    package static func recordTime(shape: LogShape, line: UnsafeRawBufferPointer) -> RecordTime? {
        switch shape {
        case .companyPortalLegacy:
            guard let (t, _) = iso(line) else { return nil }
            return RecordTime(local: t, zone: .utc)
        case .companyPortalPipe, .houseGrammar, .ssoExtension, .jamfServer, .unifiedCompact:
            guard let (t, _) = iso(line) else { return nil }
            return RecordTime(local: t, zone: .local)
        case .unifiedDefault, .unifiedSyslog:
            guard let (t, off) = iso(line) else { return nil }
            return RecordTime(local: t, zone: off.map(ZoneInfo.offset) ?? .local)
        case .unifiedConsole:
            guard let at = consoleStampStart(line), let (t, off) = iso(line, at: at) else { return nil }
            return RecordTime(local: t, zone: off.map(ZoneInfo.offset) ?? .local)
        case .companyPortalViewer:
            guard let tab = memchrOffsetRaw(line, 0x09, 80), let (t, off) = iso(line, at: tab + 1) else { return nil }
            return RecordTime(local: t, zone: off.map(ZoneInfo.offset) ?? .local)
        case .msal:
            // The app's own stamp (local time) if the line starts with one, else MSAL's (UTC).
            if let (t, off) = iso(line) { return RecordTime(local: t, zone: off.map(ZoneInfo.offset) ?? .local) }
            guard let open = line.firstRange(of: Array(" [".utf8)), let (t, _) = iso(line, at: open + 2) else { return nil }
            return RecordTime(local: t, zone: .utc)
        case .unifiedConsoleTimeOnly:
            return nil  // no date on the line: see `timeOnly` and FileScanner.contextDay
        case .unifiedNDJSON, .unifiedJSON:
            guard let (t, off) = jsonTimestamp(line) else { return nil }
            return RecordTime(local: t, zone: off.map(ZoneInfo.offset) ?? .local)
        case .jamf:
            guard let t = bsd(line) else { return nil }
            return RecordTime(local: t, zone: .local)
        case .text, .plistState:
            if let (t, off) = iso(line) { return RecordTime(local: t, zone: off.map(ZoneInfo.offset) ?? .local) }
            if line.byte(0) == 0x5B, let (t, off) = iso(line, at: 1) {  // [2024-01-01 10:00:00]
                return RecordTime(local: t, zone: off.map(ZoneInfo.offset) ?? .local)
            }
            if let t = bsd(line) { return RecordTime(local: t, zone: .local) }
            return nil
        case .binary:
            return nil
        }
    }
}

/// Parses a `--since` / `--until` value: RFC 3339 (`2020-03-09T14:00:00Z`, or with an offset;
/// a time without an offset is read as UTC), or a date `2020-03-09` (midnight UTC).
///
/// A valid time outside the years logscan places times in (`LocalDateTime.placeableYears`) is
/// clamped to `Instant.earliest` / `Instant.latest`: no time in a log can lie beyond them, so
/// `--until 9999-12-31` keeps what it says. Nil only for text that is not such a time.
public func parseTimeArgument(_ text: String) -> Instant? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { raw -> Instant? in
        let t: LocalDateTime, offset: Int?
        if bytes.count == 10, let y = raw.digits(0, 4), raw.byte(4) == 0x2D, let m = raw.digits(5, 2),
           raw.byte(7) == 0x2D, let d = raw.digits(8, 2) {
            t = LocalDateTime(year: y, month: m, day: d, hour: 0, minute: 0, second: 0)
            offset = nil
        } else {
            guard let (parsed, o) = TimeParsing.iso(raw) else { return nil }
            (t, offset) = (parsed, o)
        }
        guard let year = t.year, t.isValid(year: year) else { return nil }
        if year < LocalDateTime.placeableYears.lowerBound { return Instant.earliest }
        if year > LocalDateTime.placeableYears.upperBound { return Instant.latest }
        guard let wall = t.wallNanoseconds else { return nil }
        return Instant(nanoseconds: wall - Int64(offset ?? 0) * 1_000_000_000)
    }
}
