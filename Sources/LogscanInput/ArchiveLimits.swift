/// Safety limits applied while reading one bundle; each has a command-line flag.
public struct ArchiveLimits: Sendable {
    /// Bytes decompressed or extracted from archives and compressed files, per bundle
    /// (plain files on disk do not count). Flag `--max-bundle-bytes`.
    public var maxBundleBytes: Int64
    /// Largest uncompressed/compressed ratio of one member, checked after its first MiB.
    /// Flag `--max-ratio`.
    public var maxRatio: Int
    /// Deepest nesting of archives and compressed streams; a file on disk is depth 0, the
    /// archive it is, depth 1. Flag `--max-depth`.
    public var maxDepth: Int
    /// Most archive members (directories included) read per bundle. Flag `--max-entries`.
    public var maxEntries: Int

    public static let defaultMaxBundleBytes: Int64 = 16 << 30
    public static let defaultMaxRatio = 1000
    public static let defaultMaxDepth = 8
    public static let defaultMaxEntries = 200_000

    public init(
        maxBundleBytes: Int64 = ArchiveLimits.defaultMaxBundleBytes,
        maxRatio: Int = ArchiveLimits.defaultMaxRatio,
        maxDepth: Int = ArchiveLimits.defaultMaxDepth,
        maxEntries: Int = ArchiveLimits.defaultMaxEntries
    ) {
        self.maxBundleBytes = maxBundleBytes
        self.maxRatio = maxRatio
        self.maxDepth = maxDepth
        self.maxEntries = maxEntries
    }
}

extension ArchiveLimits {
    /// The sentence a reader gets when the bundle's byte budget is spent.
    var bundleBytesMessage: String {
        "reading stopped: the bundle holds more than \(Self.describe(bytes: maxBundleBytes)) of "
            + "uncompressed data (raise the limit with --max-bundle-bytes)"
    }

    var ratioMessage: String {
        "reading stopped: this member expands more than \(maxRatio) times its compressed size, "
            + "like a zip bomb (raise the limit with --max-ratio)"
    }

    var depthMessage: String {
        "not opened: archives and compressed files nested more than \(maxDepth) deep "
            + "(raise the limit with --max-depth)"
    }

    var entriesMessage: String {
        "reading stopped: the bundle holds more than \(maxEntries) archive members "
            + "(raise the limit with --max-entries)"
    }

    static func describe(bytes: Int64) -> String {
        let units: [(Int64, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(name)"
        }
        return "\(bytes) bytes"
    }
}
