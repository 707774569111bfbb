import Foundation
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanInput

/// `logscan collect`: copies the sources of `SourceCatalog` from a Mac (the live one, or a
/// mounted volume or backup under `root`) into a zip or a directory, with a manifest.
public struct Collector {
    public enum Users: Sendable, Equatable {
        /// The user at the console of the live Mac, else every user.
        case console
        case named(String)
        case all
    }

    public struct Options: Sendable {
        public var root: String = "/"
        public var days: Int = 7
        public var users: Users = .console
        /// Where to look for `log`: `PATH` as given (tests put a fake one first).
        public var searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        /// Nothing more is started after this; a running `log show` is stopped at it.
        public var deadline: Date? = nil
        public var logscanVersion = "0.1.0"
        public init() {}
    }

    public let options: Options
    private let rooted: RootedPath

    public init(options: Options) {
        self.options = options
        self.rooted = RootedPath(root: options.root)
    }

    /// Whether this is the running Mac (so its unified log can be read).
    public var isLive: Bool {
        let r = options.root
        return r == "/" || r.isEmpty || URL(fileURLWithPath: r).standardizedFileURL.path == "/"
    }

    public enum Output {
        case zip(String)
        case directory(String)
    }

    public struct Outcome {
        public var manifest: CollectionManifest
        public var warnings: [String]
    }

    /// Collects into `output`. Errors writing the output are thrown; a source that cannot be
    /// read goes into the manifest's `missing` list with its reason.
    public func collect(into output: Output) throws(InputError) -> Outcome {
        let sink: CollectionSink
        switch output {
        case .zip(let path): sink = try ZipSink(path: path)
        case .directory(let path): sink = try DirectorySink(directory: path)
        }
        let now = Date()
        let zone = timeZone()
        var manifest = CollectionManifest(
            logscanVersion: options.logscanVersion, collectedAt: Self.rfc3339(now), timeZone: zone?.identifier,
            utcOffset: zone.map { Self.offset($0.secondsFromGMT(for: now)) }, root: options.root, live: isLive,
            device: nil, os: nil, versions: [:], users: [], days: options.days)
        var warnings: [String] = []
        if zone == nil {
            manifest.notes.append("the Mac's time zone could not be read: scans of this collection need --tz for zone-less times")
        }
        let (users, userNote) = selectedUsers()
        manifest.users = users
        if let userNote { manifest.notes.append(userNote) }

        for source in SourceCatalog.all {
            if let deadline = options.deadline, Date() >= deadline {
                manifest.missing.append(.init(source: source.id, path: source.listing, reason: "time budget used up"))
                continue
            }
            let homes = source.perUser ? users.map { "Users/\($0)/" } : [""]
            if source.perUser && users.isEmpty {
                manifest.missing.append(.init(source: source.id, path: source.listing, reason: "no user selected"))
            }
            for home in homes {
                switch source.kind {
                case .file(let relative):
                    copy(home + relative, source: source.id, into: sink, manifest: &manifest, warnings: &warnings)
                case .directory(let relative, let filter):
                    copyDirectory(home + relative, filter: filter, source: source.id, into: sink, manifest: &manifest, warnings: &warnings)
                case .metadata(let relative, let keys):
                    readMetadata(home + relative, keys: keys, source: source.id, manifest: &manifest)
                case .zoneLink:
                    break  // read above, with the fallbacks
                case .unifiedLog(let predicate, let name):
                    export(predicate: predicate, name: name, source: source.id, into: sink, manifest: &manifest, warnings: &warnings)
                }
            }
        }
        if manifest.device == nil && isLive {
            manifest.device = ProcessInfo.processInfo.hostName
        }
        try sink.add(name: CollectionManifest.fileName, bytes: manifest.encoded(), modified: now)
        try sink.finish()
        return Outcome(manifest: manifest, warnings: warnings)
    }

    // MARK: - Users

    /// The home folders under `Users/` to collect from, and a note on how they were chosen.
    func selectedUsers() -> ([String], String?) {
        let homes = listUsers()
        switch options.users {
        case .named(let name):
            return homes.contains(name) ? ([name], nil) : ([], "user \(name) has no home folder under Users/")
        case .all:
            return (homes, nil)
        case .console:
            if isLive, let user = consoleUser(), homes.contains(user) {
                return ([user], "collected for the console user \(user) (--all-users for everyone)")
            }
            return (homes, nil)
        }
    }

    func listUsers() -> [String] {
        guard case .directory(let dir) = rooted.resolve("Users"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { name in
            guard !name.hasPrefix("."), name != "Shared", name != "Guest" else { return false }
            if case .directory = rooted.resolve("Users/" + name) { return !isLink("Users/" + name) }
            return false
        }.sorted()
    }

    private func isLink(_ relative: String) -> Bool { rooted.linkTarget(relative) != nil }

    /// The owner of /dev/console on the live Mac (the logged-in user), unless it is root.
    func consoleUser() -> String? {
        guard let owner = (try? FileManager.default.attributesOfItem(atPath: "/dev/console"))?[.ownerAccountName] as? String,
              owner != "root", !owner.hasPrefix("_") else { return nil }
        return owner
    }

    // MARK: - Files

    private func copy(_ relative: String, source: String, into sink: CollectionSink,
                      manifest: inout CollectionManifest, warnings: inout [String]) {
        switch rooted.resolve(relative) {
        case .regularFile(let path):
            copyFile(path, as: relative, source: source, into: sink, manifest: &manifest, warnings: &warnings)
        case .directory:
            manifest.missing.append(.init(source: source, path: relative, reason: "a directory, not a file"))
        case .missing(let reason):
            manifest.missing.append(.init(source: source, path: relative, reason: reason))
        }
    }

    private func copyDirectory(_ relative: String, filter: SourceCatalog.NameFilter, source: String, into sink: CollectionSink,
                               manifest: inout CollectionManifest, warnings: inout [String]) {
        guard case .directory(let dir) = rooted.resolve(relative) else {
            manifest.missing.append(.init(source: source, path: relative, reason: "not found"))
            return
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
            manifest.missing.append(.init(source: source, path: relative, reason: "cannot list: \(error.localizedDescription)"))
            return
        }
        var found = 0
        for name in names.sorted() where filter.accepts(name) {
            let child = relative + "/" + name
            switch rooted.resolve(child) {
            case .regularFile(let path):
                found += 1
                copyFile(path, as: child, source: source, into: sink, manifest: &manifest, warnings: &warnings)
            case .missing(let reason) where reason.hasPrefix("a symbolic link"):
                manifest.missing.append(.init(source: source, path: child, reason: reason))
            default:
                continue
            }
        }
        if found == 0 {
            manifest.missing.append(.init(source: source, path: relative, reason: "no matching files"))
        }
    }

    private func copyFile(_ path: String, as name: String, source: String, into sink: CollectionSink,
                          manifest: inout CollectionManifest, warnings: inout [String]) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? Int64.max
        let modified = attributes?[.modificationDate] as? Date
        do {
            // As far as the file reached when it was listed: a log being written goes on growing.
            let copied = try sink.add(name: name, copying: path, maxBytes: size, modified: modified)
            manifest.collected.append(.init(source: source, path: name, bytes: copied, modified: modified.map(Self.rfc3339)))
        } catch {
            manifest.missing.append(.init(source: source, path: name, reason: error.message))
            warnings.append("\(name): \(error.message)")
        }
    }

    // MARK: - Metadata

    private func readMetadata(_ relative: String, keys: [String], source: String, manifest: inout CollectionManifest) {
        guard case .regularFile(let path) = rooted.resolve(relative),
              let data = FileManager.default.contents(atPath: path),
              let plist = try? PropertyListSerialization.propertyList(from: data, options: [], format: nil) as? [String: Any] else {
            manifest.missing.append(.init(source: source, path: relative, reason: "not found or not a property list"))
            return
        }
        func value(_ keyPath: String) -> String? {
            var node: Any? = plist
            for key in keyPath.split(separator: "/") { node = (node as? [String: Any])?[String(key)] }
            return node as? String
        }
        switch source {
        case "os-version":
            manifest.os = .init(name: value("ProductName"), version: value("ProductVersion"), build: value("ProductBuildVersion"))
        case "computer-name":
            manifest.device = value("System/System/ComputerName")
        default:
            guard let product = SourceCatalog.productName(source) else { return }
            let short = value("CFBundleShortVersionString"), build = value("CFBundleVersion")
            if let short {
                manifest.versions[product] = build.map { $0 == short ? short : "\(short) (\($0))" } ?? short
            } else if let build {
                manifest.versions[product] = build
            }
        }
    }

    /// The Mac's zone: this process's on the live Mac; under a root, the target of its
    /// `etc/localtime` link (`/var/db/timezone/zoneinfo/America/Chicago`).
    func timeZone() -> TimeZone? {
        if isLive { return TimeZone.current }
        for link in ["etc/localtime", "private/etc/localtime"] {
            guard let target = rooted.linkTarget(link), let range = target.range(of: "zoneinfo/") else { continue }
            if let zone = TimeZone(identifier: String(target[range.upperBound...])) { return zone }
        }
        return nil
    }

    // MARK: - Unified log

    private func export(predicate: String, name: String, source: String, into sink: CollectionSink,
                        manifest: inout CollectionManifest, warnings: inout [String]) {
        guard isLive else {
            manifest.unifiedLog.append(.init(source: source, predicate: predicate, path: nil, bytes: nil,
                                             status: "skipped: --root names another volume; its unified log cannot be read with log show"))
            return
        }
        guard let log = LogShow.find(in: options.searchPath) else {
            manifest.unifiedLog.append(.init(source: source, predicate: predicate, path: nil, bytes: nil,
                                             status: "skipped: no log command on this system (log show exists on macOS only)"))
            return
        }
        let run = LogShow(executable: log, predicate: predicate, days: options.days, deadline: options.deadline)
        let result = run.export()
        defer { if let file = result.file { try? FileManager.default.removeItem(atPath: file) } }
        guard let file = result.file, result.bytes > 0 else {
            let status = result.status == "ok" ? "ok: no matching events in the last \(options.days) days" : result.status
            manifest.unifiedLog.append(.init(source: source, predicate: predicate, path: nil, bytes: 0, status: status))
            return
        }
        do {
            let copied = try sink.add(name: name, copying: file, maxBytes: .max, modified: Date())
            manifest.unifiedLog.append(.init(source: source, predicate: predicate, path: name, bytes: copied, status: result.status))
        } catch {
            manifest.unifiedLog.append(.init(source: source, predicate: predicate, path: nil, bytes: nil, status: "failed: \(error.message)"))
            warnings.append("\(name): \(error.message)")
        }
    }

    // MARK: - Formatting

    static func rfc3339(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        return sign + String(format: "%02d:%02d", a / 3600, a / 60 % 60)
    }
}
