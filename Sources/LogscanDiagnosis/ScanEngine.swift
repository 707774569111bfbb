import Foundation
import LogscanInput
import LogscanSupport
import LogscanRules
import LogscanScan

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
    /// Workers, line cap, entry chunks in memory and part size: what plans are made with too.
    public let settings: ScanPlan.Settings
    public var jobs: Int { settings.jobs }
    public var maxLineLength: Int { settings.maxLineLength }
    /// Timeline entry chunks (8192 entries each) a list keeps in memory before it moves to a
    /// temporary file (see `EntryList`).
    public var entryMemoryChunks: Int { settings.entryMemoryChunks }
    private let detector = FormatDetector.shared

    public init(rules: CompiledRules, options: AnalysisOptions, limits: ArchiveLimits, settings: ScanPlan.Settings) {
        self.rules = rules
        self.analyzer = BundleAnalyzer(rules: rules, options: options, entryMemoryChunks: settings.entryMemoryChunks,
                                       timelineLimits: settings.timelineLimits)
        self.limits = limits
        self.settings = settings
    }

    /// - Parameter partBytes: the size of the parts a large log is split into; nil: chosen from
    ///   the logs' sizes.
    public convenience init(rules: CompiledRules, options: AnalysisOptions, limits: ArchiveLimits, jobs: Int,
                            maxLineLength: Int = 1 << 20, entryMemoryChunks: Int = EntryList.defaultMemoryChunks,
                            partBytes: Int64? = nil) {
        self.init(rules: rules, options: options, limits: limits,
                  settings: ScanPlan.Settings(jobs: jobs, maxLineLength: maxLineLength,
                                              entryMemoryChunks: entryMemoryChunks, partBytes: partBytes))
    }

    private struct WorkItem: Sendable {
        var bundle: Int
        var rootIndex: Int
        var plan: BundlePlan
        var diskBytes: Int64
        /// A part of a large log split across workers, instead of the whole root.
        var part: (file: SplitFile, index: Int)? = nil
    }

    /// Parts of a split log: about this many per worker across the logs split, so the workers
    /// finish close together (the last part is the most one can wait for another).
    static let partsPerWorker: Int64 = 24
    static let minPartBytes: Int64 = 4 << 20
    static let maxPartBytes: Int64 = 16 << 20

    /// The plain files named as roots that are worth splitting into parts, when there is more
    /// than one worker: by bundle and root index.
    static func planSplits(_ plans: [BundlePlan], settings: ScanPlan.Settings) -> [Int: [Int: SplitFile]] {
        guard settings.jobs > 1 else { return [:] }
        var candidates: [(bundle: Int, root: Int, path: String)] = []
        var total: Int64 = 0
        for (b, plan) in plans.enumerated() {
            for (r, root) in plan.roots.enumerated() {
                guard case .file(let path) = root, let size = regularFileSize(atPath: path),
                      size >= 2 * (settings.partBytes ?? minPartBytes) else { continue }
                candidates.append((b, r, path))
                total += size
            }
        }
        guard !candidates.isEmpty else { return [:] }
        let partBytes = settings.partBytes
            ?? min(maxPartBytes, max(minPartBytes, total / (Int64(settings.jobs) * partsPerWorker)))
        let readSize = SourceScanner.readSize(maxLineLength: settings.maxLineLength)
        let detector = FormatDetector.shared
        // Each plan reads the file's first MiB and detects its format: files side by side.
        let planned = UnsafeMutableBufferPointer<SplitFile?>.allocate(capacity: candidates.count)
        defer { planned.deallocate() }
        let slots = SharedSlots(planned)
        let chosen = candidates
        DispatchQueue.concurrentPerform(iterations: candidates.count) { i in
            let c = chosen[i]
            // Each iteration initializes its own slot only.
            (slots.buffer.baseAddress! + i).initialize(to: SplitFile.plan(
                path: c.path, bundle: plans[c.bundle].name, fileIndex: c.root * fileIndexStride, detector: detector,
                partBytes: partBytes, readSize: readSize, entryMemoryChunks: settings.entryMemoryChunks))
        }
        var splits: [Int: [Int: SplitFile]] = [:]
        for (i, c) in candidates.enumerated() {
            if let split = (planned.baseAddress! + i).move() { splits[c.bundle, default: [:]][c.root] = split }
        }
        return splits
    }

    /// What this engine would make of `paths` (see `ScanPlan`).
    public func plan(paths: [String]) -> ScanPlan {
        ScanPlan(paths: paths, settings: settings)
    }

    /// A file's index in its bundle: its root's index times this, plus its place in the root's walk.
    static let fileIndexStride = 10_000_000

    /// Scans `paths`. `onBundle` is called on the calling thread with each bundle's report, in
    /// plan order, as soon as it and every bundle before it are done.
    ///
    /// `render`, when given and there are several bundles, runs on the worker that analysed the
    /// bundle (so rendering uses every core too) and writes into a `SpillBuffer` that comes with
    /// the report, whose timeline is then dropped (the rendered bytes are all the caller needs
    /// of it, and they wait in a temporary file past a few MiB, so a fleet's timelines are never
    /// held in memory). Otherwise `onBundle` gets nil and the full report.
    public func run(paths: [String], progress: (@Sendable (ScanProgress) -> Void)? = nil,
                    render: (@Sendable (BundleReport, SpillBuffer) -> Void)? = nil,
                    onBundle: (BundleReport, SpillBuffer?) -> Void) -> [ReportError] {
        run(plan: plan(paths: paths), progress: progress, render: render, onBundle: onBundle)
    }

    /// Scans what `plan` found (made with this engine's `settings`), as `run(paths:)` does.
    public func run(plan scanPlan: ScanPlan, progress: (@Sendable (ScanProgress) -> Void)? = nil,
                    render: (@Sendable (BundleReport, SpillBuffer) -> Void)? = nil,
                    onBundle: (BundleReport, SpillBuffer?) -> Void) -> [ReportError] {
        precondition(scanPlan.settings == settings, "a scan plan is made with the engine's settings")
        let plans = scanPlan.bundles, planErrors = scanPlan.errors, splits = scanPlan.splits
        var items: [WorkItem] = []
        for (b, plan) in plans.enumerated() {
            for (r, root) in plan.roots.enumerated() {
                let sub = BundlePlan(name: plan.name, roots: [root], deviceHint: plan.deviceHint)
                if let split = splits[b]?[r] {
                    for (k, range) in split.parts.enumerated() {
                        items.append(WorkItem(bundle: b, rootIndex: r, plan: sub, diskBytes: Int64(range.count), part: (split, k)))
                    }
                } else {
                    items.append(WorkItem(bundle: b, rootIndex: r, plan: sub, diskBytes: Self.diskSize(root)))
                }
            }
        }
        let workers = min(jobs, max(1, items.count))
        let state = RunState(plans: plans, items: items, workers: workers)
        let group = DispatchGroup()
        for _ in 0..<workers {
            DispatchQueue.global().async(group: group) { [self] in
                // One bundle: nothing to overlap, so the caller renders it straight from its
                // events (rendering here would hold events and bytes at once).
                self.work(state, progress: progress, render: plans.count > 1 ? render : nil)
            }
        }
        // Hand out reports in plan order while the workers go on.
        for b in plans.indices {
            let (report, rendered) = state.waitForReport(b)
            PhaseTrace.mark("bundle \(b) handed out")
            onBundle(report, rendered)
            PhaseTrace.mark("bundle \(b) written")
        }
        group.wait()
        return planErrors.map { ReportError(source: $0.source, message: $0.message) }
    }

    private func work(_ state: RunState, progress: (@Sendable (ScanProgress) -> Void)?,
                      render: (@Sendable (BundleReport, SpillBuffer) -> Void)?) {
        let scanner = SourceScanner(rules: rules, detector: detector, maxLineLength: maxLineLength,
                                    entryMemoryChunks: entryMemoryChunks)
        while let index = state.nextItem() {
            let item = state.items[index]
            PhaseTrace.mark("item \(index) scan starts")
            var files: [FileResult] = []
            var errors: [ReportError] = []
            var manifest: CollectionManifest? = nil
            var skipped: [InputReport] = []
            if let (split, k) = item.part {
                // The file's result comes with its last part to be assembled, whichever that is.
                if let file = split.add(scanner.scan(part: k, of: split), at: k, spare: &scanner.spare) { files.append(file) }
            } else {
                var k = 0
                let store = SpillBuffer()
                enumerateLeaves(of: item.plan, limits: limits, visit: { found in
                    let leaf: LeafInput
                    switch CollectedLeaf.prepare(found) {
                    case .manifest(let m): manifest = m; return
                    case .log(let l): leaf = l
                    }
                    let fileIndex = item.rootIndex * Self.fileIndexStride + k
                    k += 1
                    files.append(scanner.scan(source: leaf.source, bundle: item.plan.name, fileIndex: fileIndex,
                                              stream: leaf.stream, modificationDate: leaf.modificationDate, store: store))
                }, error: { e in
                    errors.append(ReportError(source: e.source, message: e.message))
                }, duplicate: { path, readAt in
                    skipped.append(Self.skippedInput(BundlePlan.Duplicate(path: path, readAt: readAt), bundle: item.plan.name))
                })
            }
            PhaseTrace.mark("item \(index) scanned")
            var done = state.finish(item: index, files: files, errors: errors, manifest: manifest, skipped: skipped)
            files = []
            if case (var bundleFiles, let bundleErrors, let bundleManifest, let bundleSkipped)? = done {
                done = nil  // the files now live in `bundleFiles` only: analysis moves their hits
                // Every item of this bundle is done: analyse it outside the lock.
                let plan = state.plans[item.bundle]
                // One bundle gets every core; in a fleet each worker has its own bundle already.
                let duplicates = plan.duplicates.map { Self.skippedInput($0, bundle: plan.name) }
                var report = analyzer.collected(by: bundleManifest).analyze(
                                              name: plan.name, deviceHint: bundleManifest?.device ?? plan.deviceHint,
                                              files: &bundleFiles, errors: bundleErrors, skipped: bundleSkipped + duplicates,
                                              jobs: state.plans.count == 1 ? jobs : 1)
                PhaseTrace.mark("bundle \(item.bundle) analysed")
                var rendered: SpillBuffer? = nil
                if let render {
                    // A few MiB per rendered bundle stay in memory (workers run at most two
                    // bundles ahead each); a larger bundle's rest waits in a temporary file.
                    rendered = SpillBuffer(memoryLimit: 4 << 20)
                    render(report, rendered!)
                    report.timeline = []
                }
                let snapshot = state.publish(report, rendered, bundle: item.bundle)
                progress?(snapshot)
            }
        }
    }

    /// The shared, lock-guarded state of one run.
    private final class RunState: @unchecked Sendable {
        // SAFETY: every mutable field is read and written under `condition`'s lock.
        let plans: [BundlePlan]
        let items: [WorkItem]
        private let order: [Int]
        private let condition = NSCondition()
        private var next = 0
        private var results: [[FileResult]]
        private var itemErrors: [[ReportError]]
        private var manifests: [Int: CollectionManifest] = [:]
        private var itemSkipped: [[InputReport]]
        private var remaining: [Int]
        private var reports: [Int: (BundleReport, SpillBuffer?)] = [:]
        private var published = 0
        private var bytesDone: Int64 = 0
        private let bytesTotal: Int64
        private let start = Date()

        init(plans: [BundlePlan], items: [WorkItem], workers: Int) {
            self.plans = plans
            window = 2 * max(1, workers)
            self.items = items
            // Plan order, so reports can be handed out as they complete (see `nextItem`).
            order = Array(items.indices)
            results = Array(repeating: [], count: items.count)
            itemErrors = Array(repeating: [], count: items.count)
            itemSkipped = Array(repeating: [], count: items.count)
            var remaining = Array(repeating: 0, count: plans.count)
            for item in items { remaining[item.bundle] += 1 }
            self.remaining = remaining
            bytesTotal = items.reduce(0) { $0 + $1.diskBytes }
        }

        /// Bundles done but not yet handed out are held in memory: workers do not run more
        /// than this many bundles ahead of the caller.
        let window: Int
        private var handedOut = 0

        func nextItem() -> Int? {
            condition.lock(); defer { condition.unlock() }
            // Checked again after every wait: another worker may have taken the last item
            // while this one waited for the caller to catch up.
            while true {
                guard next < order.count else { return nil }
                if items[order[next]].bundle < handedOut + window { break }
                condition.wait()
            }
            next += 1
            return order[next - 1]
        }

        /// Records an item's results; when it was the bundle's last, returns the bundle's files.
        func finish(item index: Int, files: [FileResult], errors: [ReportError], manifest: CollectionManifest?,
                    skipped: [InputReport]) -> ([FileResult], [ReportError], CollectionManifest?, [InputReport])? {
            condition.lock(); defer { condition.unlock() }
            results[index] = files
            itemErrors[index] = errors
            itemSkipped[index] = skipped
            if let manifest { manifests[items[index].bundle] = manifest }
            bytesDone += items[index].diskBytes
            let bundle = items[index].bundle
            remaining[bundle] -= 1
            guard remaining[bundle] == 0 else { return nil }
            var allFiles: [FileResult] = []
            var allErrors: [ReportError] = []
            var allSkipped: [InputReport] = []
            for i in items.indices where items[i].bundle == bundle {
                allFiles += results[i]
                allErrors += itemErrors[i]
                allSkipped += itemSkipped[i]
                results[i] = []
            }
            return (allFiles, allErrors, manifests.removeValue(forKey: bundle), allSkipped)
        }

        func publish(_ report: BundleReport, _ rendered: SpillBuffer?, bundle: Int) -> ScanProgress {
            condition.lock(); defer { condition.unlock() }
            reports[bundle] = (report, rendered)
            published += 1
            condition.broadcast()
            return ScanProgress(bundlesDone: published, bundlesTotal: plans.count, bytesDone: bytesDone,
                                bytesTotal: bytesTotal, elapsed: Date().timeIntervalSince(start))
        }

        func waitForReport(_ bundle: Int) -> (BundleReport, SpillBuffer?) {
            condition.lock(); defer { condition.unlock() }
            while reports[bundle] == nil { condition.wait() }
            handedOut = bundle + 1
            condition.broadcast()
            return reports.removeValue(forKey: bundle)!
        }
    }

    /// The input record of a path not read because its file was read under another path.
    static func skippedInput(_ duplicate: BundlePlan.Duplicate, bundle: String) -> InputReport {
        InputReport(source: duplicate.path, bundle: bundle, format: "skipped", lines: 0, bytes: 0, error: nil,
                    truncatedLines: 0, skipped: duplicate.reason)
    }

    static func diskSize(_ root: BundlePlan.Root) -> Int64 {
        switch root {
        case .file(let path), .archive(let path):
            return regularFileSize(atPath: path) ?? 0
        case .directory(let path):
            return LogscanInput.diskSize(ofDirectory: path)
        case .standardInput:
            return 0
        }
    }
}
