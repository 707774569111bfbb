import Foundation
import Testing
import TestSupport
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

/// A line without its terminator is processed after `idleFlush` only when the file has truly
/// stopped growing: never while the rest of the line is written but not read yet (issue 15).
@Suite struct LiveSessionIdleFlushTests {
    /// One rule whose pattern spans the point where the line is cut in two below.
    static let rules = CompiledRules(ruleSet([rule("checkin", signals: ["checkin"])]))

    final class Recorder {
        var events: [Event] = []
    }

    /// A session following one file (id 0), its events going to `recorder`.
    func session(_ recorder: Recorder) -> LiveSession {
        let s = LiveSession(rules: Self.rules, options: AnalysisOptions(), idleFlush: 1.0) { output in
            if case .event(let e) = output { recorder.events.append(e) }
        }
        s.open(file: 0, source: "app.log", bundle: "b", modificationDate: t0)
        return s
    }

    func data(_ s: LiveSession, _ text: String, at now: Date) {
        Array(text.utf8).withUnsafeBytes { s.data(file: 0, $0, now: now) }
    }

    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func slowProcessingDoesNotSplitALineWhoseRestIsUnread() {
        let recorder = Recorder()
        let s = session(recorder)
        data(s, "first line\nplain text check", at: t0)
        // Handling the chunk took longer than idleFlush; meanwhile the writer finished the line,
        // but the follower has not read those bytes yet.
        s.tick(now: t0 + 1.5, hasUnreadBytes: { $0 == 0 })
        #expect(recorder.events.isEmpty)
        data(s, "in marker and the rest\n", at: t0 + 1.6)
        s.tick(now: t0 + 5, hasUnreadBytes: { _ in false })
        #expect(recorder.events.map(\.text) == ["plain text checkin marker and the rest"])
        #expect(recorder.events.map(\.line) == [2])
        let inputs = s.finish().flatMap(\.inputs)
        #expect(inputs.map(\.lines) == [2])
    }

    @Test func aLineIdleWithNothingUnreadIsProcessedOnce() {
        let recorder = Recorder()
        let s = session(recorder)
        data(s, "plain text checkin marker", at: t0)
        s.tick(now: t0 + 0.5, hasUnreadBytes: { _ in false })
        #expect(recorder.events.isEmpty)
        s.tick(now: t0 + 1.0, hasUnreadBytes: { _ in false })
        #expect(recorder.events.map(\.text) == ["plain text checkin marker"])
        // Its terminator, written late, does not make a second line.
        data(s, "\n", at: t0 + 3)
        s.tick(now: t0 + 5, hasUnreadBytes: { _ in false })
        #expect(recorder.events.count == 1)
        #expect(s.finish().flatMap(\.inputs).map(\.lines) == [1])
    }

    @Test func idleIsCountedFromTheLatestBytesOfTheLine() {
        let recorder = Recorder()
        let s = session(recorder)
        data(s, "plain text check", at: t0)
        s.tick(now: t0 + 1.5, hasUnreadBytes: { _ in true })
        data(s, "in marker", at: t0 + 1.6)
        // The line grew 0.4 s ago: not idle yet, although its first bytes are 2 s old.
        s.tick(now: t0 + 2.0, hasUnreadBytes: { _ in false })
        #expect(recorder.events.isEmpty)
        s.tick(now: t0 + 2.6, hasUnreadBytes: { _ in false })
        #expect(recorder.events.map(\.text) == ["plain text checkin marker"])
    }
}
