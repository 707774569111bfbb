#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import LogscanInput

/// `hasUnreadBytes(of:)`: what `follow` asks before it treats an unfinished line as complete.
@Suite struct FollowerUnreadTests {
    /// Runs `follower` on this thread until `handler` returns true (or 10 s pass).
    func run(_ follower: Follower, until handler: (FollowEvent) -> Bool) {
        var done = false
        let deadline = Date().addingTimeInterval(10)
        follower.run(shouldStop: { done || Date() > deadline }) { event in
            if handler(event) { done = true }
        }
    }

    @Test func aFileWithBytesPastWhatWasReadHasUnreadBytes() throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("app.log", "old line\n")
        let follower = Follower(paths: [log], fromStart: false, tick: 0.01, standardInput: -1, watching: .polling)
        var seen: [String] = []
        run(follower) { event in
            switch event {
            case .tick where seen.isEmpty:
                seen.append("caught up: \(!follower.hasUnreadBytes(of: 0))")
                // Written while the caller is busy, before the follower reads again.
                try? append(log, "half a li")
                seen.append("unread: \(follower.hasUnreadBytes(of: 0))")
            case .data(_, let bytes):
                seen.append("data \(String(decoding: bytes, as: UTF8.self))")
            case .tick where seen.count == 3:
                seen.append("caught up: \(!follower.hasUnreadBytes(of: 0))")
                seen.append("no such file: \(!follower.hasUnreadBytes(of: 7))")
                return true
            default:
                break
            }
            return false
        }
        #expect(seen == ["caught up: true", "unread: true", "data half a li", "caught up: true", "no such file: true"])
    }

    @Test func standardInputWithDataWaitingHasUnreadBytes() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let follower = Follower(paths: ["-"], fromStart: false, tick: 0.01, standardInput: ends[0], watching: .polling)
        var seen: [String] = []
        run(follower) { event in
            switch event {
            case .tick where seen.isEmpty:
                seen.append("caught up: \(!follower.hasUnreadBytes(of: 0))")
                _ = "half a li".withCString { write(ends[1], $0, 9) }
                seen.append("unread: \(follower.hasUnreadBytes(of: 0))")
            case .data(_, let bytes):
                seen.append("data \(String(decoding: bytes, as: UTF8.self))")
                close(ends[1])
            case .ended:
                seen.append("ended, unread: \(follower.hasUnreadBytes(of: 0))")
                return true
            default:
                break
            }
            return false
        }
        #expect(seen == ["caught up: true", "unread: true", "data half a li", "ended, unread: false"])
    }
}
