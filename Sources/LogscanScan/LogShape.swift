#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LogscanRules

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
