import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import LogscanReport

/// A buffered writer on a file descriptor (standard output or error), flushed on demand.
final class FDOutput: ReportOutput, @unchecked Sendable {
    // SAFETY: used from one thread at a time (the command's own); stderr writes are whole lines.
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let limit: Int

    init(fd: Int32, bufferSize: Int = 1 << 16) {
        self.fd = fd
        self.limit = bufferSize
        buffer.reserveCapacity(bufferSize)
    }

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= limit { flush() }
    }

    func write(bytes: [UInt8]) {
        buffer += bytes
        if buffer.count >= limit { flush() }
    }

    /// Bytes the caller keeps: a large piece goes straight to the descriptor, uncopied.
    func write(raw: UnsafeRawBufferPointer) {
        if raw.count < limit {
            buffer.append(contentsOf: raw)
            if buffer.count >= limit { flush() }
            return
        }
        flush()
        writeAll(raw)
    }

    func flush() {
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < raw.count {
            let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                if fd == 2 { return }  // nowhere left to say so
                outputFailed(errno: errno)
            }
            offset += n
        }
    }

    static let standardOutput = FDOutput(fd: 1)
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}

/// A write of the report failed (cli.md): a reader that closed the pipe (`logscan … | head`)
/// ends logscan quietly with status 0, as ripgrep and gzip do; any other failure (a full disk,
/// an I/O error) is exit 2 with a message, since the report is incomplete.
func outputFailed(errno code: Int32) -> Never {
    if code == EPIPE { exit(0) }
    let message = "logscan: cannot write the report to standard output: \(String(cString: strerror(code)))\n"
    message.utf8CString.withUnsafeBytes { raw in
        _ = systemWrite(2, raw.baseAddress!, raw.count - 1)
    }
    exit(2)
}

/// Flushes what the command wrote to standard output; a failure is handled as
/// `outputFailed` says. Every command writes through `FDOutput.standardOutput` (`printOut`), so
/// this sees every write.
func finishStandardOutput() {
    FDOutput.standardOutput.flush()
}

/// `print` to standard output through `FDOutput`, so that a failed write is never ignored.
func printOut(_ text: String, terminator: String = "\n") {
    FDOutput.standardOutput.write(text)
    FDOutput.standardOutput.write(terminator)
}

/// Columns to lay the text report out in: the terminal's width when standard output is one,
/// else `$COLUMNS`, else 80; never under 40.
func terminalWidth(fd: Int32 = 1, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
    if isatty(fd) == 1 {
        var size = winsize()
        #if canImport(Glibc)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        if ioctl(fd, request, &size) == 0, size.ws_col > 0 { return max(40, Int(size.ws_col)) }
    }
    if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 { return max(40, columns) }
    return 80
}
