import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// `logscan follow PATH...`: watch logs live (tail -F) and report as it finds.
struct Follow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Watch logs live (tail -F) and report each matched line and cause as it is found.",
        discussion: """
        Follows files (through rotation, truncation, deletion and re-creation; a path that does \
        not exist yet is waited for), directories (files created in them are picked up), and - \
        (standard input, e.g. `log stream --style ndjson … | logscan follow -`). Starts at the end \
        of existing files unless --from-start is given. Ctrl-C (or SIGTERM, or the end of standard \
        input) ends it with a summary; the exit status is as for scan.
        """
    )

    @Option(name: .customLong("format"), help: ArgumentHelp("Output format: \(ReportFormat.list(ReportFormat.live)), written as lines are read (the other formats are whole documents: use scan).", valueName: "FORMAT"))
    var liveFormat = LiveFormat(.text)

    @OptionGroup var options: ScanOptions

    @Flag(name: .long, help: "Read what the files already hold first (the timeline starts with their history), then keep following.")
    var fromStart = false

    @Argument(help: ArgumentHelp("Files, directories, or - for standard input.", valueName: "PATH"), completion: .file())
    var paths: [String]

    func run() throws {
        let (ruleSet, rulesBroken) = loadRules(extraDirectories: options.patterns)
        let rules = CompiledRules(ruleSet, prefilter: !options.noPrefilter)
        let format = liveFormat.format
        guard format.sinkType.supportsFollow else {
            printError("logscan: follow writes \(ReportFormat.list(ReportFormat.live)) as it goes; --format \(format.rawValue) is for scan")
            throw ExitCode(2)
        }
        let stop = StopFlag()
        stop.install()
        // --redact: a layer in front of the format's sink (RedactingSink) redacts all it is handed.
        let redactor = options.makeRedactor()
        let sink = options.makeSink(format: format, mode: .follow(fromStart: fromStart), paths: paths, rules: ruleSet, redactor: redactor)

        let session = LiveSession(rules: rules, options: options.analysis, maxLineLength: options.maxLineLength) { output in
            switch output {
            case .event(let e): sink.event(e)
            case .finding(let f, let device): sink.finding(f, device: device)
            case .error(let e): sink.error(e)
            case .note(let source, let message): sink.note(source: source, message: message)
            }
        }

        // Bundles as for scan: each directory argument is one; the other paths together are one.
        let directories = paths.filter { $0 != "-" && isDirectory(atPath: $0) }
        let plainBundle = paths.first { !directories.contains($0) }
        func bundle(for path: String) -> String {
            for dir in directories {
                let prefix = dir.hasSuffix("/") ? dir : dir + "/"
                if path == dir || path.hasPrefix(prefix) { return dir }
            }
            return plainBundle ?? path
        }

        sink.begin()
        var errors: [ReportError] = []
        let follower = Follower(paths: paths, fromStart: fromStart)
        follower.run(shouldStop: { stop.isSet }) { event in
            switch event {
            case .opened(let file, let path, let date, _):
                session.open(file: file, source: path, bundle: bundle(for: path), modificationDate: date,
                             startOffset: follower.readOffset(of: file) ?? 0)
            case .data(let file, let bytes):
                session.data(file: file, bytes)
            case .reset(let file, let reason):
                session.reset(file: file, reason: reason)
            case .ended:
                break
            case .tick:
                session.tick(hasUnreadBytes: { follower.hasUnreadBytes(of: $0) })
            case .error(let e):
                let report = ReportError(source: e.source, message: e.message)
                errors.append(report)
                sink.error(report)
            }
        }
        let bundles = session.finish()
        var result = ScanResult(bundles: bundles, errors: errors)
        if rulesBroken { result.errors.append(ReportError(source: "rules", message: "a rule file has errors (see standard error); the other rules were used")) }
        for b in bundles { sink.bundle(b, rendered: nil) }
        sink.finish(result)
        FDOutput.standardOutput.flush()
        if !options.writeRedactionMap(redactor) { throw ExitCode(2) }
        throw ExitCode(result.exitCode)
    }
}
