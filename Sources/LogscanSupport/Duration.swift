import Foundation

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
