#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the OS reported since the last `drain()`.
struct WatchChanges {
    /// Events were lost (queue overflow): look at everything.
    var everything = false
    /// Something in these directories changed, names unknown (kqueue), or the directory itself
    /// went away: look at every path waited for through it.
    var directories: Set<String> = []
    /// A name was added, removed or renamed in its directory.
    var entries: Set<FileKey> = []
    /// A file's contents or attributes changed (append, truncation, close after writing).
    var contents: Set<FileKey> = []
}

/// The only platform-specific part of `follow`: asks the OS to say when followed paths may have
/// changed. Linux: inotify on directories (which also reports their files' changes by name).
/// macOS: kqueue `EVFILT_VNODE` on directories and on the open files. Elsewhere, or when the
/// OS refuses, there is no descriptor and the follower polls.
///
/// The watcher only says *where* to look; the follower always re-examines paths with
/// `stat`/`fstat` itself, so a spurious or coalesced event is harmless.
final class ChangeWatcher {
    /// Readable (for `poll`) when changes are waiting; nil when polling is all there is.
    var descriptor: Int32? { fd >= 0 ? fd : nil }
    /// Set when some watch could not be set up (watch limit, permissions): the follower must
    /// then also look at everything every tick.
    private(set) var isIncomplete = false

    private var fd: Int32 = -1
    /// Where inotify events are read (Linux only).
    private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    #if os(Linux)
    private var pathsByWatch: [Int32: Set<String>] = [:]
    private var watchByPath: [String: Int32] = [:]
    #elseif canImport(Darwin)
    private var directoryByDescriptor: [Int32: String] = [:]
    private var descriptorByDirectory: [String: Int32] = [:]
    private var fileKeyByDescriptor: [Int32: FileKey] = [:]
    #endif

    /// `enabled: false` gives a polling-only watcher.
    init(enabled: Bool) {
        guard enabled else { return }
        #if os(Linux)
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        // SAFETY: owned by this object, freed in deinit; the kernel writes whole events into it.
        if fd >= 0 { buffer = .allocate(byteCount: 64 * 1024, alignment: 16) }
        #elseif canImport(Darwin)
        fd = kqueue()
        #endif
    }

    deinit {
        #if canImport(Darwin)
        for directory in directoryByDescriptor.keys { close(directory) }
        #endif
        if fd >= 0 { close(fd) }
        if buffer.baseAddress != nil { buffer.deallocate() }
    }

    /// Watches a directory (normalized path) for entries added, removed, renamed, and (Linux)
    /// for changes to the files in it. Returns false when `path` is not a directory now.
    func watchDirectory(_ path: String) -> Bool {
        guard fd >= 0 else { return isDirectory(path) }
        #if os(Linux)
        if watchByPath[path] != nil { return true }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE
            | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
        let watch = RawPath.withCString(path) { inotify_add_watch(fd, $0, mask) }
        guard watch >= 0 else { return refused(path, errno) }
        pathsByWatch[watch, default: []].insert(path)
        watchByPath[path] = watch
        return true
        #elseif canImport(Darwin)
        if descriptorByDirectory[path] != nil { return true }
        let directory = RawPath.openDescriptor(path, O_EVTONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return refused(path, errno) }
        let flags = UInt32(NOTE_WRITE | NOTE_EXTEND | NOTE_DELETE | NOTE_RENAME | NOTE_REVOKE)
        guard register(directory, flags: flags) else {
            close(directory)
            isIncomplete = true
            return true
        }
        directoryByDescriptor[directory] = path
        descriptorByDirectory[path] = directory
        return true
        #else
        return isDirectory(path)
        #endif
    }

    /// Watches a file the follower holds open. kqueue needs this to see appends; inotify already
    /// reports them through the directory, so on Linux this does nothing.
    func watchFile(descriptor file: Int32, key: FileKey) {
        #if canImport(Darwin)
        guard fd >= 0 else { return }
        let flags = UInt32(NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_DELETE | NOTE_RENAME | NOTE_LINK | NOTE_REVOKE)
        if register(file, flags: flags) {
            fileKeyByDescriptor[file] = key
        } else {
            isIncomplete = true
        }
        #endif
    }

    /// Call before closing a descriptor given to `watchFile`.
    func forgetFile(descriptor file: Int32) {
        #if canImport(Darwin)
        guard fileKeyByDescriptor.removeValue(forKey: file) != nil else { return }
        var change = kevent()
        change.ident = UInt(file)
        change.filter = Int16(EVFILT_VNODE)
        change.flags = UInt16(EV_DELETE)
        _ = kevent(fd, &change, 1, nil, 0, nil)
        #endif
    }

    /// Takes every waiting notification without blocking.
    func drain() -> WatchChanges {
        var changes = WatchChanges()
        guard fd >= 0 else { return changes }
        #if os(Linux)
        while true {
            let count = followRead(fd, buffer)
            if count <= 0 { break }  // EAGAIN: nothing more waiting
            parseInotify(count, into: &changes)
        }
        #elseif canImport(Darwin)
        let capacity = 64
        var events = [kevent](repeating: kevent(), count: capacity)
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        while true {
            let count = Int(kevent(fd, nil, 0, &events, Int32(capacity), &zero))
            if count <= 0 { break }
            for event in events[..<count] { noteKqueue(event, into: &changes) }
            if count < capacity { break }
        }
        #endif
        return changes
    }

    private func isDirectory(_ path: String) -> Bool {
        if case .success(let status) = FollowStat.of(path: path) { return status.kind == .directory }
        return false
    }

    /// A watch was refused: a missing path says "not a directory now"; anything else (watch
    /// limit, permissions) leaves a hole that polling must cover.
    private func refused(_ path: String, _ code: Int32) -> Bool {
        if code == ENOENT || code == ENOTDIR { return false }
        isIncomplete = true
        return isDirectory(path)
    }

    #if os(Linux)
    private func parseInotify(_ count: Int, into changes: inout WatchChanges) {
        let header = 16  // struct inotify_event: wd, mask, cookie, len; then the name
        // SAFETY: reads stay inside the `count` bytes the kernel wrote, a whole number of events.
        var offset = 0
        while offset + header <= count {
            let watch = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[(offset + header)..<min(offset + header + length, count)])
            offset += header + length
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                changes.everything = true
                continue
            }
            guard let paths = pathsByWatch[watch] else { continue }
            if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                // The directory went away (or moved): forget the watch; paths through it re-anchor.
                if mask & UInt32(IN_IGNORED) == 0 { inotify_rm_watch(fd, watch) }
                pathsByWatch[watch] = nil
                for path in paths {
                    watchByPath[path] = nil
                    changes.directories.insert(path)
                }
                continue
            }
            let name = RawPath.string(fromBytes: nameBytes.prefix { $0 != 0 })  // any bytes, as listed
            if name.isEmpty { continue }  // the directory's own attributes
            let renamed = mask & UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) != 0
            for path in paths {
                let key = FileKey(directory: path, name: name)
                if renamed { changes.entries.insert(key) } else { changes.contents.insert(key) }
            }
        }
    }
    #elseif canImport(Darwin)
    private func register(_ descriptor: Int32, flags: UInt32) -> Bool {
        var change = kevent()
        change.ident = UInt(descriptor)
        change.filter = Int16(EVFILT_VNODE)
        change.flags = UInt16(EV_ADD | EV_CLEAR)
        change.fflags = flags
        return kevent(fd, &change, 1, nil, 0, nil) == 0
    }

    private func noteKqueue(_ event: kevent, into changes: inout WatchChanges) {
        let descriptor = Int32(event.ident)
        if let path = directoryByDescriptor[descriptor] {
            if event.fflags & UInt32(NOTE_DELETE | NOTE_RENAME | NOTE_REVOKE) != 0 {
                // Gone or moved: drop the watch (closing removes it); paths through it re-anchor.
                directoryByDescriptor[descriptor] = nil
                descriptorByDirectory[path] = nil
                close(descriptor)
            }
            changes.directories.insert(path)
        } else if let key = fileKeyByDescriptor[descriptor] {
            changes.contents.insert(key)
        }
    }
    #endif
}
