import ArgumentParser
import Foundation
import LogscanCore

// Exit status per cli.md: argument errors exit 2 (not ArgumentParser's default 64), help and
// version exit 0, a command's own ExitCode is passed through.
PhaseTrace.mark("main starts")
signal(SIGPIPE, SIG_IGN)
do {
    var command = try Logscan.parseAsRoot(Logscan.rewrite(Array(CommandLine.arguments.dropFirst())))
    try command.run()
    FDOutput.standardOutput.flush()
    exit(0)
} catch let code as ExitCode {
    FDOutput.standardOutput.flush()
    exit(code.rawValue)
} catch {
    FDOutput.standardOutput.flush()
    let message = Logscan.fullMessage(for: error)
    if Logscan.exitCode(for: error) == .success {
        print(message)
        exit(0)
    }
    printError(message.hasPrefix("Error:") || message.hasPrefix("logscan") ? message : "logscan: \(message)")
    exit(2)
}
