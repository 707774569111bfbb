import Foundation
import LogscanInput

/// Progress of a batch scan, for the terminal progress line.
public struct ScanProgress: Sendable {
    public var bundlesDone: Int
    public var bundlesTotal: Int
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var elapsed: TimeInterval
}

/// Runs `scan`: plans bundles, reads every input on `jobs` workers, analyses each bundle.
///
/// Work is split by bundle root (an archive, a directory, a plain file named on the command
/// line), so a fleet of archives and several large files named together both use every core.
/// Results are put back in plan order, so the report is identical whatever `jobs` is.
public final class ScanEngine: @unchecked Sendable {
    // SAFETY: configuration is immutable; mutable progress is guarded by `lock`.
    public let rules: CompiledRules
    public let analyzer: BundleAnalyzer
    public let limits: ArchiveLimits
    public let jobs: Int
    public let maxLineLength: Int
    private let detector = FormatDetector()
    private let lock = NSLock()

    public init(rules: CompiledRules, options: AnalysisOptions, limits: ArchiveLimits, jobs: Int, maxLineLength: Int = 1 << 20) {
        self.rules = rules
        self.analyzer = BundleAnalyzer(rules: rules, options: options)
        self.limits = limits
        self.jobs = max(1, jobs)
        self.maxLineLength = maxLineLength
    }

    private struct WorkItem: Sendable {
        var bundle: Int
        var rootIndex: Int
        var plan: BundlePlan
        var diskBytes: Int64
    }

    /// Scans `paths`. `onBundle` is called with each bundle's report, in plan order, as soon as
    /// it and every bundle before it are done.
    public func run(paths: [String], progress: (@Sendable (ScanProgress) -> Void)? = nil,
                    onBundle: (BundleReport) -> Void) -> [ReportError] {
        let (plans, planErrors) = planBundles(paths: paths)
        var items: [WorkItem] = []
        for (b, plan) in plans.enumerated() {
            for (r, root) in plan.roots.enumerated() {
                let sub = BundlePlan(name: plan.name, roots: [root], deviceHint: plan.deviceHint)
                items.append(WorkItem(bundle: b, rootIndex: r, plan: sub, diskBytes: Self.diskSize(root)))
            }
        }
        // Largest first keeps both cores busy until the end.
        let order = items.indices.sorted { (items[$0].diskBytes, -$0) > (items[$1].diskBytes, -$1) }
        let totalBytes = items.reduce(0) { $0 + $1.diskBytes }
        var results = [[FileResult]](repeating: [], count: items.count)
        var itemErrors = [[ReportError]](repeating: [], count: items.count)
        var remaining = plans.map { plan in plan.roots.count }
        var finished = [Bool](repeating: false, count: plans.count)
        var bundlesDone = 0
        var bytesDone: Int64 = 0
        var next = 0
        var emitted = 0
        var ready: [Int: BundleReport] = [:]
        let start = Date()

        // Bundles with no roots cannot happen, but keep the bookkeeping honest.
        for (b, n) in remaining.enumerated() where n == 0 { finished[b] = true }

        let workers = min(jobs, max(1, items.count))
        var pendingReports: [(Int, BundleReport)] = []
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let scanner = SourceScanner(rules: rules, detector: detector, maxLineLength: maxLineLength)
            while true {
                lock.lock()
                guard next < order.count else { lock.unlock(); break }
                let index = order[next]
                next += 1
                lock.unlock()

                let item = items[index]
                var files: [FileResult] = []
                var errors: [ReportError] = []
                var k = 0
                enumerateLeaves(of: item.plan, limits: limits, visit: { leaf in
                    let fileIndex = item.rootIndex * 10_000_000 + k
                    k += 1
                    files.append(scanner.scan(source: leaf.source, bundle: item.plan.name, fileIndex: fileIndex,
                                              stream: leaf.stream, modificationDate: leaf.modificationDate))
                }, error: { e in
                    errors.append(ReportError(source: e.source, message: e.message))
                })

                lock.lock()
                results[index] = files
                itemErrors[index] = errors
                bytesDone += item.diskBytes
                remaining[item.bundle] -= 1
                let bundleComplete = remaining[item.bundle] == 0
                lock.unlock()

                if bundleComplete {
                    // Analyse outside the lock: every item of this bundle is done.
                    let plan = plans[item.bundle]
                    var bundleFiles: [FileResult] = []
                    var bundleErrors: [ReportError] = []
                    lock.lock()
                    for i in items.indices where items[i].bundle == item.bundle {
                        bundleFiles += results[i]
                        bundleErrors += itemErrors[i]
                        results[i] = []
                    }
                    lock.unlock()
                    let report = analyzer.analyze(name: plan.name, deviceHint: plan.deviceHint,
                                                  files: bundleFiles, errors: bundleErrors)
                    lock.lock()
                    pendingReports.append((item.bundle, report))
                    finished[item.bundle] = true
                    bundlesDone += 1
                    let snapshot = ScanProgress(bundlesDone: bundlesDone, bundlesTotal: plans.count, bytesDone: bytesDone,
                                                bytesTotal: totalBytes, elapsed: Date().timeIntervalSince(start))
                    lock.unlock()
                    progress?(snapshot)
                }
            }
        }
        for (b, report) in pendingReports { ready[b] = report }
        while emitted < plans.count, let report = ready[emitted] {
            onBundle(report)
            emitted += 1
        }
        return planErrors.map { ReportError(source: $0.source, message: $0.message) }
    }

    static func diskSize(_ root: BundlePlan.Root) -> Int64 {
        switch root {
        case .file(let path), .archive(let path):
            return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        case .directory(let path):
            var total: Int64 = 0
            if let walker = FileManager.default.enumerator(atPath: path) {
                for case let relative as String in walker {
                    let attributes = try? FileManager.default.attributesOfItem(atPath: (path as NSString).appendingPathComponent(relative))
                    if attributes?[.type] as? FileAttributeType == .typeRegular { total += (attributes?[.size] as? Int64) ?? 0 }
                }
            }
            return total
        case .standardInput:
            return 0
        }
    }
}
