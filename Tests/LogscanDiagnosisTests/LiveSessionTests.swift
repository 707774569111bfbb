import Foundation
import Testing
@testable import LogscanDiagnosis
import LogscanRules
import LogscanScan
import LogscanSupport

/// `follow`'s line handling on a clock the test sets (`data(now:)`, `tick(now:)`): what a
/// process test can only show when the machine is quick enough to write both halves of a line
/// within the idle time.
@Suite struct LiveSessionTests {
    static let rules = CompiledRules(RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: false)]), prefilter: true)
    static let bad = "Portal launched without WPJ only arg while account is under partner management"
    static let good = "Portal launched with WPJ only arg"

    static func line(_ n: Int, _ message: String) -> String {
        "2025-03-04 09:00:\(String(format: "%02d", n)).000 | application | 1 | WelcomeViewController.swift: 253 (startLogin()) | \(message) #\(n)\n"
    }

    final class Collected {
        var events: [Event] = []
        var tokens: [String] { events.compactMap { $0.text.components(separatedBy: "#").last } }
        var lines: [Int] { events.map(\.line) }
    }

    @Test func aSplitLineIsReadOnceWholeAndAnUnendedOneAfterTheIdleTime() {
        let seen = Collected()
        let session = LiveSession(rules: Self.rules, options: AnalysisOptions(), idleFlush: 1) { output in
            if case .event(let e) = output { seen.events.append(e) }
        }
        let t0 = Date()
        session.open(file: 0, source: "portal.log", bundle: "portal.log", modificationDate: nil)
        func write(_ text: String, at seconds: Double) {
            Array(text.utf8).withUnsafeBytes { session.data(file: 0, $0, now: t0 + seconds) }
        }
        write(Self.line(0, Self.good) + Self.line(1, Self.bad), at: 0)
        session.tick(now: t0 + 2, hasUnreadBytes: { _ in false })  // the first bytes, held while the encoding is judged, go on
        #expect(seen.tokens == ["0", "1"])

        // A line written in two pieces, the second 0.95 s after the first: read once, whole.
        let split = Self.line(2, Self.bad)
        write(String(split.prefix(40)), at: 3)
        session.tick(now: t0 + 3.9, hasUnreadBytes: { _ in false })
        #expect(seen.tokens == ["0", "1"], "a piece of a line is not a line before the idle time")
        write(String(split.dropFirst(40)), at: 3.95)
        #expect(seen.tokens == ["0", "1", "2"])

        // A last line without its terminator: read after 1 s without data, not before, and not
        // again when its terminator comes.
        write(String(Self.line(3, Self.bad).dropLast()), at: 5)
        session.tick(now: t0 + 5.99, hasUnreadBytes: { _ in false })
        #expect(seen.tokens == ["0", "1", "2"])
        session.tick(now: t0 + 6, hasUnreadBytes: { _ in false })
        #expect(seen.tokens == ["0", "1", "2", "3"])
        write("\n" + Self.line(4, Self.bad), at: 7)
        session.tick(now: t0 + 9, hasUnreadBytes: { _ in false })
        #expect(seen.tokens == ["0", "1", "2", "3", "4"])
        #expect(seen.lines == [1, 2, 3, 4, 5])
    }
}
