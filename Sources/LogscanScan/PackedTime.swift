import LogscanSupport
import LogscanRules


/// A `RecordTime` in 16 bytes. `a`: year+1 (0: none) in bits 0–15, month 16–19, day 20–24,
/// hour 25–29, minute 30–35, second 36–41, weekday+1 (0: none) 42–45, zone kind 46–47
/// (0: no time, 1: local, 2: UTC, 3: offset). `b`: nanoseconds in bits 0–31, offset seconds
/// (signed) in bits 32–63. A time whose fields do not fit is not a valid clock reading and
/// packs as no time.
package struct PackedTime {
    package var a: Int64
    package var b: Int64

    package init(a: Int64, b: Int64) { self.a = a; self.b = b }

    package init(_ t: RecordTime?) {
        a = 0; b = 0
        guard let t else { return }
        let l = t.local
        let year = l.year.map { $0 + 1 } ?? 0
        let weekday = l.weekday.map { $0 + 1 } ?? 0
        guard (0..<0xFFFF).contains(year), (0...15).contains(l.month), (0...31).contains(l.day), (0...31).contains(l.hour),
              (0...63).contains(l.minute), (0...63).contains(l.second), (0...15).contains(weekday),
              (0..<(1 << 31)).contains(l.nanosecond) else { return }
        var kind: Int64 = 1
        var offset: Int64 = 0
        switch t.zone {
        case .local: kind = 1
        case .utc: kind = 2
        case .offset(let o):
            guard let o32 = Int32(exactly: o) else { return }
            kind = 3; offset = Int64(o32)
        }
        a = Int64(year) | Int64(l.month) << 16 | Int64(l.day) << 20 | Int64(l.hour) << 25 | Int64(l.minute) << 30
            | Int64(l.second) << 36 | Int64(weekday) << 42 | kind << 46
            | (t.dateFromContext ? 1 << 48 : 0)
        b = Int64(l.nanosecond) | offset << 32
    }

    package var recordTime: RecordTime? {
        let kind = (a >> 46) & 3
        guard kind != 0 else { return nil }
        func field(_ shift: Int64, _ bits: Int64) -> Int { Int((a >> shift) & ((1 << bits) - 1)) }
        let year = field(0, 16), weekday = field(42, 4)
        let local = LocalDateTime(year: year == 0 ? nil : year - 1, month: field(16, 4), day: field(20, 5),
                                  hour: field(25, 5), minute: field(30, 6), second: field(36, 6),
                                  nanosecond: Int(b & 0xFFFF_FFFF), weekday: weekday == 0 ? nil : weekday - 1)
        let zone: ZoneInfo
        switch kind {
        case 1: zone = .local
        case 2: zone = .utc
        default: zone = .offset(Int(b >> 32))
        }
        var t = RecordTime(local: local, zone: zone)
        t.dateFromContext = (a >> 48) & 1 != 0
        return t
    }
}
