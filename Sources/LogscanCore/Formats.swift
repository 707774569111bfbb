#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The log formats logscan tells apart by content (the `inputs[].format` names of cli.md).
public enum LogFormat: String, Sendable, CaseIterable, Codable {
    case companyPortal = "company-portal"
    case jamf
    case jamfServer = "jamf-server"
    case intuneAgent = "intune-agent"
    case unifiedLog = "unified-log"
    case ssoExtension = "sso-extension"
    case text
    /// Registration state read from a preference plist (see `PlistState`).
    case plist
    /// Not a log: mostly binary data. Reported, not scanned.
    case binary
}

/// The precise line shape within a format: how records start and how their time is written.
public enum LogShape: String, Sendable, CaseIterable {
    case companyPortalLegacy      // 2020-04-27 03:07:10.363<TAB>INFO<TAB>com.microsoft.ssp.…   (UTC)
    case companyPortalPipe        // 2025-08-30 17:18:28.301 | aad | 22168 | File.swift: 9 (f()) | msg
    case houseGrammar             // 2025-08-11 16:27:57:288 | IntuneMDM-Daemon | I | 89007856 | Comp | msg
    case ssoExtension             // 2022-12-29 14:49:59:281 | I | TID=… MSAL … msg
    case jamf                     // Thu Feb 21 11:16:41 host jamf[8051]: msg
    case jamfServer               // 2020-01-13 20:09:44,384 [DEBUG] [Thread-78 ] [Logger] - msg
    case unifiedDefault           // 2023-04-13 03:31:54.896185+0400 0xe38a Default 0x0 11980 0 proc: msg
    case unifiedCompact           // 2026-08-17 16:31:59.078 Df proc[4242:714e3fa] [sub:cat] msg
    case unifiedSyslog            // 2024-10-01 16:46:37.557305+0200 host proc[2615]: (img) [sub:cat] msg
    case unifiedNDJSON            // {"timestamp":"2024-02-06 10:14:03.118204-0500",…,"eventMessage":"…"}
    case unifiedJSON              // [{ … pretty-printed objects … },{
    case unifiedConsole           // default<TAB>2020-04-26 22:06:15.055131 -0500<TAB>JamfAAD<TAB>msg
    case plistState               // 2025-03-10T15:03:20Z plist com.jamf.management.jamfAAD have_an_Azure_id=1
    case unifiedConsoleTimeOnly   // default 10:04:48.077069 +1100 JamfAAD msg   (Console, time only; spaces or tabs)
    case companyPortalViewer      // Component<TAB>2025-08-11 16:27:58:369 | E | 8900 | msg  (log viewer export)
    case msal                     // 2024-05-01 10:00:00.123 MSAL 1.2.3 macOS 14.4 [… - corr] [ERROR] msg
    case text                     // anything else: one record per line, a leading time if any
    case binary

    public var format: LogFormat {
        switch self {
        case .companyPortalLegacy, .companyPortalPipe, .companyPortalViewer: return .companyPortal
        case .msal: return .text
        case .houseGrammar: return .intuneAgent  // refined by the process column at detection
        case .ssoExtension: return .ssoExtension
        case .jamf: return .jamf
        case .jamfServer: return .jamfServer
        case .unifiedDefault, .unifiedCompact, .unifiedSyslog, .unifiedNDJSON, .unifiedJSON, .unifiedConsole,
             .unifiedConsoleTimeOnly:
            return .unifiedLog
        case .text: return .text
        case .plistState: return .plist
        case .binary: return .binary
        }
    }
}

/// A detected format: the public name and the shape that drives framing and time parsing.
public struct DetectedFormat: Sendable, Hashable {
    public var format: LogFormat
    public var shape: LogShape
    public init(format: LogFormat, shape: LogShape) { self.format = format; self.shape = shape }
    public init(_ shape: LogShape) { self.format = shape.format; self.shape = shape }
}

// MARK: - Byte helpers (no Foundation, no allocation)

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
@inline(__always) func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

extension UnsafeRawBufferPointer {
    @inline(__always) func byte(_ i: Int) -> UInt8 { i < count ? self[i] : 0 }

    /// The number written by `n` digits at `at`, or nil.
    @inline(__always) func digits(_ at: Int, _ n: Int) -> Int? {
        guard at >= 0, at + n <= count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            let b = self[i]
            guard isDigit(b) else { return nil }
            v = v * 10 + Int(b &- 0x30)
        }
        return v
    }

    /// Offset of `needle` in self at or after `from`, or nil (memchr for the first byte, then compare).
    func firstRange(of needle: [UInt8], from: Int = 0) -> Int? {
        guard let first = needle.first, count - from >= needle.count, let base = baseAddress else { return nil }
        var at = from
        let lastStart = count - needle.count
        while at <= lastStart {
            guard let hit = memchr(base + at, Int32(first), lastStart - at + 1) else { return nil }
            let offset = UnsafeRawPointer(hit) - base
            if needle.withUnsafeBytes({ memcmp(base + offset, $0.baseAddress!, needle.count) }) == 0 { return offset }
            at = offset + 1
        }
        return nil
    }
}

/// Whether a line starts with `YYYY-MM-DD` (cheap record-start test for most formats).
@inline(__always) func startsWithISODate(_ line: UnsafeRawBufferPointer) -> Bool {
    line.count >= 10 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]) && isDigit(line[3])
        && line[4] == 0x2D && isDigit(line[5]) && isDigit(line[6]) && line[7] == 0x2D
}

/// Whether a line starts with `Dow Mon ` / `Mon DD` (BSD syslog, jamf.log).
@inline(__always) func startsWithBSDDate(_ line: UnsafeRawBufferPointer) -> Bool {
    line.count >= 15 && isAlpha(line[0]) && isAlpha(line[1]) && isAlpha(line[2]) && line[3] == 0x20
        && isAlpha(line[4]) && isAlpha(line[5]) && isAlpha(line[6]) && line[7] == 0x20
}

extension LogShape {
    /// Whether `line` begins a new record (other lines continue the record before them).
    @inline(__always)
    func isRecordStart(_ line: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .jamf: return startsWithBSDDate(line)
        case .unifiedNDJSON, .text, .plistState, .binary: return true
        case .unifiedJSON:
            // Apple prints top-level objects as `[{` / `},{` at column 0; nested ones are indented.
            guard line.count >= 1 else { return false }
            if line[0] == 0x7B { return true }                                   // {
            if line.count >= 2 && (line[0] == 0x5B || line[0] == 0x2C) && line[1] == 0x7B { return true } // [{ ,{
            return line.count >= 3 && line[0] == 0x7D && line[1] == 0x2C && line[2] == 0x7B            // },{
        case .unifiedConsole:
            // A type word, a tab or spaces, then the date.
            guard let at = consoleStampStart(line) else { return false }
            return startsWithISODate(UnsafeRawBufferPointer(rebasing: line[at...]))
        case .unifiedConsoleTimeOnly:
            // A type word, a tab or spaces, then HH:MM:SS.
            guard let at = consoleStampStart(line) else { return false }
            return at + 3 < line.count && isDigit(line[at]) && isDigit(line[at + 1]) && line[at + 2] == 0x3A
        case .msal:
            return true
        case .companyPortalViewer:
            // A component name, a tab, then the stamp.
            guard let tab = memchrOffsetRaw(line, 0x09, 80) else { return false }
            return startsWithISODate(UnsafeRawBufferPointer(rebasing: line[(tab + 1)...]))
        default: return startsWithISODate(line)
        }
    }
}

/// Where the stamp of a Console row starts: past its type word (at most 9 letters) and the
/// blanks after it.
@inline(__always)
func consoleStampStart(_ line: UnsafeRawBufferPointer) -> Int? {
    guard line.count > 10, isAlpha(line[0]) else { return nil }
    var i = 1
    while i < 10 && i < line.count && isAlpha(line[i]) { i += 1 }
    guard i < line.count, line[i] == 0x20 || line[i] == 0x09 else { return nil }
    while i < line.count && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
    return i
}

@inline(__always)
func memchrOffsetRaw(_ line: UnsafeRawBufferPointer, _ byte: UInt8, _ limit: Int) -> Int? {
    let n = Swift.min(limit, line.count)
    var i = 0
    while i < n { if line[i] == byte { return i }; i += 1 }
    return nil
}
