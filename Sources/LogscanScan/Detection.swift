import LogscanPCRE2
import LogscanRules

/// Tells a file's format from its first lines (content, never the file name).
///
/// Each shape has an anchored PCRE2 pattern for its record-start lines; the shape matching the
/// most of the sampled lines wins, specific shapes before generic ones on ties. Runs once per
/// file, so clarity wins over speed here.
public final class FormatDetector: @unchecked Sendable {
    // SAFETY: immutable after init; CompiledPattern is thread-safe, Matchers are per call.
    private let shapes: [(LogShape, CompiledPattern)]
    private let houseProcess: CompiledPattern
    private let headers: CompiledPattern

    /// One detector for a process: it is immutable, and compiling its patterns is not free
    /// (planning a scan and the scan's workers use the same one).
    public static let shared = FormatDetector()

    public init() {
        func p(_ s: String) -> CompiledPattern {
            // The patterns are fixed; failing to compile them is a programming error.
            do { return try CompiledPattern(s) } catch { fatalError("detector pattern \(s): \(error)") }
        }
        let date = #"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#
        shapes = [
            // Console copies: tab-separated, or with spaces where a web page or a chat turned the
            // tabs into spaces; with the date, or with the time only.
            (.unifiedConsole, p(#"^(?:default|info|debug|error|fault|activity)[\t ]+"# + date + #"\.\d+ ?[+-]\d{4}[\t ]"#)),
            (.unifiedConsoleTimeOnly, p(#"^(?:default|info|debug|error|fault|activity)[\t ]+\d\d:\d\d:\d\d\.\d+ ?[+-]\d{4}[\t ]"#)),
            // Company Portal's log viewer export: a component name, a tab, then a pipe line.
            (.companyPortalViewer, p(#"^[^\t|]{1,80}\t"# + date + #"[.:]\d{3} \| "#)),
            (.unifiedNDJSON, p(#"^\s*\{.*"(?:eventMessage|messageType|timestamp|eventType)"\s*:"#)),
            (.unifiedDefault, p("^" + date + #"\.\d+[+-]\d{4}\s+0x[0-9a-f]+\s+\w+\s+0x[0-9a-f]+\s+\d+\s+\d+\s"#)),
            (.unifiedSyslog, p("^" + date + #"\.\d+[+-]\d{4} \S+ [^\[\]]+\[\d+\]: "#)),
            (.unifiedCompact, p("^" + date + #"\.\d{3} [A-Za-z][A-Za-z ] [^\[\]]+\[\d+:[0-9a-fA-F]+\] "#)),
            (.companyPortalLegacy, p("^" + date + #"\.\d{3}[\t ]+[A-Z]{3,5}[\t ]+com\.microsoft\."#)),
            (.companyPortalPipe, p("^" + date + #"\.\d{3} \| [\w.-]+ \| \*?\d+ \| "#)),
            (.ssoExtension, p("^" + date + #":\d{3} \| [IWEDV] \| "#)),
            (.houseGrammar, p("^" + date + #":\d{3} \| [^|]+ \| [A-Z] \| "#)),
            (.jamfServer, p("^" + date + #",\d{3} \[[A-Z ]{4,5}\] \["#)),
            (.plistState, p(#"^(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ )?plist [\w.-]+ \w+="#)),
            // An app's MSAL/ADAL log line: [app stamp] [TID=n] MSAL <version> <OS> <os version> [<UTC stamp> - <correlation id>]
            (.msal, p("^(?:" + date + #"[.,:]\d+(?: ?[+-]\d\d:?\d\d|Z)?\s+)?(?:\S+\s+){0,2}?(?:TID=\d+\s+)?(?:MSAL|ADAL)\S* \d+(?:\.\d+)+ [^\[]{1,40}\["# + date + " - ")),
            (.jamf, p(#"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-3]?\d \d\d:\d\d:\d\d .+ jamf\[\d+\]:"#)),
        ]
        houseProcess = p("^" + date + #":\d{3} \| (?i:company ?portal)"#)
        headers = p(#"^(?:Filtering the log data|Skipping (?:info|debug)|Timestamp\s|-{3,}|={3,}|\s*$)"#)
    }

    /// How many leading lines are looked at.
    public static let sampleLines = 200

    /// The format of a file whose first bytes are `sample` (any length; only whole lines count).
    public func detect(_ sample: UnsafeRawBufferPointer) -> DetectedFormat {
        if Self.looksBinary(sample) { return DetectedFormat(.binary) }
        let matcher = Matcher()
        var counts = [Int](repeating: 0, count: shapes.count)
        var considered = 0
        var companyPortalHouse = 0
        var firstNonBlank: UInt8 = 0
        var sawJSONKey = false

        var start = 0
        var lines = 0
        while start < sample.count && lines < Self.sampleLines {
            var end = start
            while end < sample.count && sample[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > start && sample[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: sample[start..<lineEnd])
            start = end + 1
            lines += 1
            if firstNonBlank == 0, let b = line.first(where: { $0 != 0x20 && $0 != 0x09 }) { firstNonBlank = b }
            if !sawJSONKey, line.firstRange(of: Array(#""eventMessage""#.utf8)) != nil
                || line.firstRange(of: Array(#""messageType""#.utf8)) != nil { sawJSONKey = true }
            if (try? matcher.matches(headers, in: line)) == true { continue }
            considered += 1
            for (index, (shape, pattern)) in shapes.enumerated() where (try? matcher.matches(pattern, in: line)) == true {
                counts[index] += 1
                if shape == .houseGrammar, (try? matcher.matches(houseProcess, in: line)) == true {
                    companyPortalHouse += 1
                }
                break
            }
        }
        if firstNonBlank == 0x5B && sawJSONKey { return DetectedFormat(.unifiedJSON) }  // [ … pretty JSON
        guard considered > 0, let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
              counts[best] > 0, counts[best] * 5 >= considered else {
            return DetectedFormat(.text)
        }
        let shape = shapes[best].0
        if shape == .houseGrammar {
            let format: LogFormat = companyPortalHouse * 2 > counts[best] ? .companyPortal : .intuneAgent
            return DetectedFormat(format: format, shape: .houseGrammar)
        }
        return DetectedFormat(shape)
    }

    /// Mostly binary: over 30 % of the first 64 KiB (of text as decoded, so after NULs were
    /// skipped) are control bytes other than tab, newline, carriage return, form feed and
    /// escape, or bytes that are not valid UTF-8. Random data and compiled files are mostly
    /// both; a log with a few Latin-1 names or a stray control byte is neither.
    static func looksBinary(_ sample: UnsafeRawBufferPointer) -> Bool {
        let n = Swift.min(sample.count, 65_536)
        guard n > 0 else { return false }
        var bad = 0
        var i = 0
        while i < n {
            let b = sample[i]
            if b < 0x80 {
                if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { bad += 1 }
                i += 1
                continue
            }
            let length = Self.utf8SequenceLength(sample, at: i, end: n)
            if length == 0 {
                bad += 1
                i += 1
            } else {
                i += length
            }
        }
        return bad * 10 > n * 3
    }

    /// The length of the valid UTF-8 sequence starting at `i` (a lead byte), or 0 when there is
    /// none. A sequence cut by the end of the sample counts as valid.
    static func utf8SequenceLength(_ bytes: UnsafeRawBufferPointer, at i: Int, end: Int) -> Int {
        let b = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        for k in 1..<length {
            guard i + k < end else { return end - i }
            let c = bytes[i + k]
            if c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xBF) { return 0 }
        }
        return length
    }
}
