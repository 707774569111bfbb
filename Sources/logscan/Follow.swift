import ArgumentParser
import Foundation
import LogscanCore

/// `logscan follow PATH...`: watch logs live and report as it finds.
struct Follow: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Watch logs live (tail -F) and report each event and cause as it is found.")
    @OptionGroup var options: ScanOptions
    @Argument(help: ArgumentHelp("Files, directories, or - for standard input.", valueName: "PATH"))
    var paths: [String]

    func run() throws {
        printError("logscan: follow is not available yet")
        throw ExitCode(2)
    }
}
