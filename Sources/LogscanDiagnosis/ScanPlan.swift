import Foundation
import LogscanInput
import LogscanSupport
import LogscanScan

/// What a scan will read, worked out before any rule is needed: the bundles (which inputs
/// belong to which Mac) and the large logs cut into parts. Making it takes I/O and format
/// detection only, so `Scan` starts it on another thread while the rules load.
public final class ScanPlan: @unchecked Sendable {
    // SAFETY: immutable after init; the split files' own state is guarded by their locks.
    public struct Settings: Sendable, Equatable {
        public var jobs: Int
        public var maxLineLength: Int
        public var entryMemoryChunks: Int
        public var partBytes: Int64?
        /// How many matched lines and files one bundle's timeline holds (see `TimelineLimits`);
        /// tests make them small.
        public var timelineLimits = TimelineLimits()

        /// The settings of `ScanEngine(…, jobs:, maxLineLength:, entryMemoryChunks:, partBytes:)`.
        public init(jobs: Int, maxLineLength: Int = 1 << 20, entryMemoryChunks: Int = EntryList.defaultMemoryChunks,
                    partBytes: Int64? = nil) {
            self.jobs = max(1, jobs)
            self.maxLineLength = maxLineLength
            self.entryMemoryChunks = entryMemoryChunks
            self.partBytes = partBytes
        }
    }

    package let settings: Settings
    package let bundles: [BundlePlan]
    package let errors: [InputError]
    let splits: [Int: [Int: SplitFile]]

    public init(paths: [String], settings: Settings) {
        self.settings = settings
        (bundles, errors) = planBundles(paths: paths)
        splits = ScanEngine.planSplits(bundles, settings: settings)
        PhaseTrace.mark("inputs planned: \(splits.values.reduce(0) { $0 + $1.count }) logs split")
    }

    /// Starts planning `paths` on another thread; `wait()` hands the plan over.
    public static func start(paths: [String], settings: Settings) -> Pending {
        Pending { ScanPlan(paths: paths, settings: settings) }
    }

    /// A plan being made on another thread.
    public final class Pending: @unchecked Sendable {
        // SAFETY: `plan` is written once before `group` is left and read after waiting on it.
        private let group = DispatchGroup()
        private var plan: ScanPlan?

        package init(_ make: @escaping @Sendable () -> ScanPlan) {
            group.enter()
            DispatchQueue.global().async {
                self.plan = make()
                self.group.leave()
            }
        }

        public func wait() -> ScanPlan {
            group.wait()
            return plan!
        }
    }
}
