import Foundation

/// Phase timestamps on standard error, for performance work: with `LOGSCAN_TRACE` set in the
/// environment, each mark writes `logscan-trace <ms since the first mark> <phase>`. Marks sit at
/// phase boundaries only (start-up, each file or part scanned, analysis steps, output), never
/// per line; unset, a mark is one test of a constant. `Benchmarks/README.md` shows their use.
public enum PhaseTrace {
    public static let enabled = ProcessInfo.processInfo.environment["LOGSCAN_TRACE"] != nil
    // SAFETY: read and written under `lock` only.
    nonisolated(unsafe) private static var origin: UInt64? = nil
    private static let lock = NSLock()

    public static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        defer { lock.unlock() }
        let start = origin ?? now
        origin = start
        let ms = Double(now - start) / 1e6
        FileHandle.standardError.write(Data("logscan-trace \(String(format: "%.2f", ms)) \(phase())\n".utf8))
    }
}
