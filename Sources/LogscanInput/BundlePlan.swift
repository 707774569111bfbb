/// One bundle: what one Mac's logs arrived in (see the contract, "Evidence sources").
public struct BundlePlan: Sendable, Equatable {
    /// Where a bundle's leaves come from.
    public enum Root: Sendable, Equatable {
        /// A plain file named as an argument: a log, a compressed log, or a stream such as a FIFO.
        case file(path: String)
        /// `-`.
        case standardInput
        /// A directory argument; archives under it are bundles of their own and are skipped.
        case directory(path: String)
        /// An archive file met on disk.
        case archive(path: String)
    }

    /// The bundle's name: the archive's path as walked, the directory argument as given, or
    /// the first plain-file argument as given.
    public let name: String
    public let roots: [Root]
    /// The Mac's host name, user or serial, where the archive's file name reveals one.
    public let deviceHint: String?
    /// Paths named (or found) again that are a file of this bundle already: not read twice.
    public var duplicates: [Duplicate] = []

    /// A path that is the same file (device and inode) as one read at `readAt`.
    public struct Duplicate: Sendable, Equatable {
        public let path: String
        public let readAt: String
        public init(path: String, readAt: String) { self.path = path; self.readAt = readAt }

        /// Why it is not read, for the report.
        public var reason: String { "the same file as \(readAt), read once" }
    }

    public init(name: String, roots: [Root], deviceHint: String? = nil) {
        self.name = name
        self.roots = roots
        self.deviceHint = deviceHint
    }
}
