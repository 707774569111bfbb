import Foundation
import Testing

/// A running `logscan follow --format ndjson`, with its output lines collected as they come.
final class FollowProcess: @unchecked Sendable {
    // SAFETY: `lines` is guarded by `lock`; the reader thread appends, the test reads.
    let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private var lines: [[String: Any]] = []
    private let done = DispatchSemaphore(value: 0)

    init(_ arguments: [String], directory: URL, stdin: Pipe? = nil) throws {
        process.executableURL = Harness.binary
        process.arguments = ["follow", "--format", "ndjson"] + arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        if let stdin { process.standardInput = stdin }
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            if data.isEmpty { handle.readabilityHandler = nil; self.done.signal(); return }
            self.lock.lock()
            self.buffer.append(data)
            while let nl = self.buffer.firstIndex(of: 0x0A) {
                let line = self.buffer[self.buffer.startIndex..<nl]
                self.buffer = Data(self.buffer[(nl + 1)...])
                if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] { self.lines.append(object) }
            }
            self.lock.unlock()
        }
        try process.run()
    }

    var objects: [[String: Any]] { lock.lock(); defer { lock.unlock() }; return lines }

    /// Waits until the process has `file` open (it reads from the end from then on), so
    /// appends made after this are never mistaken for history on a slow machine.
    func waitUntilOpened(_ file: URL) {
        let deadline = Date().addingTimeInterval(20)
        let target = file.resolvingSymlinksInPath().path
        while Date() < deadline {
            let fdDir = "/proc/\(process.processIdentifier)/fd"
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: fdDir) else { usleep(500_000); return }
            for fd in fds {
                if let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: fdDir + "/" + fd),
                   URL(fileURLWithPath: dest).resolvingSymlinksInPath().path == target { return }
            }
            usleep(20_000)
        }
        Issue.record("the follower never opened \(file.path)")
    }
    var events: [[String: Any]] { objects.filter { $0["type"] as? String == "event" } }

    /// Waits (up to 60 s: machines are slow and busy; a pass takes what the follower needs)
    /// until `condition` holds on the output.
    @discardableResult
    func wait(_ what: String, _ condition: ([[String: Any]]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if condition(objects) { return true }
            usleep(20_000)
        }
        Issue.record("timed out waiting for \(what); output so far: \(objects.map { $0["type"] ?? "?" })")
        return false
    }

    /// SIGINT, then the exit status once the summary is written.
    func interrupt() -> Int32 {
        process.interrupt()
        process.waitUntilExit()
        _ = done.wait(timeout: .now() + 10)
        return process.terminationStatus
    }
}

func cpLine(_ n: Int, _ message: String) -> String {
    "2025-03-04 09:\(String(format: "%02d", n / 60)):\(String(format: "%02d", n % 60)).000 | application | 1 | WelcomeViewController.swift: 253 (startLogin()) | \(message) #\(n)\n"
}
let bad = "Portal launched without WPJ only arg while account is under partner management"
let good = "Portal launched with WPJ only arg"

func append(_ text: String, to url: URL) throws {
    if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
    let h = try FileHandle(forWritingTo: url)
    try h.seekToEnd()
    try h.write(contentsOf: Data(text.utf8))
    try h.close()
}

/// The "#n" tokens of the event lines seen, in order.
func tokens(_ events: [[String: Any]]) -> [String] {
    events.compactMap { ($0["text"] as? String)?.components(separatedBy: "#").last }
}

@Suite(.serialized) struct FollowTests {
    @Test func appendsSplitWritesAndIdleFlush() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        try append(cpLine(0, good) + cpLine(1, bad), to: log)  // existing content: not read by default
        let f = try FollowProcess(["portal.log"], directory: dir)
        f.waitUntilOpened(log)
        try append(cpLine(2, bad), to: log)
        f.wait("first event") { tokens($0.filter { $0["type"] as? String == "event" }) == ["2"] }
        // The finding is written right after the event, in a write of its own: wait for it too.
        f.wait("the finding") { $0.contains { $0["type"] as? String == "finding" && $0["cause"] as? String == "register-not-via-self-service" } }
        // A line written in two pieces is processed once, when complete. The pieces go out
        // back to back: how far apart they may come on the idle clock is LiveSessionTests' to
        // show (a clock it sets); here a stalled test process could pass the idle time.
        let split = cpLine(3, good)
        try append(String(split.prefix(40)), to: log)
        try append(String(split.dropFirst(40)), to: log)
        f.wait("the split line") { tokens($0.filter { $0["type"] as? String == "event" }) == ["2", "3"] }
        // A last line without a terminator is processed after 1 s idle, and not again later.
        try append(String(cpLine(4, bad).dropLast()), to: log)
        f.wait("the idle line") { tokens($0.filter { $0["type"] as? String == "event" }) == ["2", "3", "4"] }
        try append("\n" + cpLine(5, good), to: log)
        f.wait("after the idle line") { tokens($0.filter { $0["type"] as? String == "event" }) == ["2", "3", "4", "5"] }
        #expect(f.interrupt() == 1)
        let objects = f.objects
        #expect(objects.filter { $0["type"] as? String == "finding" }.count == 1, "a cause is announced once")
        let summary = try #require(objects.last)
        #expect(summary["type"] as? String == "summary")
        #expect(summary["exit_code"] as? Int == 1)
        #expect(((summary["findings"] as? [[String: Any]])?.first?["count"] as? Int) == 2)
        #expect(f.events.map { $0["line"] as? Int } == [3, 4, 5, 6])
    }

    /// SIGINT at any moment of `follow`'s start ends it: before its handler is installed by the
    /// default action, after it with the summary. It was once ignored in between (the process
    /// then ran on for ever), a window a busy machine or a sanitizer widens.
    @Test func anInterruptWhileStartingIsNeverLost() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        try append(cpLine(0, good), to: dir.appendingPathComponent("portal.log"))
        for delay in stride(from: 0, through: 400_000, by: 20_000) {
            let process = Process()
            process.executableURL = Harness.binary
            process.arguments = ["follow", "--format", "ndjson", "portal.log"]
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(delay))
            process.interrupt()
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            #expect(!process.isRunning, "SIGINT \(delay / 1000) ms after the start was lost")
            if process.isRunning { process.terminate(); process.waitUntilExit() }
        }
    }

    @Test func rotationTruncationDeletionAndLateFiles() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log"), late = dir.appendingPathComponent("later.log")
        try append(cpLine(0, good), to: log)
        let f = try FollowProcess(["--from-start", "portal.log", "later.log"], directory: dir)
        f.wait("history") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0"] }
        try append(cpLine(1, good), to: log)
        f.wait("append") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0", "1"] }
        // Rotation by rename, then re-create.
        try FileManager.default.moveItem(at: log, to: dir.appendingPathComponent("portal.log.1"))
        try append(cpLine(2, good), to: log)
        f.wait("rotated") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0", "1", "2"] }
        // Copy-truncate (the writer goes on a moment later, as with logrotate's copytruncate;
        // a truncation and a rewrite to the same size in one instant look like nothing, to tail too).
        let handle = try FileHandle(forWritingTo: log)
        try handle.truncate(atOffset: 0)
        try handle.close()
        usleep(500_000)
        try append(cpLine(3, good), to: log)
        f.wait("truncated") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0", "1", "2", "3"] }
        // Deletion and re-creation.
        try FileManager.default.removeItem(at: log)
        usleep(500_000)
        try append(cpLine(4, good), to: log)
        f.wait("re-created") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0", "1", "2", "3", "4"] }
        // A file that did not exist at the start.
        try append(cpLine(5, bad), to: late)
        f.wait("late file") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0", "1", "2", "3", "4", "5"] }
        #expect(f.interrupt() == 1)
        // Both files are one bundle (plain files named together), named by the first.
        #expect(Set(f.events.compactMap { $0["bundle"] as? String }) == ["portal.log"])
    }

    @Test func directoriesPickUpNewFiles() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let logs = dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        // --from-start: a file created while the follower is still starting is read whole too.
        let f = try FollowProcess(["--from-start", "logs"], directory: dir)
        usleep(500_000)
        try append(cpLine(7, bad), to: logs.appendingPathComponent("com.microsoft.CompanyPortalMac 2025-03-04--09-00-00-000.log"))
        f.wait("new file in the directory") { tokens($0.filter { $0["type"] as? String == "event" }) == ["7"] }
        #expect(f.interrupt() == 1)
        #expect(f.events.first?["bundle"] as? String == "logs")
    }

    @Test func standardInputEndsTheSession() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let input = Pipe()
        let f = try FollowProcess(["-"], directory: dir, stdin: input)
        input.fileHandleForWriting.write(Data((cpLine(1, good) + cpLine(2, bad)).utf8))
        f.wait("stdin events") { tokens($0.filter { $0["type"] as? String == "event" }) == ["1", "2"] }
        try input.fileHandleForWriting.close()
        f.process.waitUntilExit()
        #expect(f.process.terminationStatus == 1)
        f.wait("summary") { $0.last?["type"] as? String == "summary" }
        #expect(f.events.first?["source"] as? String == "-")
    }

    @Test func healthyFollowExitsZero() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        try append("", to: log)
        let f = try FollowProcess(["portal.log"], directory: dir)
        f.waitUntilOpened(log)
        try append(cpLine(1, good), to: log)
        f.wait("event") { tokens($0.filter { $0["type"] as? String == "event" }) == ["1"] }
        #expect(f.interrupt() == 0)
        #expect(f.objects.last?["exit_code"] as? Int == 0)
    }

    /// `follow` reads as `scan` does (one decoder): UTF-16 is transcoded and NULs skipped; after
    /// a truncation the new content starts at line 1 and a note says so.
    @Test func utf16AndTruncationReadAsScanReads() throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let log = dir.appendingPathComponent("portal.log")
        func utf16(_ text: String) -> Data { text.data(using: .utf16LittleEndian)! }
        try (Data([0xFF, 0xFE]) + utf16(cpLine(0, good) + cpLine(1, bad))).write(to: log)
        let f = try FollowProcess(["--from-start", "portal.log"], directory: dir)
        f.wait("UTF-16 history") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0", "1"] }
        #expect(f.events.first?["format"] as? String == "company-portal")
        #expect(f.events.map { $0["line"] as? Int } == [1, 2])
        // A UTF-16 append after a NUL block (a crash mid-write).
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(count: 4096) + utf16(cpLine(2, good)))
        try handle.close()
        f.wait("append after NULs") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0", "1", "2"] }
        // Copy-truncate, then new content in UTF-8: read from line 1, judged afresh.
        let truncate = try FileHandle(forWritingTo: log)
        try truncate.truncate(atOffset: 0)
        try truncate.close()
        usleep(500_000)
        try append(cpLine(3, good), to: log)
        f.wait("after truncation") { tokens($0.filter { $0["type"] as? String == "event" }) == ["0", "1", "2", "3"] }
        #expect(f.events.last?["line"] as? Int == 1)
        let notes = f.objects.filter { $0["type"] as? String == "note" }
        #expect(notes.count == 1)
        #expect(notes.first?["source"] as? String == "portal.log")
        #expect((notes.first?["message"] as? String)?.contains("line numbers restart at 1") == true)
        #expect(f.interrupt() == 1)
        let input = f.objects.first { $0["type"] as? String == "input" }
        #expect(input?["nul_bytes_skipped"] as? Int == 4096)
    }
}
