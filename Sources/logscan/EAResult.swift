#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LogscanCollect
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// The one result line, written once: by the normal path, a caught error, or a crash handler.
enum EAResult {
    /// Set once a line is out; a crash after that adds nothing.
    nonisolated(unsafe) static var written: sig_atomic_t = 0
    /// The crash line, made before any handler can need it (a handler may not allocate).
    nonisolated(unsafe) static var crashLine: UnsafeMutablePointer<CChar>? = nil

    static func emit(_ text: String) {
        guard written == 0 else { return }
        written = 1
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "</result>", with: "")
        FDOutput.standardOutput.write("<result>\(flat)</result>\n")
        FDOutput.standardOutput.flush()
    }

    static func installCrashHandlers() {
        crashLine = strdup("<result>not-diagnosable: logscan crashed</result>\n")
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig) { _ in
                if EAResult.written == 0, let line = EAResult.crashLine {
                    EAResult.written = 1
                    _ = write(1, line, strlen(line))
                }
                _exit(0)
            }
        }
    }

    /// Whether a command line asks for `collect --ea` (so an argument error still gets a line).
    static func requested(_ arguments: [String]) -> Bool {
        arguments.first == "collect" && arguments.contains("--ea")
    }
}
