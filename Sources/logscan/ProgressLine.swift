import ArgumentParser
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput
import LogscanReport

/// The progress line on an interactive terminal: bundles and bytes done, rate, ETA.
final class ProgressLine: @unchecked Sendable {
    // SAFETY: updates arrive from worker threads and are serialised by `lock`.
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false

    static func make(quiet: Bool) -> ProgressLine? {
        guard !quiet, isatty(2) == 1 else { return nil }
        return ProgressLine()
    }

    func update(_ p: ScanProgress) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 || p.bundlesDone == p.bundlesTotal else { return }
        lastDraw = now
        let rate = p.elapsed > 0 ? Double(p.bytesDone) / p.elapsed : 0
        var line = "\r\u{1B}[2K\(p.bundlesDone)/\(p.bundlesTotal) bundles, \(Self.size(p.bytesDone))/\(Self.size(p.bytesTotal)), \(Self.size(Int64(rate)))/s"
        if rate > 0 && p.bytesTotal > p.bytesDone {
            line += ", ETA \(Int(Double(p.bytesTotal - p.bytesDone) / rate))s"
        }
        printErrorRaw(line)
        drawn = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { printErrorRaw("\r\u{1B}[2K") }
    }

    static func size(_ bytes: Int64) -> String {
        let b = Double(bytes)
        if b >= Double(1 << 30) { return String(format: "%.1f GiB", b / Double(1 << 30)) }
        if b >= Double(1 << 20) { return String(format: "%.1f MiB", b / Double(1 << 20)) }
        return String(format: "%.0f KiB", b / 1024)
    }
}
