import Foundation

@inline(__always)
package func pad(_ value: Int, _ width: Int) -> String {
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
    package var number = Int.min
    package var prefix: (UInt64, UInt64) = (0, 0)

    public init() {}

    package init(_ days: Int) {
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
