import LogscanSupport
import LogscanPrefilter
import LogscanRules
import LogscanScan
import LogscanDiagnosis

public enum JSON {
    static let null = Array("null".utf8), trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

    /// Appends `[obj,obj,…]`.
    public static func appendArray(_ objects: [JSONObject], to out: inout [UInt8]) {
        out.append(0x5B)
        for (i, o) in objects.enumerated() {
            if i > 0 { out.append(0x2C) }
            out += o.bytes
            out.append(0x7D)
        }
        out.append(0x5D)
    }

    /// A JSON string literal (see `appendString`).
    public static func string(_ s: String) -> String {
        var out: [UInt8] = []
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal: quotes, backslashes, control characters, DEL and
    /// U+2028/U+2029 escaped; everything else copied as UTF-8 bytes.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, to: &out) }) { return done }
        let bytes = Array(s.utf8)
        bytes.withUnsafeBufferPointer { appendEscaped($0, to: &out) }
    }

    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let n = bytes.count
        guard let base = bytes.baseAddress else { out += [0x22, 0x22]; return }
        // Escaped into scratch memory (at most 6 bytes per byte, plus the quotes), then
        // appended at once: one append per string instead of one per run and escape.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n * 6 + 2) { scratch in
            let o = scratch.baseAddress!
            var w = 0
            o[w] = 0x22; w += 1
            var runStart = 0
            var i = 0
            @inline(__always) func flushRun() {
                if i > runStart { (o + w).update(from: base + runStart, count: i - runStart); w += i - runStart }
            }
            while true {
                // On to the next byte that may need escaping: eight bytes at a time, the word's
                // mask telling exactly where its first such byte is; then the last few bytes.
                while i &+ 8 <= n {
                    let m = escapeMask(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self).littleEndian)
                    if m != 0 { i &+= m.trailingZeroBitCount &>> 3; break }
                    i &+= 8
                }
                if i &+ 8 > n { while i < n && !mayNeedEscape(base[i]) { i &+= 1 } }
                if i >= n { break }
                let b = base[i]
                if b >= 0x80 {
                    // Not ASCII: a well-formed UTF-8 sequence is kept (U+2028 / U+2029, E2 80 A8
                    // and E2 80 A9, escaped); anything else becomes U+FFFD, one per maximal
                    // ill-formed subpart as Swift's own decoding does, so the output is always
                    // valid UTF-8 whatever bytes the log holds.
                    let (length, valid) = utf8Sequence(base, i, n)
                    if valid {
                        if b == 0xF4 && base[i + 1] == 0x8F && base[i + 2] >= 0xBE {
                            // U+10FF80...U+10FFFF: a file name's byte that is not UTF-8 (`RawPath`).
                            flushRun()
                            o[w] = 0xEF; o[w + 1] = 0xBF; o[w + 2] = 0xBD; w += 3
                            i += 4
                            runStart = i
                        } else if b == 0xE2 && base[i + 1] == 0x80 && (base[i + 2] == 0xA8 || base[i + 2] == 0xA9) {
                            flushRun()
                            for c: UInt8 in [0x5C, 0x75, 0x32, 0x30, 0x32, base[i + 2] == 0xA8 ? 0x38 : 0x39] { o[w] = c; w += 1 }
                            i += 3
                            runStart = i
                        } else {
                            i += length
                        }
                        continue
                    }
                    flushRun()
                    o[w] = 0xEF; o[w + 1] = 0xBF; o[w + 2] = 0xBD; w += 3
                    i += length
                    runStart = i
                    continue
                }
                flushRun()
                o[w] = 0x5C
                switch b {
                case 0x22: o[w + 1] = 0x22; w += 2
                case 0x5C: o[w + 1] = 0x5C; w += 2
                case 0x0A: o[w + 1] = 0x6E; w += 2
                case 0x0D: o[w + 1] = 0x72; w += 2
                case 0x09: o[w + 1] = 0x74; w += 2
                default:
                    o[w + 1] = 0x75; o[w + 2] = 0x30; o[w + 3] = 0x30
                    o[w + 4] = hexDigits[Int(b >> 4)]; o[w + 5] = hexDigits[Int(b & 15)]
                    w += 6
                }
                i += 1
                runStart = i
            }
            flushRun()
            o[w] = 0x22; w += 1
            out.append(contentsOf: UnsafeBufferPointer(start: o, count: w))
        }
    }

    /// The high bit of each of eight bytes (little-endian) that may need escaping or checking:
    /// a control byte, `"`, `\\`, DEL, or any byte of a multi-byte UTF-8 sequence (SWAR "has a
    /// zero byte" tests on the word and on its XOR with each value, and the bytes' own high
    /// bits). Bits above the lowest may be false alarms (a borrow carries on); the lowest set
    /// bit is exact, which is what the caller uses.
    @inline(__always)
    static func escapeMask(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let below20 = (w &- ones &* 0x20) & ~w & highs
        return below20 | hasZero(w ^ (ones &* 0x22)) | hasZero(w ^ (ones &* 0x5C)) | hasZero(w ^ (ones &* 0x7F))
            | (w & highs)
    }

    /// Whether a byte may need escaping or checking: controls, `"`, `\\`, DEL, and non-ASCII.
    @inline(__always)
    static func mayNeedEscape(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C || b >= 0x7F }

    /// The UTF-8 sequence starting at `i` (whose first byte is 0x80 or more): its length and
    /// whether it is well-formed (Unicode table 3-7); when ill-formed, the length of its
    /// maximal subpart (at least 1), which becomes one U+FFFD.
    @inline(__always)
    static func utf8Sequence(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (Int, Bool) {
        let b = p[i]
        let need: Int, low: UInt8, high: UInt8
        switch b {
        case 0xC2...0xDF: need = 1; low = 0x80; high = 0xBF
        case 0xE0: need = 2; low = 0xA0; high = 0xBF
        case 0xE1...0xEC, 0xEE...0xEF: need = 2; low = 0x80; high = 0xBF
        case 0xED: need = 2; low = 0x80; high = 0x9F
        case 0xF0: need = 3; low = 0x90; high = 0xBF
        case 0xF1...0xF3: need = 3; low = 0x80; high = 0xBF
        case 0xF4: need = 3; low = 0x80; high = 0x8F
        default: return (1, false)
        }
        var k = 1
        while k <= need {
            guard i + k < n else { return (k, false) }
            let c = p[i + k]
            let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
            guard c >= lo && c <= hi else { return (k, false) }
            k += 1
        }
        return (need + 1, true)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    // MARK: contract objects

    public static func input(_ i: InputReport) -> JSONObject {
        var o = JSONObject()
        o.add("source", i.source)
        o.add("bundle", i.bundle)
        o.add("format", i.format)
        o.add("lines", i.lines)
        o.add("bytes", i.bytes)
        o.add("error", i.error)
        o.add("truncated_lines", i.truncatedLines)
        o.add("nul_bytes_skipped", i.nulBytesSkipped)
        o.add("skipped", i.skipped)
        return o
    }

    /// An evidence line (`withBundle` adds the keys a timeline entry carries).
    public static func event(_ e: Event, timelineEntry: Bool) -> JSONObject {
        var o = JSONObject()
        o.add("time", time: e.time)
        if timelineEntry { o.add("bundle", e.bundle) }
        o.add("source", e.source)
        o.add("line", e.line)
        o.add("rule", e.rule)
        if timelineEntry { o.add("cause", e.cause) }
        o.add("text", e.text)
        o.add("format", e.format.rawValue)
        o.add("time_basis", e.timeBasis?.rawValue)
        o.add("year_inferred", e.yearInferred)
        let notes = EvidenceNotes.shared.map { $0.notes(rule: e.rule, text: e.text, captures: e.captures) }
        let captures = notes?.captures ?? e.captures
        if !captures.isEmpty { o.add("captures", rawBytes: Self.captures(captures)) }
        if let codes = notes?.codes, !codes.isEmpty { o.add("codes", rawBytes: Self.codes(codes)) }
        return o
    }

    /// `{"name":"value",…}` with the names sorted.
    public static func captures(_ captures: [String: String]) -> [UInt8] {
        var c = JSONObject()
        for key in captures.keys.sorted() { c.addDynamic(key, captures[key]) }
        return c.closed
    }

    /// The catalog explanations of a line's codes: `[{"catalog":…,"code":…,"meaning":…},…]`.
    public static func codes(_ entries: [CodeEntry]) -> [UInt8] {
        var out: [UInt8] = []
        JSON.appendArray(entries.map(code), to: &out)
        return out
    }

    public static func code(_ e: CodeEntry) -> JSONObject {
        var o = JSONObject()
        o.add("catalog", e.catalog)
        o.add("code", e.display)
        o.add("number", e.code)
        if let name = e.name { o.add("name", name) }
        o.add("meaning", e.meaning)
        o.add("cause", e.cause)
        if let category = e.category { o.add("category", category) }
        if let next = e.next { o.add("next", next) }
        o.add("source", e.source)
        return o
    }

    public static func finding(_ f: Finding, device: String?) -> JSONObject {
        var o = JSONObject()
        o.add("cause", f.cause)
        o.add("title", f.title)
        o.add("severity", f.severity.rawValue)
        o.add("bundle", f.bundle)
        if let device { o.add("device", device) }
        o.add("first_seen", time: f.firstSeen)
        o.add("last_seen", time: f.lastSeen)
        o.add("count", f.count)
        o.add("evidence", objects: f.evidence.map { event($0, timelineEntry: false) })
        o.add("fix", strings: f.fix)
        o.add("reason", f.reason)
        if let root = f.consequenceOf { o.add("consequence_of", root) }
        return o
    }

    /// One kind of unrecognized error (cli.md, "Unrecognized errors").
    public static func unrecognized(_ k: UnrecognizedKind, bundle: String) -> JSONObject {
        var o = JSONObject()
        o.add("bundle", bundle)
        o.add("template", k.template.text)
        o.add("level", k.level)
        o.add("count", k.count)
        o.add("first_seen", time: k.firstSeen)
        o.add("last_seen", time: k.lastSeen)
        var example = JSONObject()
        example.add("source", k.exampleSource)
        example.add("line", k.exampleLine)
        example.add("text", k.exampleText)
        o.add("example", object: example)
        return o
    }

    public static func error(_ e: ReportError) -> JSONObject {
        var o = JSONObject()
        o.add("source", e.source)
        o.add("message", e.message)
        return o
    }

    public static func bundle(_ b: BundleReport) -> JSONObject {
        var o = JSONObject()
        o.add("name", b.name)
        o.add("device", b.device)
        o.add("causes", strings: b.findings.map(\.cause))
        o.add("time_notes", strings: b.timeNotes)
        o.add("not_diagnosable", b.notDiagnosable)
        return o
    }
}
