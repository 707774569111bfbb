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

/// `logscan collect --ea`: a Jamf Pro extension attribute. Whatever happens it prints exactly
/// one `<result>…</result>` line and exits 0 (a failing EA shows as blank in inventory).
struct ExtensionAttribute {
    let command: Collect

    /// Share of the budget collection may use; the rest is for the diagnosis.
    static let collectShare = 0.6

    func run() -> Never {
        EAResult.installCrashHandlers()
        // Never prompt: nothing below (nor `log`) may wait on standard input.
        let null = open("/dev/null", O_RDONLY)
        if null >= 0 { dup2(null, 0); close(null) }
        let start = Date()
        let deadline = start.addingTimeInterval(command.timeBudget)
        var temporary: String? = nil
        let result: String
        do {
            let dir = try Self.makeTemporaryDirectory()
            temporary = dir
            var options = command.collectorOptions
            options.deadline = start.addingTimeInterval(command.timeBudget * Self.collectShare)
            let outcome = try Collector(options: options).collect(into: .directory(dir))
            result = diagnose(dir, manifest: outcome.manifest, deadline: deadline)
        } catch {
            result = "not-diagnosable: \(error.source): \(error.message)"
        }
        if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
        EAResult.emit(result)
        exit(0)
    }

    static func makeTemporaryDirectory() throws(InputError) -> String {
        var template = Array((NSTemporaryDirectory() + "logscan-ea.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw InputError(source: NSTemporaryDirectory(), message: "cannot make a temporary directory")
        }
        return String(cString: made)
    }

    /// The result text for the collection in `dir`, or a time-out note past `deadline`.
    func diagnose(_ dir: String, manifest: CollectionManifest, deadline: Date) -> String {
        let box = ReportBox()
        let options = command.options
        let thread = Thread {
            let (ruleSet, broken) = loadRules(extraDirectories: options.patterns)
            if broken { box.set(failure: "a rule file has errors") }
            let engine = ScanEngine(rules: CompiledRules(ruleSet, prefilter: true), options: options.analysis,
                                    limits: options.limits, jobs: options.jobs)
            var reports: [BundleReport] = []
            _ = engine.run(paths: [dir]) { report, _ in reports.append(report) }
            box.set(reports: reports)
        }
        thread.start()
        guard box.wait(until: deadline) else {
            return "not-diagnosable: the time budget of \(Int(command.timeBudget)) s ran out while diagnosing"
        }
        if let failure = box.failure { return "not-diagnosable: \(failure)" }
        return Self.summarize(box.reports, manifest: manifest)
    }

    /// Formats logscan reads (everything but plain text and binary data).
    static let diagnosableFormats: Set<String> = Set(LogFormat.allCases.map(\.rawValue)).subtracting(["text", "binary"])

    static func summarize(_ reports: [BundleReport], manifest: CollectionManifest) -> String {
        let inputs = reports.flatMap(\.inputs)
        guard inputs.contains(where: { diagnosableFormats.contains($0.format) && $0.lines > 0 }) else {
            let reasons = manifest.unifiedLog.first.map { "; log show: \($0.status)" } ?? ""
            return "not-diagnosable: none of the logs logscan reads were found under \(manifest.root)\(reasons)"
        }
        let findings = reports.flatMap(\.findings).sorted {
            if $0.severity != $1.severity { return $0.severity > $1.severity }
            return ($0.firstSeen?.nanoseconds ?? .max) < ($1.firstSeen?.nanoseconds ?? .max)
        }
        var seen = Set<String>()
        let causes = findings.map(\.cause).filter { seen.insert($0).inserted }
        return causes.isEmpty ? "healthy" : causes.joined(separator: ",")
    }

    final class ReportBox: @unchecked Sendable {
        // SAFETY: every field is read and written under `condition`'s lock.
        private let condition = NSCondition()
        private var _reports: [BundleReport]? = nil
        private var _failure: String? = nil

        func set(reports: [BundleReport]) {
            condition.lock(); _reports = reports; condition.broadcast(); condition.unlock()
        }
        func set(failure: String) {
            condition.lock(); _failure = failure; condition.unlock()
        }
        func wait(until deadline: Date) -> Bool {
            condition.lock(); defer { condition.unlock() }
            while _reports == nil {
                if !condition.wait(until: deadline) { return _reports != nil }
            }
            return true
        }
        var reports: [BundleReport] { condition.lock(); defer { condition.unlock() }; return _reports ?? [] }
        var failure: String? { condition.lock(); defer { condition.unlock() }; return _failure }
    }
}
