import LogscanRules


extension TimeBasis {
    /// The basis as `TimelineEntry` stores it (its place in `allCases`), and back; -1 is none.
    /// A switch, not a dictionary: it is read for every timeline entry (a test checks it
    /// against `allCases`).
    package var code: Int8 {
        switch self {
        case .explicitOffset: 0
        case .formatUTC: 1
        case .tzOption: 2
        case .inferredZone: 3
        case .assumedZone: 4
        case .dateFromFile: 5
        }
    }
    package init?(code: Int8) {
        guard code >= 0, Int(code) < Self.allCases.count else { return nil }
        self = Self.allCases[Int(code)]
    }
}

/// How an event's time was obtained, so nobody mistakes a guess for a fact.
public enum TimeBasis: String, Sendable, Codable, CaseIterable {
    /// The line carries its UTC offset.
    case explicitOffset = "explicit-offset"
    /// The format is documented to write UTC (legacy Company Portal).
    case formatUTC = "format-utc"
    /// Local wall clock, placed in the zone given with `--tz`.
    case tzOption = "tz-option"
    /// Local wall clock, placed using UTC offsets seen in other logs of the same bundle.
    case inferredZone = "inferred-zone"
    /// Local wall clock, placed in the zone of the machine running logscan.
    case assumedZone = "assumed-zone"
    /// The line gave the time of day only (a Console row copied without its date): the date
    /// is the day of the file's modification time (moving on when the clock goes back).
    case dateFromFile = "date-from-file"
}
