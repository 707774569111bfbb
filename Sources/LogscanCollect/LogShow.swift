#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One `log show --style ndjson` run over the last `days`, written to a temporary file and
/// stopped at the deadline (what it wrote by then is kept).
struct LogShow {
    let executable: String
    let predicate: String
    let days: Int
    let deadline: Date?

    /// `log` found on `searchPath`, the first executable one.
    static func find(in searchPath: String) -> String? {
        for dir in searchPath.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/log"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    var arguments: [String] {
        ["show", "--style", "ndjson", "--info", "--debug", "--last", "\(max(1, days))d", "--predicate", predicate]
    }

    struct Result {
        var file: String?
        var bytes: Int64
        var status: String
    }

    func export() -> Result {
        let file = NSTemporaryDirectory() + "logscan-logshow-\(getpid())-\(UUID().uuidString).ndjson"
        let errFile = file + ".err"
        defer { try? FileManager.default.removeItem(atPath: errFile) }
        // posix_spawn rather than Process: the child gets a process group of its own, so at the
        // deadline the whole group goes (a wrapper's children too), and nothing waits on
        // descriptors a grandchild might keep open.
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            try? FileManager.default.removeItem(atPath: file)
            return Result(file: nil, bytes: 0, status: "failed: cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var cut = false
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid || (done < 0 && errno != EINTR) { break }
            if let deadline, Date() >= deadline {
                cut = true
                kill(-pid, SIGTERM)
                usleep(200_000)
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(20_000)
        }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0
        if cut { return Result(file: file, bytes: bytes, status: "cut at the time budget (kept what log show wrote by then)") }
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        if !exited || code != 0 {
            let message = (FileManager.default.contents(atPath: errFile)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let firstLine = message.split(separator: "\n").first.map(String.init)
                ?? (exited ? "exit status \(code)" : "killed by signal \(status & 0x7f)")
            if bytes == 0 { try? FileManager.default.removeItem(atPath: file) }
            return Result(file: bytes > 0 ? file : nil, bytes: bytes, status: "failed: \(firstLine)")
        }
        return Result(file: file, bytes: bytes, status: "ok")
    }
}
