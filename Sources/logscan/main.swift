import ArgumentParser
import Foundation

// Argument errors exit 2 (cli.md), not ArgumentParser's default 64; help and version exit 0.
setvbuf(stdout, nil, _IOFBF, 1 << 16)
do {
    var command = try Logscan.parseAsRoot(Logscan.rewrite(Array(CommandLine.arguments.dropFirst())))
    do {
        if var runnable = command as? AsyncParsableCommand {
            _ = runnable
            fatalError("no async commands")
        }
        try command.run()
        fflush(stdout)
        exit(0)
    } catch let exit as ExitCode {
        fflush(stdout)
        Foundation.exit(exit.rawValue)
    } catch {
        fflush(stdout)
        FileHandle.standardError.write(Data("logscan: \(error)\n".utf8))
        exit(2)
    }
} catch {
    let code = Logscan.exitCode(for: error)
    let message = Logscan.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    FileHandle.standardError.write(Data("logscan: \(message)\n".utf8))
    exit(2)
}
