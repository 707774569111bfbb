import ArgumentParser
import Foundation

// Argument errors exit 2 (cli.md), not ArgumentParser's default 64; help and version exit 0.
signal(SIGPIPE, SIG_IGN)
do {
    var command = try Logscan.parseAsRoot(Logscan.rewrite(Array(CommandLine.arguments.dropFirst())))
    do {
        try command.run()
        FDOutput.standardOutput.flush()
        exit(0)
    } catch let exit as ExitCode {
        FDOutput.standardOutput.flush()
        Foundation.exit(exit.rawValue)
    } catch {
        FDOutput.standardOutput.flush()
        printError("logscan: \(error)")
        exit(2)
    }
} catch {
    let code = Logscan.exitCode(for: error)
    let message = Logscan.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    printError("logscan: \(message)")
    exit(2)
}
