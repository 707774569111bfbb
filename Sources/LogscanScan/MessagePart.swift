import Foundation
import LogscanSupport
import LogscanRules

/// The message part of a line of each shape: what a template is made of (the header with its
/// times, thread and process numbers would make every line different).
public enum MessagePart {
    public static func of(shape: LogShape, line: UnsafeRawBufferPointer) -> String {
        message(shape: shape, part: UnsafeRawBufferPointer(rebasing: line[start(shape: shape, line: line)...]))
    }

    /// Where the message part of `line` starts: `of(shape:line:)` reads nothing before it, so
    /// lines with the same bytes from there on have the same message (the scanner caches
    /// templates by those bytes).
    static func start(shape: LogShape, line: UnsafeRawBufferPointer) -> Int {
        let start: Int
        switch shape {
        case .jamf:
            start = line.firstRange(of: Array("]: ".utf8)).map { $0 + 3 } ?? 0
        case .unifiedDefault:
            start = fieldStart(line, 7) ?? 0
        case .unifiedConsole:
            // type <TAB> date time offset <TAB> process <TAB> message
            start = nthByte(line, 0x09, 2).map { $0 + 1 } ?? 0
        case .unifiedConsoleTimeOnly:
            start = fieldStart(line, 3) ?? 0
        case .unifiedNDJSON:
            // The eventMessage value, wherever it is in the line (see `message`).
            start = 0
        case .companyPortalLegacy:
            start = fieldStart(line, 3) ?? 0
        case .companyPortalPipe, .houseGrammar, .companyPortalViewer:
            start = afterPipe(line, 4) ?? afterLastPipe(line) ?? 0
        case .ssoExtension:
            start = afterPipe(line, 2) ?? 0
        case .jamfServer:
            start = line.firstRange(of: Array("] - ".utf8)).map { $0 + 4 } ?? 0
        case .msal:
            // Past "MSAL <version> <OS> <version> [<stamp> - <correlation id>] ".
            let at = line.firstRange(of: Array("MSAL ".utf8)) ?? line.firstRange(of: Array("ADAL".utf8)) ?? 0
            start = line.firstRange(of: Array("] ".utf8), from: at).map { $0 + 2 } ?? 0
        case .text, .unifiedCompact, .unifiedSyslog, .unifiedJSON, .binary, .plistState:
            start = 0
        }
        return min(start, line.count)
    }

    /// The message of a line whose message part (from `start(shape:line:)`) is `part`.
    static func message(shape: LogShape, part: UnsafeRawBufferPointer) -> String {
        if shape == .unifiedNDJSON, let value = ErrorLevel.jsonValue(part, key: eventMessageKey) {
            var out: [UInt8] = []
            JSONText.unescape(value, into: &out)
            return String(decoding: out, as: UTF8.self)
        }
        var message = String(decoding: part, as: UTF8.self)
        // MSAL's own prefix: "TID=… MSAL 1.2 Mac 15 [utc time - correlation id] [MSAL] message",
        // also after a process and subsystem (unified log): keep what comes before it. Most
        // messages have no "TID=" at all, which the bytes tell far faster than `range(of:)`.
        if part.firstRange(of: tidBytes) != nil,
           let tid = message.range(of: "TID="), message[tid.upperBound...].first?.isNumber == true,
           let r = message.range(of: "] ", range: tid.upperBound..<message.endIndex) {
            var rest = message[r.upperBound...]
            if rest.hasPrefix("[MSAL] ") { rest = rest.dropFirst(7) }
            message = String(message[..<tid.lowerBound]) + rest
        }
        return message
    }

    static let eventMessageKey = Array("\"eventMessage\"".utf8)
    static let tidBytes = Array("TID=".utf8)

    static func fieldStart(_ line: UnsafeRawBufferPointer, _ index: Int) -> Int? {
        var i = 0, k = 0
        let n = line.count
        while i < n {
            while i < n && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
            if i == n { return nil }
            if k == index { return i }
            while i < n && line[i] != 0x20 && line[i] != 0x09 { i += 1 }
            k += 1
        }
        return nil
    }

    static func nthByte(_ line: UnsafeRawBufferPointer, _ byte: UInt8, _ n: Int) -> Int? {
        var seen = 0
        for i in 0..<line.count where line[i] == byte {
            seen += 1
            if seen == n { return i }
        }
        return nil
    }

    /// Just past the `n`th " | ".
    static func afterPipe(_ line: UnsafeRawBufferPointer, _ n: Int) -> Int? {
        var seen = 0, i = 1
        while i + 1 < line.count {
            if line[i] == 0x7C && line[i - 1] == 0x20 && line[i + 1] == 0x20 {
                seen += 1
                if seen == n { return i + 2 }
            }
            i += 1
        }
        return nil
    }

    static func afterLastPipe(_ line: UnsafeRawBufferPointer) -> Int? {
        var i = line.count - 2
        while i >= 1 {
            if line[i] == 0x7C && line[i - 1] == 0x20 && line[i + 1] == 0x20 { return i + 2 }
            i -= 1
        }
        return nil
    }
}
