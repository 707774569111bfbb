import Foundation

/// What `logscan collect` gathered from one Mac, written as `logscan-manifest.json` at the top
/// of its zip or directory. `scan` reads it back: the Mac's time zone places zone-less times
/// (so no `--tz` is needed) and its name labels the bundle.
public struct CollectionManifest: Codable, Sendable, Equatable {
    public static let fileName = "logscan-manifest.json"
    public static let schemaName = "logscan-collect/1"

    public struct OSVersion: Codable, Sendable, Equatable {
        public var name: String?
        public var version: String?
        public var build: String?
        public init(name: String?, version: String?, build: String?) {
            self.name = name; self.version = version; self.build = build
        }
    }

    /// A file copied whole, by its path relative to the root (also its name in the zip).
    public struct Item: Codable, Sendable, Equatable {
        public var source: String
        public var path: String
        public var bytes: Int64
        public var modified: String?
        public init(source: String, path: String, bytes: Int64, modified: String?) {
            self.source = source; self.path = path; self.bytes = bytes; self.modified = modified
        }
    }

    /// A source that gave nothing, and why.
    public struct Missing: Codable, Sendable, Equatable {
        public var source: String
        public var path: String
        public var reason: String
        public init(source: String, path: String, reason: String) {
            self.source = source; self.path = path; self.reason = reason
        }
    }

    /// One `log show` export.
    public struct Export: Codable, Sendable, Equatable {
        public var source: String
        public var predicate: String
        public var path: String?
        public var bytes: Int64?
        public var status: String
        public init(source: String, predicate: String, path: String?, bytes: Int64?, status: String) {
            self.source = source; self.predicate = predicate; self.path = path; self.bytes = bytes; self.status = status
        }
    }

    public var schema: String = Self.schemaName
    public var logscanVersion: String
    /// RFC 3339, UTC.
    public var collectedAt: String
    /// The Mac's IANA zone, when it could be read; nil otherwise.
    public var timeZone: String?
    /// The zone's offset at collection time (`-05:00`), for people.
    public var utcOffset: String?
    public var root: String
    public var live: Bool
    public var device: String?
    public var os: OSVersion?
    /// Product name to version: `Company Portal`, `Jamf`, `Jamf Conditional Access`, …
    public var versions: [String: String]
    public var users: [String]
    public var days: Int
    public var collected: [Item]
    public var missing: [Missing]
    public var unifiedLog: [Export]
    public var notes: [String]

    public init(logscanVersion: String, collectedAt: String, timeZone: String?, utcOffset: String?, root: String,
                live: Bool, device: String?, os: OSVersion?, versions: [String: String], users: [String], days: Int,
                collected: [Item] = [], missing: [Missing] = [], unifiedLog: [Export] = [], notes: [String] = []) {
        self.logscanVersion = logscanVersion; self.collectedAt = collectedAt; self.timeZone = timeZone
        self.utcOffset = utcOffset; self.root = root; self.live = live; self.device = device; self.os = os
        self.versions = versions; self.users = users; self.days = days; self.collected = collected
        self.missing = missing; self.unifiedLog = unifiedLog; self.notes = notes
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain value: encoding cannot fail.
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }

    /// The manifest in `bytes`, or nil when they are not one.
    public static func decode(_ bytes: [UInt8]) -> CollectionManifest? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let manifest = try? decoder.decode(CollectionManifest.self, from: Data(bytes)),
              manifest.schema == schemaName else { return nil }
        return manifest
    }

    /// Whether a leaf named `source` (a path through archives) is a collection manifest.
    public static func isManifest(source: String) -> Bool {
        lastComponent(of: source) == fileName
    }

    /// The zone to read zone-less times in, if the manifest names a known one.
    public var zone: TimeZone? { timeZone.flatMap(TimeZone.init(identifier:)) }
}

/// The file name at the end of a display path (`a.zip!Users/x/Library/…/name`).
func lastComponent(of source: String) -> Substring {
    let afterBang = source.split(separator: "!", omittingEmptySubsequences: false).last ?? Substring(source)
    return afterBang.split(separator: "/", omittingEmptySubsequences: false).last ?? afterBang
}
