#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Follows files, directories and standard input live, with `tail -F` reliability: nothing read
/// twice, nothing skipped.
///
/// - Changes are noticed through `ChangeWatcher` (inotify on Linux, kqueue on macOS) and
///   re-examined with `stat`/`fstat`; the loop sleeps in `poll(2)` with a `tick` timeout, so idle
///   it uses no CPU. Without a watcher (other platforms, or setup refused) everything is
///   re-examined every tick. With a watcher everything is still re-examined every
///   `fullCheckInterval` (5 s) as a safety net for what no event reports (network filesystems,
///   a full event queue).
/// - A path that does not exist yet is waited for, quietly, also when its parent directories do
///   not exist: the nearest existing ancestor is watched and the watch moves down as the
///   directories appear. When the path appears it is read from its start (as a directory, if it
///   appears as one).
/// - Rotation by rename: the old file keeps being read (a writer may still append to it) until
///   a new file stands at the path; then its last bytes are delivered, `reset(.rotated)`, and the
///   new file is read from its start. A rotated file that shows up under its new name in a
///   followed directory is taken over from where its reading stopped (`opened(fromStart:
///   false)`), never read again from the start: a file (device and inode) is read by one id at
///   a time. Writes to the old file after the new one was noticed are read only in that case;
///   likewise a file that stood at a named path only between two looks (two rotations within
///   one event batch or tick) is read only when its directory is followed, as with `tail -F`.
/// - Copy-truncate: a file shorter than what was read gives `reset(.truncated)` and a re-read
///   from offset 0. (As with `tail`, a truncation followed by more writes than were read, all
///   before the follower looks, cannot be told from an append.)
/// - Deletion: the remaining bytes, then `reset(.deleted)`; a file appearing again later gets
///   `opened(fromStart: true)` with no second reset. Deletion and re-creation noticed together
///   (or a file renamed over the followed one) give `reset(.recreated)` and `opened`.
/// - Files whose first bytes show a compressed stream or an archive (`jamf.log.0.gz` appearing
///   in a followed directory) are not followed: silently under a directory, with one `error`
///   for a path named as an argument. A file read from its start is therefore announced
///   (`opened`) once its first bytes have arrived.
/// - Reads go through one 64 KiB buffer; memory does not grow with the data.
///
/// Not thread-safe: create it, call `run` once, and call `path(of:)` from the same thread
/// (typically from inside the handler).
public final class Follower {
    /// How changes are noticed; tests pin one.
    enum Watching {
        /// inotify/kqueue when available, polling otherwise.
        case automatic
        /// Re-examine everything every tick.
        case polling
    }

    private let fromStart: Bool
    private let tick: TimeInterval
    private let standardInput: Int32
    private let watching: Watching
    private let fullCheckInterval: TimeInterval

    /// Files by id: the arguments that are not directories, in order; then files found in
    /// directories, as they are found.
    private var targets: [Target] = []
    /// Arguments that are directories: numbered -1, -2, … (they name no file).
    private var directoryArguments: [Target] = []
    /// The arguments in order, by id.
    private var argumentIDs: [Int] = []
    private var idByKey: [FileKey: Int] = [:]
    private var standardInputID: Int?

    public convenience init(paths: [String], fromStart: Bool, tick: TimeInterval = 0.25) {
        self.init(paths: paths, fromStart: fromStart, tick: tick, standardInput: 0, watching: .automatic)
    }

    /// - Parameters:
    ///   - standardInput: the descriptor read for `-` (tests pass a pipe).
    ///   - fullCheckInterval: with a watcher, how often everything is re-examined anyway.
    init(
        paths: [String], fromStart: Bool, tick: TimeInterval, standardInput: Int32,
        watching: Watching, fullCheckInterval: TimeInterval = 5
    ) {
        self.fromStart = fromStart
        self.tick = max(tick, 0.001)
        self.standardInput = standardInput
        self.watching = watching
        self.fullCheckInterval = fullCheckInterval
        // SAFETY: one fixed read buffer, owned by this object, freed in deinit.
        buffer = .allocate(byteCount: 64 * 1024, alignment: 64)
        for path in paths {
            if path == "-" {
                if standardInputID == nil {
                    standardInputID = targets.count
                    argumentIDs.append(targets.count)
                    targets.append(Target(id: targets.count, path: "-", key: FileKey(directory: "", name: "-"), isArgument: true))
                }
                continue
            }
            let key = FileKey(path: path)
            if idByKey[key] != nil { continue }  // named twice: one id
            let target: Target
            if case .success(let status) = FollowStat.of(path: path), status.kind == .directory {
                target = Target(id: -1 - directoryArguments.count, path: path, key: key, isArgument: true)
                target.isDirectory = true
                directoryArguments.append(target)
            } else {
                // Missing paths get a file id too; one that appears as a directory leaves it unused.
                target = Target(id: targets.count, path: path, key: key, isArgument: true)
                targets.append(target)
            }
            idByKey[key] = target.id
            argumentIDs.append(target.id)
        }
    }

    deinit {
        closeEverything()
        buffer.deallocate()
    }

    /// The path an id stands for: as given for arguments, as walked for files found in
    /// directories (`logs/sub/app.log`), `-` for standard input; "" for an id never handed out.
    /// A rotated file keeps its id and its path.
    ///
    /// Ids: the arguments that are not directories when the follower is created get 0, 1, … in
    /// order (a path named twice, once); files found in directories get the next ids as they are
    /// found. An argument missing at creation that later appears as a directory keeps an id no
    /// event uses.
    public func path(of file: Int) -> String {
        targets.indices.contains(file) ? targets[file].path : ""
    }

    /// The byte offset the next `.data` of `file` starts at (at `.opened`: where reading
    /// starts, so a caller that starts at the end can count the lines it skipped).
    public func readOffset(of file: Int) -> Int64? {
        guard targets.indices.contains(file) else { return nil }
        return targets[file].file?.offset
    }

    /// Whether `file` holds bytes not delivered yet: the file is longer than what was read (or
    /// waits for its next turn), or standard input has data (or its end) waiting. A caller
    /// holding an unfinished line must not treat it as complete while this is true: the rest
    /// may already be written. False for an id with no open file.
    public func hasUnreadBytes(of file: Int) -> Bool {
        if file == standardInputID {
            guard standardInputOpen else { return false }
            var descriptor = pollfd(fd: standardInput, events: Int16(POLLIN), revents: 0)
            return poll(&descriptor, 1, 0) > 0 && descriptor.revents != 0
        }
        guard targets.indices.contains(file), let open = targets[file].file else { return false }
        if backlog.contains(file) { return true }
        guard let status = FollowStat.of(descriptor: open.descriptor) else { return false }
        return status.size > open.offset
    }

    /// Blocks, delivering events on the calling thread, until `shouldStop()` returns true
    /// (checked at least every `tick`) or, when the only input is "-", stdin ends. Returns at
    /// once when there is nothing to follow. Call it once.
    public func run(shouldStop: () -> Bool, handler: (FollowEvent) -> Void) {
        guard !hasRun, !argumentIDs.isEmpty else { return }
        hasRun = true
        withoutActuallyEscaping(shouldStop) { stop in
            withoutActuallyEscaping(handler) { handler in
                self.stop = stop
                self.handler = handler
                loop()
                self.stop = { true }
                self.handler = { _ in }
            }
        }
        closeEverything()
    }

    // MARK: - State

    private final class OpenFile {
        let descriptor: Int32
        let identity: FileIdentity
        var offset: Int64
        /// `opened` was sent (files read from the start wait for bytes to tell they are text).
        var announced = false
        let fromStart: Bool
        let modificationDate: Date

        init(descriptor: Int32, identity: FileIdentity, offset: Int64, fromStart: Bool, modificationDate: Date) {
            self.descriptor = descriptor
            self.identity = identity
            self.offset = offset
            self.fromStart = fromStart
            self.modificationDate = modificationDate
        }
    }

    private final class Target {
        let id: Int
        let path: String
        let key: FileKey
        /// Named on the command line (not found under a directory).
        let isArgument: Bool
        var file: OpenFile?
        /// The directory watched to notice changes at `path`: its parent, or the nearest
        /// existing ancestor while that is missing.
        var anchor: String?
        /// The last error reported, not reported again while it stays the same.
        var lastError: String?
        /// A compressed file or archive at the path, left alone until another file is there.
        var skipped: FileIdentity?
        /// An argument that appeared as a directory: followed as one from then on.
        var isDirectory = false
        var everOpened = false
        /// The pass that last examined it (so a full pass looks at each target once).
        var examined = 0

        init(id: Int, path: String, key: FileKey, isArgument: Bool) {
            self.id = id
            self.path = path
            self.key = key
            self.isArgument = isArgument
        }
    }

    /// Where a file's reading stopped when it was let go while still linked under another name.
    private struct Retired {
        let offset: Int64
        let since: Double
    }

    private var hasRun = false
    private var stop: () -> Bool = { true }
    private var handler: (FollowEvent) -> Void = { _ in }
    private let buffer: UnsafeMutableRawBufferPointer
    private var watcher = ChangeWatcher(enabled: false)

    /// Which target holds each open file: a file is read by one id at a time.
    private var owners: [FileIdentity: Int] = [:]
    private var retired: [FileIdentity: Retired] = [:]
    /// Targets waiting for another target to let go of their file.
    private var deferred: Set<Int> = []
    /// Targets still holding a file renamed away from their path.
    private var detached: Set<Int> = []
    /// Targets with more to read than one turn allows.
    private var backlog: Set<Int> = []
    private var released = false
    /// Targets to look at when a directory changes, by the directory watched for them.
    private var anchored: [String: Set<Int>] = [:]
    /// Directories followed (normalized path → the path to list and its identity).
    private var tracked: [String: (path: String, identity: FileIdentity)] = [:]
    private var trackedPathByIdentity: [FileIdentity: String] = [:]
    private var directoryErrors: [String: String] = [:]
    private var initialPass = false
    private var pass = 0
    private var standardInputOpen = false

    /// Bytes read from one file per turn before the others get theirs.
    private let turnLimit = 1 << 20
    private let retiredLifetime: Double = 120

    // MARK: - Loop

    private func loop() {
        watcher = ChangeWatcher(enabled: watching == .automatic)
        let pollsEverything = { self.watcher.descriptor == nil || self.watcher.isIncomplete }

        initialPass = true
        pass += 1
        for id in argumentIDs {
            let target = self.target(id)
            if target.id == standardInputID {
                standardInputOpen = true
                handler(.opened(file: id, path: "-", modificationDate: nil, fromStart: true))
            } else {
                examine(target)
            }
        }
        initialPass = false
        retryDeferred()

        let onlyStandardInput = standardInputID != nil && argumentIDs.count == 1
        var now = followMonotonicNow()
        var nextTick = now + tick
        var nextFullCheck = now + fullCheckInterval
        var descriptors: [pollfd] = []
        while !stop() {
            if onlyStandardInput && !standardInputOpen { return }
            now = followMonotonicNow()
            let wait = backlog.isEmpty ? max(0, min(nextTick - now, tick)) : 0
            descriptors.removeAll(keepingCapacity: true)
            if let fd = watcher.descriptor { descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if standardInputOpen { descriptors.append(pollfd(fd: standardInput, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), Int32((wait * 1000).rounded(.up)))
            if ready > 0 {
                for descriptor in descriptors where descriptor.revents != 0 {
                    if descriptor.fd == standardInput && standardInputOpen {
                        readStandardInput(descriptor.revents)
                    } else if descriptor.fd == watcher.descriptor {
                        apply(watcher.drain())
                    }
                }
            }
            if !backlog.isEmpty {
                pass += 1
                for id in backlog.sorted() { examine(target(id)) }
            }
            now = followMonotonicNow()
            if now >= nextTick {
                pass += 1
                if pollsEverything() || now >= nextFullCheck {
                    examineEverything()
                    nextFullCheck = now + fullCheckInterval
                } else {
                    // A file renamed out of sight may still be written to: no event says so.
                    for id in detached.sorted() { examine(target(id)) }
                }
                pruneRetired(now)
                handler(.tick)
                nextTick = followMonotonicNow() + tick
            }
            retryDeferred()
        }
    }

    private func readStandardInput(_ events: Int16) {
        guard let id = standardInputID else { return }
        if events & Int16(POLLNVAL) != 0 {
            report(target(id), "cannot read: not a readable descriptor")
            standardInputOpen = false
            handler(.ended(file: id))
            return
        }
        let count = followRead(standardInput, buffer)
        if count > 0 {
            // SAFETY: the first `count` bytes of our buffer, valid for the callback only.
            handler(.data(file: id, bytes: UnsafeRawBufferPointer(rebasing: buffer[..<count])))
        } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) {
            if count < 0 { report(target(id), "read failed: \(lastErrorDescription())") }
            standardInputOpen = false
            handler(.ended(file: id))
        }
    }

    private func apply(_ changes: WatchChanges) {
        pass += 1
        if changes.everything {
            examineEverything()
            return
        }
        var listed = Set<String>()
        for directory in changes.directories.sorted() {
            rescan(directory)
            listed.insert(directory)
            for id in (anchored[directory] ?? []).sorted() { examine(target(id)) }
        }
        for key in changes.entries.sorted(by: Self.keyOrder) {
            if listed.insert(key.directory).inserted {
                rescan(key.directory)
                // Paths waited for below a missing directory: one on their way may have appeared.
                for id in (anchored[key.directory] ?? []).sorted() where target(id).key.directory != key.directory {
                    examine(target(id))
                }
            }
        }
        for key in changes.entries.union(changes.contents).sorted(by: Self.keyOrder) {
            if let id = idByKey[key] { examine(target(id)) }
        }
    }

    private func target(_ id: Int) -> Target {
        id >= 0 ? targets[id] : directoryArguments[-1 - id]
    }

    private static func keyOrder(_ a: FileKey, _ b: FileKey) -> Bool {
        (a.directory, a.name) < (b.directory, b.name)
    }

    /// Looks at every argument, every followed directory and every file.
    private func examineEverything() {
        for id in argumentIDs where id != standardInputID { examine(target(id)) }
        for target in targets where target.id != standardInputID { examine(target) }
    }

    private func retryDeferred() {
        var rounds = 0
        while released && !deferred.isEmpty && rounds < 8 {  // each round needs a file let go
            rounds += 1
            released = false
            pass += 1
            for id in deferred.sorted() { examine(target(id)) }
        }
        released = false
    }

    private func pruneRetired(_ now: Double) {
        retired = retired.filter { now - $0.value.since < retiredLifetime }
    }

    // MARK: - Files

    /// Looks at one path and delivers whatever happened to it since last time.
    private func examine(_ target: Target) {
        guard target.id != standardInputID, target.examined != pass else { return }
        target.examined = pass
        settleAnchor(target)
        if target.isDirectory {
            examineDirectoryArgument(target)
            return
        }
        let status = FollowStat.of(path: target.path)
        guard let file = target.file else {
            openIfPresent(target, status)
            return
        }
        let held = FollowStat.of(descriptor: file.descriptor)
        switch status {
        case .success(let now) where now.kind == .regular && now.identity == file.identity:
            detached.remove(target.id)
            if let held, held.size < file.offset {
                if file.announced { handler(.reset(file: target.id, reason: .truncated)) }
                file.offset = 0
            }
            readOrAdmit(target, file)
            return
        case .failure(let error) where !error.isMissing:
            // Cannot look at the path (a parent lost its permissions): keep reading what we hold.
            report(target, "cannot read: \(error.description)")
            readOrAdmit(target, file)
            return
        default:
            break
        }
        // The path no longer names the file we hold: deliver what it still has first. A file
        // opened empty (from its start, so not announced yet) may have been written since:
        // judged now, or its lines would go with it.
        if admit(target, file) { _ = read(target, file, limit: nil) }
        let links = held?.links ?? 0
        switch status {
        case .failure:
            if links > 0 && file.announced {
                detached.insert(target.id)  // renamed away: keep reading until a new file takes the path
                return
            }
            let announced = file.announced
            release(target, keepOffset: links > 0)
            if announced { handler(.reset(file: target.id, reason: .deleted)) }
        case .success(let now):
            let announced = file.announced
            release(target, keepOffset: links > 0)
            if announced {
                let reason: ResetReason = now.kind != .regular ? .deleted : links > 0 ? .rotated : .recreated
                handler(.reset(file: target.id, reason: reason))
            }
            openIfPresent(target, status)
        }
    }

    private func openIfPresent(_ target: Target, _ status: Result<FollowStat, FollowErrno>) {
        let found: FollowStat
        switch status {
        case .failure(let error):
            if error.isMissing {
                target.lastError = nil
            } else {
                report(target, "cannot read: \(error.description)")
            }
            return
        case .success(let status):
            found = status
        }
        switch found.kind {
        case .regular:
            break
        case .directory:
            if target.isArgument && !target.everOpened {
                becomeDirectory(target)
            } else if target.isArgument {
                report(target, "cannot follow: it is a directory")
            }
            // A file in a followed directory replaced by a directory: the scan follows its files.
            return
        case .other:
            report(target, "cannot follow: not a regular file")
            return
        }
        if found.identity == target.skipped { return }
        if let owner = owners[found.identity], owner != target.id {
            deferred.insert(target.id)
            return
        }
        let descriptor = RawPath.openDescriptor(target.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            if code != ENOENT { report(target, "cannot read: \(describeError(code))") }
            return
        }
        // What we opened may differ from what we looked at (a race): trust the descriptor.
        guard let held = FollowStat.of(descriptor: descriptor), held.kind == .regular else {
            close(descriptor)
            return
        }
        if held.identity == target.skipped {
            close(descriptor)
            return
        }
        if let owner = owners[held.identity], owner != target.id {
            close(descriptor)
            deferred.insert(target.id)
            return
        }
        deferred.remove(target.id)
        let offset: Int64
        let readsFromStart: Bool
        if let stopped = retired.removeValue(forKey: held.identity), stopped.offset <= held.size {
            offset = stopped.offset
            readsFromStart = offset == 0
        } else if initialPass && !fromStart {
            offset = held.size
            readsFromStart = false
        } else {
            offset = 0
            readsFromStart = true
        }
        let file = OpenFile(
            descriptor: descriptor, identity: held.identity, offset: offset,
            fromStart: readsFromStart, modificationDate: held.modificationDate)
        target.file = file
        target.lastError = nil
        target.everOpened = true
        owners[held.identity] = target.id
        watcher.watchFile(descriptor: descriptor, key: target.key)
        readOrAdmit(target, file)
    }

    /// Reads what one turn allows of a file, once admitted.
    private func readOrAdmit(_ target: Target, _ file: OpenFile) {
        guard admit(target, file) else { return }
        if read(target, file, limit: turnLimit) {
            backlog.insert(target.id)
        } else {
            backlog.remove(target.id)
        }
    }

    /// Announces a file once its first bytes show it is text (files read from offset 0). False
    /// while there are no bytes to judge, and for a compressed file or archive (let go).
    private func admit(_ target: Target, _ file: OpenFile) -> Bool {
        if file.announced { return true }
        if file.fromStart && file.offset == 0 {
            switch sniff(file) {
            case .undecided:
                return false
            case .packed:
                if target.isArgument {
                    report(target, "cannot follow: a compressed file or archive (`logscan scan` reads it)")
                }
                target.skipped = file.identity
                release(target, keepOffset: false)
                return false
            case .plain:
                break
            }
        }
        file.announced = true
        handler(.opened(
            file: target.id, path: target.path, modificationDate: file.modificationDate,
            fromStart: file.fromStart))
        return true
    }

    private func sniff(_ file: OpenFile) -> FollowSniff {
        let window = UnsafeMutableRawBufferPointer(rebasing: buffer[..<ContentKind.sniffLength])
        let count = followPread(file.descriptor, window, 0)
        guard count > 0 else { return .undecided }
        return FollowSniff.judge(Array(window[..<count]))
    }

    /// Delivers the bytes past the offset; with a `limit`, stops after about that many and
    /// returns true when more may be waiting.
    private func read(_ target: Target, _ file: OpenFile, limit: Int?) -> Bool {
        var total = 0
        while true {
            let count = followPread(file.descriptor, buffer, file.offset)
            if count < 0 {
                report(target, "read failed: \(lastErrorDescription())")
                return false
            }
            if count == 0 { return false }
            file.offset += Int64(count)
            total += count
            // SAFETY: the first `count` bytes of our buffer, valid for the callback only.
            handler(.data(file: target.id, bytes: UnsafeRawBufferPointer(rebasing: buffer[..<count])))
            if let limit, total >= limit { return true }
            if limit == nil && stop() { return false }
        }
    }

    /// Closes the file a target holds; remembers where its reading stopped when the file lives
    /// on under another name, so a target that meets it there goes on from that point.
    private func release(_ target: Target, keepOffset: Bool) {
        guard let file = target.file else { return }
        watcher.forgetFile(descriptor: file.descriptor)
        close(file.descriptor)
        owners[file.identity] = nil
        if keepOffset && file.announced {
            retired[file.identity] = Retired(offset: file.offset, since: followMonotonicNow())
        }
        target.file = nil
        detached.remove(target.id)
        backlog.remove(target.id)
        released = true
    }

    private func report(_ target: Target, _ message: String) {
        guard target.lastError != message else { return }
        target.lastError = message
        handler(.error(InputError(source: target.path, message: message)))
    }

    /// Watches the directory holding the target's path, or while that is missing its nearest
    /// existing ancestor; moves down as directories appear. A directory created between two
    /// steps is caught by looking again after the watch is in place.
    private func settleAnchor(_ target: Target) {
        var anchor = target.key.directory
        for _ in 0..<64 {  // one round per directory created meanwhile; bounded all the same
            anchor = target.key.directory
            while !watcher.watchDirectory(anchor), let up = FollowPath.parent(of: anchor) {
                anchor = up
            }
            guard anchor != target.key.directory,
                let next = FollowPath.child(of: anchor, toward: target.key.directory),
                case .success(let status) = FollowStat.of(path: next), status.kind == .directory
            else { break }
        }
        guard anchor != target.anchor else { return }
        if let old = target.anchor { anchored[old]?.remove(target.id) }
        anchored[anchor, default: []].insert(target.id)
        target.anchor = anchor
    }

    // MARK: - Directories

    private func becomeDirectory(_ target: Target) {
        target.isDirectory = true
        target.lastError = nil
        examineDirectoryArgument(target)
    }

    private func examineDirectoryArgument(_ target: Target) {
        switch FollowStat.of(path: target.path) {
        case .success(let status) where status.kind == .directory:
            var visited: Set<FileIdentity> = [status.identity]
            scan(target.path, identity: status.identity, deep: true, visited: &visited)
            target.lastError = nil
        case .success:
            report(target, "cannot follow: no longer a directory")
        case .failure(let error):
            if !error.isMissing { report(target, "cannot read directory: \(error.description)") }
        }
    }

    /// Lists a followed directory again after its entries changed: new files and directories.
    private func rescan(_ directory: String) {
        guard let entry = tracked[directory] else { return }
        guard case .success(let status) = FollowStat.of(path: entry.path), status.kind == .directory else { return }
        var visited: Set<FileIdentity> = [status.identity]
        scan(entry.path, identity: status.identity, deep: status.identity != entry.identity, visited: &visited)
    }

    /// Follows every regular file in `path`; `deep` looks into every sub-directory too (a full
    /// pass, or a directory new to us), otherwise only into sub-directories not seen before.
    private func scan(_ path: String, identity: FileIdentity, deep: Bool, visited: inout Set<FileIdentity>) {
        let normal = FollowPath.normalize(path)
        // Watch before listing: whatever is created after the listing is reported.
        _ = watcher.watchDirectory(normal)
        if let old = tracked[normal], old.identity != identity, trackedPathByIdentity[old.identity] == normal {
            trackedPathByIdentity[old.identity] = nil
        }
        tracked[normal] = (path, identity)
        trackedPathByIdentity[identity] = normal
        let names: [String]
        switch followListDirectory(path) {
        case .success(let list):
            names = list
            directoryErrors[normal] = nil
        case .failure(let error):
            if !error.isMissing {
                let message = "cannot read directory: \(error.description)"
                if directoryErrors[normal] != message {
                    directoryErrors[normal] = message
                    handler(.error(InputError(source: path, message: message)))
                }
            }
            return
        }
        for name in names {
            let child = DirectoryWalk.join(path, name)
            let key = FileKey(directory: normal, name: name)
            let found = FollowStat.of(path: child)
            let isDirectory = if case .success(let status) = found { status.kind == .directory } else { false }
            if let id = idByKey[key] {
                let target = self.target(id)
                if deep || target.file == nil || isDirectory { examine(target) }
                // An argument is followed on its own; a file turned directory is scanned below.
                if target.isArgument || !isDirectory { continue }
            }
            guard case .success(let status) = found else { continue }
            switch status.kind {
            case .regular:
                let target = Target(id: targets.count, path: child, key: key, isArgument: false)
                targets.append(target)
                idByKey[key] = target.id
                examine(target)
            case .directory:
                guard visited.insert(status.identity).inserted else { continue }  // a loop
                let childNormal = FollowPath.normalize(child)
                let known = tracked[childNormal]?.identity == status.identity
                if !deep && known { continue }
                if !known, let other = trackedPathByIdentity[status.identity], other != childNormal,
                    let entry = tracked[other],
                    case .success(let there) = FollowStat.of(path: entry.path), there.identity == status.identity {
                    continue  // the same directory, followed under another path already
                }
                scan(child, identity: status.identity, deep: deep || !known, visited: &visited)
            case .other:
                continue
            }
        }
    }

    private func closeEverything() {
        for target in targets where target.file != nil { release(target, keepOffset: false) }
    }
}
