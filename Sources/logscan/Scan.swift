import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// `logscan scan PATH...`: diagnose files, directories and archives, then report.
struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Diagnose log files, directories and archives, then report (the default command).",
        discussion: """
        PATH is a log file, a compressed log (.gz, .bz2, .xz), an archive (.zip, .tar, .tar.gz/.tgz, \
        nested in any combination), a directory (walked recursively), or - for standard input. \
        Plain files named together are one Mac; each directory argument is one Mac; each archive \
        met on disk is one Mac.
        """
    )

    @Option(name: .long, help: ArgumentHelp("Output format: \(ReportFormat.list(ReportFormat.allCases)) (html: one self-contained page; markdown: for tickets).", valueName: "FORMAT"))
    var format: ReportFormat = .text

    @OptionGroup var options: ScanOptions

    @Argument(help: ArgumentHelp("Logs, archives or directories to scan (- for standard input).", valueName: "PATH"), completion: .file())
    var paths: [String]

    func run() throws {
        PhaseTrace.mark("scan command starts")
        // What to read (and which large logs to cut into parts) is worked out while the rules load.
        let settings = ScanPlan.Settings(jobs: options.jobs, maxLineLength: options.maxLineLength)
        let planning = ScanPlan.start(paths: paths, settings: settings)
        let (ruleSet, rulesBroken) = loadRules(extraDirectories: options.patterns)
        PhaseTrace.mark("rules loaded")
        let rules = CompiledRules(ruleSet, prefilter: !options.noPrefilter)
        defer { PhaseTrace.mark("report written") }
        let engine = ScanEngine(rules: rules, options: options.analysis, limits: options.limits, settings: settings)
        let progress = ProgressLine.make(quiet: options.quiet)
        var bundles: [BundleReport] = []
        var onProgress: (@Sendable (ScanProgress) -> Void)? = nil
        if let progress { onProgress = { progress.update($0) } }
        // --redact: a layer in front of the format's sink (RedactingSink) redacts all it is handed.
        let redactor = options.makeRedactor()
        let sink = options.makeSink(format: format, mode: .scan, paths: paths, rules: ruleSet, redactor: redactor)
        sink.begin()
        // Each bundle is rendered on the worker that analysed it (when the format renders ahead);
        // its events are then dropped, so a fleet's millions of timeline entries are never all in
        // memory.
        let planErrors = engine.run(plan: planning.wait(), progress: onProgress, render: sink.bundleRenderer) { report, rendered in
            var kept = report
            kept.timeline = []
            bundles.append(kept)
            sink.bundle(report, rendered: rendered)
        }
        progress?.finish()
        var result = ScanResult(bundles: bundles, errors: planErrors)
        if rulesBroken { result.errors.append(ReportError(source: "rules", message: "a rule file has errors (see standard error); the other rules were used")) }
        sink.finish(result)
        FDOutput.standardOutput.flush()
        // Every error also reaches standard error, whatever the format: a script that keeps
        // the report (or a CSV, which has no place for them) still sees them. Text on a
        // terminal already shows them at the end of the report. With --redact they are
        // redacted too, with the report's pseudonyms.
        if format != .text || isatty(1) == 0 || isatty(2) == 0 {
            for error in result.allErrors {
                let e = redactor?.redact(error) ?? error
                printError("logscan: \(TerminalText.escaped(e.source)): \(TerminalText.escaped(e.message))")
            }
        }
        if !options.writeRedactionMap(redactor) { throw ExitCode(2) }
        throw ExitCode(result.exitCode)
    }
}
