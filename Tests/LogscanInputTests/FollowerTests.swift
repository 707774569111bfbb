#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import LogscanInput

/// How the follower under test notices changes.
enum FollowMode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// inotify/kqueue only: the periodic full check is off, so every change must come through
    /// an OS notification.
    case watching
    /// No OS notifications: everything is looked at every tick.
    case polling

    var testDescription: String { rawValue }
}

/// An event as the tests compare it: bytes copied out, ticks counted apart.
enum Seen: Equatable, CustomStringConvertible {
    case opened(Int, String, fromStart: Bool)
    case data(Int, String)
    case reset(Int, ResetReason)
    case ended(Int)
    case error(String)

    var file: Int? {
        switch self {
        case .opened(let file, _, _), .data(let file, _), .reset(let file, _), .ended(let file): return file
        case .error: return nil
        }
    }

    var description: String {
        switch self {
        case .opened(let file, let path, let fromStart): return "opened(\(file), \(path), fromStart: \(fromStart))"
        case .data(let file, let text): return "data(\(file), \(text.debugDescription))"
        case .reset(let file, let reason): return "reset(\(file), \(reason))"
        case .ended(let file): return "ended(\(file))"
        case .error(let text): return "error(\(text))"
        }
    }
}

/// What the follower thread saw, read by the test thread.
final class FollowRecorder: @unchecked Sendable {
    // SAFETY: every stored property is read and written only while holding `lock`.
    private let lock = NSLock()
    private var events: [Seen] = []
    private var dataEvents = 0
    private var ticks = 0
    private var stopRequested = false
    private var finished = false
    private var pathMismatches: [String] = []
    /// Set by `holdAtNextTick`: the follower thread waits inside its next tick until `release`.
    private var holdRequested = false
    private var holding = false
    private let held = DispatchSemaphore(value: 0)

    func record(_ event: FollowEvent, pathOf: (Int) -> String) {
        let seen: Seen
        switch event {
        case .opened(let file, let path, _, let fromStart):
            seen = .opened(file, path, fromStart: fromStart)
            if pathOf(file) != path { locked { pathMismatches.append(path) } }
        case .data(let file, let bytes):
            seen = .data(file, String(decoding: bytes, as: UTF8.self))
        case .reset(let file, let reason):
            seen = .reset(file, reason)
        case .ended(let file):
            seen = .ended(file)
        case .tick:
            let hold: Bool = locked {
                ticks += 1
                if holdRequested { holdRequested = false; holding = true; return true }
                return false
            }
            if hold {
                held.wait()
                locked { holding = false }
            }
            return
        case .error(let error):
            seen = .error(error.description)
        }
        locked {
            if case .data = seen { dataEvents += 1 }
            events.append(seen)
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    var shouldStop: Bool { locked { stopRequested } }
    func requestStop() {
        if locked({ stopRequested = true; return holding }) { held.signal() }
    }
    func markFinished() { locked { finished = true } }
    var isFinished: Bool { locked { finished } }
    var tickCount: Int { locked { ticks } }

    /// Stops the follower inside its next tick, so the test can change files while it does
    /// not look: its next look then meets all of the changes at once, however busy the machine.
    func holdAtNextTick() throws {
        locked { holdRequested = true }
        try eventually("the follower to stop at a tick") { locked { holding } }
    }

    /// Lets a follower stopped by `holdAtNextTick` go on.
    func release() { held.signal() }
    var dataEventCount: Int { locked { dataEvents } }
    var mismatchedPaths: [String] { locked { pathMismatches } }

    /// Every event but ticks, consecutive `data` of one file merged (how bytes are split into
    /// reads is up to the OS).
    var all: [Seen] {
        locked {
            var merged: [Seen] = []
            for event in events {
                if case .data(let file, let text) = event, case .data(let lastFile, let lastText)? = merged.last, lastFile == file {
                    merged[merged.count - 1] = .data(file, lastText + text)
                } else {
                    merged.append(event)
                }
            }
            return merged
        }
    }

    func events(of file: Int) -> [Seen] {
        var merged: [Seen] = []
        for event in locked({ events }) where event.file == file {
            if case .data(_, let text) = event, case .data(_, let lastText)? = merged.last {
                merged[merged.count - 1] = .data(file, lastText + text)
            } else {
                merged.append(event)
            }
        }
        return merged
    }

    /// Every byte delivered for `file`, in order.
    func text(of file: Int) -> String {
        locked { events }.reduce(into: "") { text, event in
            if case .data(let owner, let bytes) = event, owner == file { text += bytes }
        }
    }

    var errors: [String] {
        locked { events }.compactMap { if case .error(let text) = $0 { text } else { nil } }
    }

    func id(of path: String) -> Int? {
        for event in locked({ events }) {
            if case .opened(let file, let opened, _) = event, opened == path { return file }
        }
        return nil
    }
}

/// A follower running on its own thread over the given paths.
final class FollowRun {
    let recorder = FollowRecorder()

    init(_ paths: [String], mode: FollowMode, fromStart: Bool = false, standardInput: Int32 = 0) {
        let recorder = self.recorder
        let thread = Thread {
            let follower = Follower(
                paths: paths, fromStart: fromStart, tick: 0.05, standardInput: standardInput,
                watching: mode == .watching ? .automatic : .polling,
                fullCheckInterval: mode == .watching ? .infinity : 5)
            follower.run(shouldStop: { recorder.shouldStop }) { event in
                recorder.record(event, pathOf: follower.path(of:))
            }
            recorder.markFinished()
        }
        thread.start()
    }

    /// Waits for the first tick: every path has been looked at once.
    func ready() throws {
        try eventually("the first tick") { recorder.tickCount > 0 }
    }

    /// Waits for `count` more ticks (time for the follower to look again).
    func idle(ticks count: Int = 5) throws {
        let start = recorder.tickCount
        try eventually("\(count) ticks") { recorder.tickCount >= start + count }
    }

    func stop() throws {
        recorder.requestStop()
        try eventually("the follower to stop") { recorder.isFinished }
        #expect(recorder.mismatchedPaths.isEmpty, "path(of:) names what opened named")
    }

    deinit { recorder.requestStop() }
}

struct FollowTimeout: Error, CustomStringConvertible {
    let description: String
}

/// Polls `condition` every 10 ms for up to 10 s (no timing is asserted, only the outcome).
func eventually(_ what: String, _ condition: () -> Bool) throws {
    let deadline = Date().addingTimeInterval(10)
    while !condition() {
        if Date() > deadline { throw FollowTimeout(description: "timed out waiting for \(what)") }
        usleep(10_000)
    }
}

/// Appends to a file named by any bytes (`RawPath`).
func appendRaw(_ path: String, _ bytes: [UInt8]) throws {
    let fd = RawPath.openDescriptor(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC)
    guard fd >= 0 else { throw FollowTimeout(description: "cannot open \(path)") }
    defer { close(fd) }
    guard write(fd, bytes, bytes.count) == bytes.count else { throw FollowTimeout(description: "short write to \(path)") }
}

/// Appends like a logger: open for append, write, close.
func append(_ path: String, _ text: String) throws {
    try append(path, bytes: Array(text.utf8))
}

func append(_ path: String, bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard fd >= 0 else { throw FollowTimeout(description: "cannot open \(path)") }
    defer { close(fd) }
    guard write(fd, bytes, bytes.count) == bytes.count else { throw FollowTimeout(description: "short write to \(path)") }
}

func renameFile(_ from: String, _ to: String) throws {
    guard rename(from, to) == 0 else { throw FollowTimeout(description: "rename \(from) failed") }
}

@Suite struct FollowerTests {
    @Test(arguments: FollowMode.allCases)
    func appendsArriveInOrderIncludingALineWrittenInTwoPieces(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("app.log", "old line\n")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try append(log, "one\n")
        try eventually("one") { run.recorder.text(of: 0) == "one\n" }
        try append(log, "tw")
        try eventually("the first piece") { run.recorder.text(of: 0) == "one\ntw" }
        try append(log, "o\nthree\n")
        try eventually("the rest") { run.recorder.text(of: 0) == "one\ntwo\nthree\n" }
        try run.stop()
        #expect(run.recorder.all == [.opened(0, log, fromStart: false), .data(0, "one\ntwo\nthree\n")])
        #expect(run.recorder.dataEventCount >= 3)
    }

    @Test(arguments: FollowMode.allCases, [false, true])
    func fromStartDecidesWhetherExistingContentIsRead(mode: FollowMode, fromStart: Bool) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("jamf.log", "existing\n")
        let run = FollowRun([log], mode: mode, fromStart: fromStart)
        try run.ready()
        try append(log, "new\n")
        let expected = fromStart ? "existing\nnew\n" : "new\n"
        try eventually("the append") { run.recorder.text(of: 0) == expected }
        try run.stop()
        #expect(run.recorder.all == [.opened(0, log, fromStart: fromStart), .data(0, expected)])
    }

    @Test(arguments: FollowMode.allCases)
    func rotationByRenameDeliversTheOldFileToItsEndBeforeTheNewOne(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("jamf.log", "before\n")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try append(log, "a\n")
        try eventually("a") { run.recorder.text(of: 0) == "a\n" }
        try renameFile(log, log + ".0")
        try append(log + ".0", "b, late to the old file\n")  // a writer that has not reopened yet
        try dir.write("jamf.log", "c\n")
        try eventually("the new file") { run.recorder.text(of: 0) == "a\nb, late to the old file\nc\n" }
        try append(log, "d\n")
        try eventually("d") { run.recorder.text(of: 0).hasSuffix("c\nd\n") }
        try run.stop()
        #expect(run.recorder.all == [
            .opened(0, log, fromStart: false), .data(0, "a\nb, late to the old file\n"),
            .reset(0, .rotated), .opened(0, log, fromStart: true), .data(0, "c\nd\n"),
        ])
    }

    @Test(arguments: FollowMode.allCases)
    func aFileRenamedAwayIsStillReadUntilANewOneAppears(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("jamf.log", "")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try renameFile(log, log + ".0")
        try run.idle()
        try append(log + ".0", "still written\n")
        try eventually("the write to the renamed file") { run.recorder.text(of: 0) == "still written\n" }
        try dir.write("jamf.log", "fresh\n")
        try eventually("the new file") { run.recorder.text(of: 0) == "still written\nfresh\n" }
        try run.stop()
        #expect(run.recorder.all == [
            .opened(0, log, fromStart: false), .data(0, "still written\n"),
            .reset(0, .rotated), .opened(0, log, fromStart: true), .data(0, "fresh\n"),
        ])
    }

    @Test(arguments: FollowMode.allCases)
    func copyTruncateRestartsAtTheStart(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("portal.log", "old\n")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try append(log, "x1\nx2\n")
        try eventually("x") { run.recorder.text(of: 0) == "x1\nx2\n" }
        try FileManager.default.copyItem(atPath: log, toPath: log + ".1")
        #expect(truncate(log, 0) == 0)
        try eventually("the truncation") { run.recorder.events(of: 0).contains(.reset(0, .truncated)) }
        try append(log, "y\n")
        try eventually("y") { run.recorder.text(of: 0) == "x1\nx2\ny\n" }
        try run.stop()
        #expect(run.recorder.all == [
            .opened(0, log, fromStart: false), .data(0, "x1\nx2\n"), .reset(0, .truncated), .data(0, "y\n"),
        ])
    }

    @Test(arguments: FollowMode.allCases)
    func deletionThenRecreation(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("app.log", "")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try append(log, "last words")
        try eventually("the append") { run.recorder.text(of: 0) == "last words" }
        try FileManager.default.removeItem(atPath: log)
        try eventually("the deletion") { run.recorder.events(of: 0).last == .reset(0, .deleted) }
        try run.idle()
        try dir.write("app.log", "born again\n")
        try eventually("the new file") { run.recorder.text(of: 0) == "last wordsborn again\n" }
        try run.stop()
        #expect(run.recorder.all == [
            .opened(0, log, fromStart: false), .data(0, "last words"), .reset(0, .deleted),
            .opened(0, log, fromStart: true), .data(0, "born again\n"),
        ])
    }

    @Test(arguments: FollowMode.allCases)
    func aFileRenamedOverTheFollowedOneIsARecreation(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("app.log", "v1\n")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try append(log, "a\n")
        try eventually("a") { run.recorder.text(of: 0) == "a\n" }
        let replacement = try dir.write("app.log.tmp", "v2\n")
        try renameFile(replacement, log)
        try eventually("the replacement") { run.recorder.text(of: 0) == "a\nv2\n" }
        try run.stop()
        #expect(run.recorder.all == [
            .opened(0, log, fromStart: false), .data(0, "a\n"), .reset(0, .recreated),
            .opened(0, log, fromStart: true), .data(0, "v2\n"),
        ])
    }

    @Test(arguments: FollowMode.allCases)
    func pathsThatDoNotExistYetAreWaitedForAndReadFromTheirStart(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let soon = dir.at("soon.log")
        let deep = dir.at("Library/Logs/Company Portal/portal.log")
        let run = FollowRun([soon, deep], mode: mode)
        try run.ready()
        try run.idle()
        #expect(run.recorder.all.isEmpty, "a missing path is not an error")
        try dir.write("soon.log", "here\n")
        try eventually("soon.log") { run.recorder.text(of: 0) == "here\n" }
        try FileManager.default.createDirectory(atPath: dir.at("Library/Logs"), withIntermediateDirectories: true)
        try run.idle(ticks: 2)
        try FileManager.default.createDirectory(atPath: dir.at("Library/Logs/Company Portal"), withIntermediateDirectories: true)
        try append(deep, "first\n")
        try eventually("portal.log") { run.recorder.text(of: 1) == "first\n" }
        try append(deep, "second\n")
        try eventually("the append") { run.recorder.text(of: 1) == "first\nsecond\n" }
        try run.stop()
        #expect(run.recorder.events(of: 0) == [.opened(0, soon, fromStart: true), .data(0, "here\n")])
        #expect(run.recorder.events(of: 1) == [.opened(1, deep, fromStart: true), .data(1, "first\nsecond\n")])
        #expect(run.recorder.errors.isEmpty)
    }

    @Test(arguments: FollowMode.allCases)
    func directoriesFollowEveryFileAndPickUpNewOnesFromTheirStart(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/a.log", "old a\n")
        try dir.write("logs/sub/b.log", "old b\n")
        let root = dir.at("logs")
        let run = FollowRun([root], mode: mode)
        try run.ready()
        #expect(run.recorder.all == [
            .opened(0, root + "/a.log", fromStart: false), .opened(1, root + "/sub/b.log", fromStart: false),
        ])
        try dir.write("logs/c.log", "new c\n")
        try eventually("c.log") { run.recorder.text(of: 2) == "new c\n" }
        try FileManager.default.createDirectory(atPath: dir.at("logs/later"), withIntermediateDirectories: false)
        try append(dir.at("logs/later/d.log"), "new d\n")
        try eventually("d.log") { run.recorder.text(of: 3) == "new d\n" }
        try append(root + "/a.log", "more a\n")
        try append(root + "/sub/b.log", "more b\n")
        try eventually("the appends") {
            run.recorder.text(of: 0) == "more a\n" && run.recorder.text(of: 1) == "more b\n"
        }
        try run.stop()
        #expect(run.recorder.events(of: 2) == [.opened(2, root + "/c.log", fromStart: true), .data(2, "new c\n")])
        #expect(run.recorder.events(of: 3) == [.opened(3, root + "/later/d.log", fromStart: true), .data(3, "new d\n")])
        #expect(run.recorder.errors.isEmpty)
    }

    @Test(arguments: FollowMode.allCases)
    func aFileInAFollowedDirectoryReplacedByADirectoryIsScanned(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let swapped = try dir.write("logs/x", "file\n")
        let run = FollowRun([dir.at("logs")], mode: mode)
        try run.ready()
        try FileManager.default.removeItem(atPath: swapped)
        try FileManager.default.createDirectory(atPath: swapped, withIntermediateDirectories: false)
        try append(swapped + "/inner.log", "inside\n")
        try eventually("inner.log") { run.recorder.text(of: 1) == "inside\n" }
        try run.stop()
        #expect(run.recorder.events(of: 0) == [.opened(0, swapped, fromStart: false), .reset(0, .deleted)])
        #expect(run.recorder.events(of: 1) == [.opened(1, swapped + "/inner.log", fromStart: true), .data(1, "inside\n")])
        #expect(run.recorder.errors.isEmpty)
    }

    @Test(arguments: FollowMode.allCases)
    func rotationInsideAFollowedDirectoryReadsNothingTwice(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("logs/app.log", "history\n")
        let rotated = log + ".1"
        let run = FollowRun([dir.at("logs")], mode: mode)
        try run.ready()
        try append(log, "1\n")
        try eventually("1") { run.recorder.text(of: 0) == "1\n" }
        try renameFile(log, rotated)
        try append(rotated, "2\n")
        try dir.write("logs/app.log", "3\n")
        try eventually("the new app.log and the rotated name") {
            run.recorder.text(of: 0) == "1\n2\n3\n" && run.recorder.id(of: rotated) != nil
        }
        let rotatedID = try #require(run.recorder.id(of: rotated))
        try append(rotated, "4, written late to the rotated file\n")
        try eventually("4") { run.recorder.text(of: rotatedID) == "4, written late to the rotated file\n" }
        try run.stop()
        #expect(run.recorder.events(of: 0) == [
            .opened(0, log, fromStart: false), .data(0, "1\n2\n"), .reset(0, .rotated),
            .opened(0, log, fromStart: true), .data(0, "3\n"),
        ])
        #expect(run.recorder.events(of: rotatedID) == [
            .opened(rotatedID, rotated, fromStart: false), .data(rotatedID, "4, written late to the rotated file\n"),
        ])
    }

    @Test(arguments: FollowMode.allCases)
    func compressedFilesInAFollowedDirectoryAreLeftAlone(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.at("logs"), withIntermediateDirectories: false)
        let run = FollowRun([dir.at("logs")], mode: mode)
        try run.ready()
        try append(dir.at("logs/jamf.log.0.gz"), bytes: [0x1F])
        try run.idle(ticks: 2)
        try append(dir.at("logs/jamf.log.0.gz"), bytes: [0x8B, 0x08, 0x00] + Array("rest of a gzip stream".utf8))
        try dir.write("logs/jamf.log", "plain\n")
        try eventually("jamf.log") { run.recorder.id(of: dir.at("logs/jamf.log")) != nil }
        try run.idle()
        try run.stop()
        let id = try #require(run.recorder.id(of: dir.at("logs/jamf.log")))
        #expect(run.recorder.all == [.opened(id, dir.at("logs/jamf.log"), fromStart: true), .data(id, "plain\n")])
    }

    @Test(arguments: FollowMode.allCases)
    func aDirectoryInPlaceOfTheFileIsReportedOnce(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("app.log", "")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try FileManager.default.removeItem(atPath: log)
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: false)
        try eventually("the error") { !run.recorder.errors.isEmpty }
        for _ in 0..<3 {
            #expect(chmod(log, 0o700) == 0)  // an event on the path: look again
            try run.idle(ticks: 2)
        }
        try FileManager.default.removeItem(atPath: log)
        try dir.write("app.log", "file again\n")
        try eventually("the file") { run.recorder.text(of: 0) == "file again\n" }
        try run.stop()
        #expect(run.recorder.errors.count == 1)
        #expect(run.recorder.errors.first?.contains("directory") == true)
        #expect(run.recorder.events(of: 0) == [
            .opened(0, log, fromStart: false), .reset(0, .deleted), .opened(0, log, fromStart: true), .data(0, "file again\n"),
        ])
    }

    @Test(.enabled(if: geteuid() != 0, "root reads every file"), arguments: FollowMode.allCases)
    func anUnreadableFileIsReportedOnceAndReadWhenItBecomesReadable(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("secret.log", "hidden\n")
        #expect(chmod(log, 0) == 0)
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try eventually("the error") { run.recorder.errors.count == 1 }
        try run.idle()
        #expect(chmod(log, 0o644) == 0)
        try eventually("the content") { run.recorder.text(of: 0) == "hidden\n" }
        try run.stop()
        #expect(run.recorder.errors.count == 1)
    }

    @Test(arguments: FollowMode.allCases)
    func standardInputIsReadUntilItEnds(mode: FollowMode) throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let run = FollowRun(["-"], mode: mode, standardInput: ends[0])
        try run.ready()
        let first = Array("alpha\nbe".utf8)
        #expect(write(ends[1], first, first.count) == first.count)
        try eventually("alpha") { run.recorder.text(of: 0) == "alpha\nbe" }
        let rest = Array("ta\n".utf8)
        #expect(write(ends[1], rest, rest.count) == rest.count)
        close(ends[1])
        try eventually("the end of input to end the run") { run.recorder.isFinished }
        #expect(run.recorder.all == [.opened(0, "-", fromStart: true), .data(0, "alpha\nbeta\n"), .ended(0)])
        #expect(!run.recorder.shouldStop)
    }

    @Test(arguments: FollowMode.allCases)
    func aLargeAppendArrivesWholeAndInOrder(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("big.log", "")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        // Several times the read buffer and the per-turn limit, in one write.
        let text = (0..<60_000).map { "line \($0) of a large burst, padded to look like a log line\n" }.joined()
        try append(log, text)
        try eventually("every byte") { run.recorder.text(of: 0).utf8.count >= text.utf8.count }
        try run.stop()
        #expect(run.recorder.text(of: 0) == text)
    }

    @Test(arguments: FollowMode.allCases)
    func everyLineOnceAcrossRepeatedRotationsOfANamedFile(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("jamf.log", "")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        var expected = ""
        var resets = 0
        for index in 0..<300 {
            let line = "line \(index)\n"
            try append(log, line)  // opens by path, like a logger that reopens: new writes go to the new file
            expected += line
            if index % 60 == 59 {
                try renameFile(log, log + ".\(index / 60)")
                try append(log, "after rotation \(index / 60)\n")
                expected += "after rotation \(index / 60)\n"
                resets += 1
                try eventually("rotation \(resets)") {
                    run.recorder.events(of: 0).filter { $0 == .reset(0, .rotated) }.count == resets
                }
            }
        }
        try eventually("every line") { run.recorder.text(of: 0) == expected }
        try run.stop()
        #expect(run.recorder.text(of: 0) == expected)
        #expect(run.recorder.errors.isEmpty)
    }

    @Test(arguments: FollowMode.allCases)
    func everyLineOnceAcrossRapidRotationsInAFollowedDirectory(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/app.log", "before\n")
        let log = dir.at("logs/app.log")
        let run = FollowRun([dir.at("logs")], mode: mode)
        try run.ready()
        var expected: [String] = []
        for index in 0..<400 {
            let line = "line \(index)"
            try append(log, line + "\n")
            expected.append(line)
            if index % 40 == 39 { try renameFile(log, log + ".\(index / 40)") }  // no waiting at all
        }
        func lines() -> [String] {
            let files = Set(run.recorder.all.compactMap(\.file))
            return files.flatMap { run.recorder.text(of: $0).split(separator: "\n").map(String.init) }
        }
        try eventually("every line") { lines().count >= expected.count }
        try run.idle()
        try run.stop()
        // Split per file, lines from different files interleave; each must be there exactly once.
        #expect(lines().sorted() == expected.sorted())
        #expect(run.recorder.errors.isEmpty)
    }

    /// A file opened from its start while still empty waits for bytes before it is announced.
    /// Filled and renamed away before the follower looks again (a busy machine, a fast logger),
    /// its lines are delivered before the rotation, not dropped with it.
    @Test(arguments: FollowMode.allCases)
    func aFileFilledAndRotatedBetweenTwoLooksIsReadWhole(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        let log = dir.at("jamf.log")
        let run = FollowRun([log], mode: mode)
        try run.ready()
        try append(log, "")  // appears empty: opened from its start, not announced yet
        try run.idle(ticks: 3)
        try run.recorder.holdAtNextTick()
        try append(log, "first line\n")
        try renameFile(log, log + ".1")
        try append(log, "after rotation\n")
        run.recorder.release()
        try eventually("both files") { run.recorder.text(of: 0) == "first line\nafter rotation\n" }
        try run.idle()
        try run.stop()
        #expect(run.recorder.text(of: 0) == "first line\nafter rotation\n")
        #expect(run.recorder.events(of: 0).filter { $0 == .reset(0, .rotated) }.count == 1)
        #expect(run.recorder.errors.isEmpty)
    }

    /// A file whose name is not UTF-8 (Latin-1) in a followed directory: found, and its
    /// appends noticed (inotify names it by its bytes).
    @Test(arguments: FollowMode.allCases)
    func aLatin1NamedFileInAFollowedDirectoryIsFollowed(mode: FollowMode) throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/.keep", "")
        let path = RawPath.string(fromBytes: Array(dir.at("logs/caf").utf8) + [0xE9] + Array(".log".utf8))
        let run = FollowRun([dir.at("logs")], mode: mode)
        try run.ready()
        try appendRaw(path, Array("first\n".utf8))
        try eventually("the first line") { run.recorder.id(of: path).map { run.recorder.text(of: $0) } == "first\n" }
        try appendRaw(path, Array("second\n".utf8))
        try eventually("the append") { run.recorder.id(of: path).map { run.recorder.text(of: $0) } == "first\nsecond\n" }
        try run.stop()
        #expect(run.recorder.errors.isEmpty)
    }

    @Test func idsArePerPathAndStable() {
        let follower = Follower(paths: ["a.log", "-", "logs/", "a.log"], fromStart: false)
        #expect(follower.path(of: 0) == "a.log")
        #expect(follower.path(of: 1) == "-")
        #expect(follower.path(of: 2) == "logs/")
        #expect(follower.path(of: 3) == "")
    }
}
