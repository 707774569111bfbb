import Foundation
import Testing
import Yams

/// One line of Tests/RealWorld/corpus.yml: a log line in its real format from a public source
/// (cited in Tests/RealWorld/README.md) and what logscan must make of it on its own.
struct RealWorldLine: CustomStringConvertible, Sendable {
    var id: String
    var source: String
    var line: String
    /// The exact set of causes a scan of this line alone reports (empty: none).
    var expect: [String]
    /// A rule that must put the line on the timeline (context lines that explain but are no cause).
    var rule: String?
    /// Written by us in another format or quoting to check that patterns generalise.
    var heldOut: Bool
    var description: String { id }

    static let corpus = Harness.packageRoot.appendingPathComponent("Tests/RealWorld/corpus.yml")

    static func all() -> [RealWorldLine] {
        guard let text = try? String(contentsOf: corpus, encoding: .utf8),
              let entries = (try? Yams.load(yaml: text)) as? [[String: Any]] else { return [] }
        return entries.map { e in
            RealWorldLine(id: e["id"] as? String ?? "?", source: e["source"] as? String ?? "",
                          line: e["line"] as? String ?? "", expect: e["expect"] as? [String] ?? [],
                          rule: e["rule"] as? String, heldOut: e["held_out"] as? Bool ?? false)
        }
    }
}

@Suite struct RealWorldTests {
    /// The corpus is there, big enough, every line cited, ids unique, and the README beside it
    /// names every line (so the citation table cannot drift from what is tested).
    @Test func corpusIsCitedAndLargeEnough() throws {
        let lines = RealWorldLine.all()
        #expect(lines.filter { !$0.heldOut }.count >= 40)
        #expect(lines.filter(\.heldOut).count >= 5)
        #expect(Set(lines.map(\.id)).count == lines.count)
        let readme = try String(contentsOf: Harness.packageRoot.appendingPathComponent("Tests/RealWorld/README.md"), encoding: .utf8)
        for l in lines {
            #expect(!l.source.isEmpty && !l.line.isEmpty, "\(l.id) has no source or no line")
            #expect(readme.contains("`\(l.id)`"), "\(l.id) is not in Tests/RealWorld/README.md")
        }
    }

    /// Each line is scanned on its own, as a file an admin might paste it into.
    @Test(arguments: RealWorldLine.all())
    func line(_ entry: RealWorldLine) throws {
        let dir = try Harness.temporaryDirectory()
        defer { Harness.remove(dir) }
        let file = dir.appendingPathComponent("excerpt.log")
        try (entry.line + "\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try Harness.run(["scan", "--format", "json", "--tz", "UTC", file.path])
        #expect(r.status == (entry.expect.isEmpty ? 0 : 1), "\(r.stderr)")
        let json = try r.json()
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["cause"] as? String }) == Set(entry.expect))
        let timeline = try #require(json["timeline"] as? [[String: Any]])
        if let rule = entry.rule {
            #expect(timeline.contains { $0["rule"] as? String == rule }, "rule \(rule) did not match")
        }
        // Evidence quotes the line itself.
        for f in findings {
            for e in (f["evidence"] as? [[String: Any]]) ?? [] { #expect(e["text"] as? String == entry.line) }
        }
    }
}
