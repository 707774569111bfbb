import ArgumentParser
#if canImport(Glibc)
import CMalloc
#endif
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanInput

PhaseTrace.mark("main starts")
signal(SIGPIPE, SIG_IGN)
#if canImport(Glibc)
// glibc starts by handing a freed block of 128 KiB or more straight back to the kernel and
// trimming its heap as soon as 128 KiB are free at the top, raising those limits only as large
// blocks come and go; until then the next part buffer, timeline chunk or JSON batch is new
// memory again, faulted in page by page. Starting at the limits glibc would reach at most
// (32 MiB kept for reuse, trimmed past 64 MiB) takes a 1 GiB jamf.log scan from 6,300 page
// faults to 3,000, for about 3 MiB more peak RSS. (A fixed 4 MiB is worse: a fleet scan then
// maps and unmaps its larger buffers over and over: 218,000 faults instead of 17,000.)
_ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
_ = mallopt(M_TRIM_THRESHOLD, 64 << 20)
#endif
// The arguments as given, bytes and all: a path that is not UTF-8 (a Latin-1 file name) must
// still name its file (`RawPath`); `CommandLine.arguments` has replaced such bytes with U+FFFD.
let arguments = (1..<Int(CommandLine.argc)).map { RawPath.string(fromCString: CommandLine.unsafeArgv[$0]!) }
// Exit status per cli.md: argument errors exit 2 (not ArgumentParser's default 64), help and
// version exit 0, a command's own ExitCode is passed through.
if let command = Logscan.suggestion(for: arguments) {
    printError("logscan: '\(arguments[0])' is not a command, nor a file here; did you mean \(command)?\n  (logscan --help lists the commands)")
    exit(2)
}
do {
    var command = try Logscan.parseAsRoot(Logscan.rewrite(arguments))
    try command.run()
    finishStandardOutput()
    exit(0)
} catch let code as ExitCode {
    finishStandardOutput()
    exit(code.rawValue)
} catch {
    finishStandardOutput()
    let message = Logscan.fullMessage(for: error)
    if EAResult.requested(arguments) && Logscan.exitCode(for: error) != .success {
        // A Jamf Pro extension attribute must print its line and exit 0 (cli.md).
        EAResult.emit("not-diagnosable: \(message.split(separator: "\n").first.map(String.init) ?? message)")
        exit(0)
    }
    if Logscan.exitCode(for: error) == .success {
        printOut(message)
        finishStandardOutput()
        exit(0)
    }
    printError(message.hasPrefix("Error:") || message.hasPrefix("logscan") ? message : "logscan: \(message)")
    exit(2)
}
