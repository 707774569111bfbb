// libFuzzer entry points for logscan, built only by `scripts/fuzz` (LOGSCAN_FUZZ=1 in
// Package.swift adds this target; libFuzzer supplies `main`).
//
// LOGSCAN_FUZZ_TARGET picks what one input is fed to:
// - `scan`: the bytes as one log file through the whole scan (line reading, UTF-16 and NUL
//   handling, format detection, time parsing and resolution, rules, classification). The first
//   byte picks a time zone (with and without daylight saving), a --since/--until window and
//   whether the log is cut into parts for two workers, so those paths are reached too.
// - `archive`: the same bytes, but as a file whose name says archive (`input.zip`), from a seed
//   corpus of small zip / tar / gz / nested archives: the walker and libarchive.
// - `rules`: the bytes as one rule (or cause) YAML file, loaded and compiled; loading must report problems as diagnostics, never trap.
import Foundation
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput

private let target = ProcessInfo.processInfo.environment["LOGSCAN_FUZZ_TARGET"] ?? "scan"
private let workDirectory: String = {
    let dir = NSTemporaryDirectory() + "logscan-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()
private let builtinRules = CompiledRules(RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: false)]))
private let zones: [TimeZone?] = [nil, TimeZone(identifier: "America/New_York"), TimeZone(identifier: "Europe/Berlin"),
                                  TimeZone(identifier: "Australia/Sydney"), TimeZone(identifier: "UTC"),
                                  TimeZone(identifier: "Asia/Kolkata"), TimeZone(identifier: "Pacific/Chatham"),
                                  TimeZone(identifier: "America/Sao_Paulo")]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    switch target {
    case "rules": fuzzRules(data)
    case "archive": fuzzScan(data, name: "input.zip", options: AnalysisOptions(timeZone: zones[1], assumedZone: TimeZone(identifier: "UTC")!), split: false)
    default:
        let selector = data.first ?? 0
        var options = AnalysisOptions(timeZone: zones[Int(selector) % zones.count], assumedZone: TimeZone(identifier: "UTC")!,
                                      now: Date(timeIntervalSince1970: 1_780_272_000))
        if selector & 0x40 != 0 { options.since = parseTimeArgument("2020-01-01") }
        if selector & 0x80 != 0 { options.until = parseTimeArgument("2030-01-01T00:00:00Z") }
        fuzzScan(data.dropFirst(), name: "input.log", options: options, split: selector & 0x20 != 0)
    }
    return 0
}

private func fuzzScan(_ data: Data, name: String, options: AnalysisOptions, split: Bool) {
    let path = workDirectory + "/" + name
    guard FileManager.default.createFile(atPath: path, contents: data) else { fatalError("cannot write \(path)") }
    // One worker, or two with small parts so that cutting a log into parts is reached with small
    // inputs too.
    let settings = split && data.count > 256
        ? ScanPlan.Settings(jobs: 2, maxLineLength: 4096, partBytes: Int64(data.count / 2))
        : ScanPlan.Settings(jobs: 1, maxLineLength: 4096)
    let engine = ScanEngine(rules: builtinRules, options: options, limits: ArchiveLimits(), settings: settings)
    var seen = 0
    let errors = engine.run(paths: [path]) { report, _ in
        seen += 1
        // Invariants every report keeps, whatever the input.
        for finding in report.findings { precondition(finding.count >= 0) }
        for input in report.inputs { precondition(input.lines >= 0 && input.bytes >= 0) }
    }
    precondition(seen == 1 || !errors.isEmpty, "a file argument is one bundle, or an error")
}

private func fuzzRules(_ data: Data) {
    let file = PatternFile(path: "fuzz/fuzz-rule.yml", contents: String(decoding: data, as: UTF8.self))
    // Alone, not beside the built-in rules: parsing those on every input would cost the fuzzer
    // nearly all its time. Cross-file checks (unknown causes) then fire, which is fine.
    let set = RuleLoader.load(layers: [[file]])
    _ = CompiledRules(set)
}

// SwiftPM's debug build names an executable's entry point `<module>_main` and points `main` at
// it, so libFuzzer's own `main` is not linked in: start libFuzzer's driver from here instead.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                             _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                             _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

@_cdecl("logscan_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { start, size in
        guard let start else { return fuzzOneInput(UnsafeRawPointer(bitPattern: 1)!, 0) }
        return fuzzOneInput(start, size)
    }
}
