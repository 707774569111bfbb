import Foundation
import Testing

/// `--redact` end to end: every sample, in every format the binary offers, must not hold any
/// value the redaction replaced, and must reach the same findings as without it.
@Suite(.serialized) struct RedactionTests {
    /// The formats, as the binary lists them when given a bad one (so a new format is covered
    /// the day it is added).
    static func formats() throws -> [String] {
        let r = try Harness.run(["scan", "--format", "no-such-format", "x"])
        let text = r.stderr
        guard let start = text.range(of: "Please provide one of ") else { return [] }
        let rest = text[start.upperBound...]
        // A few values: "'text', 'json' or 'csv'."; more: one "  - value" line each.
        let listed = rest.split(separator: "\n").dropFirst().prefix { $0.hasPrefix("  - ") }.map { String($0.dropFirst(4)) }
        if !listed.isEmpty { return listed }
        let tail = rest.prefix { $0 != "\n" }
        return tail.components(separatedBy: "'").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    /// The text of the cause and error-code catalogues (titles, fix steps, code meanings and
    /// their sources), which is logscan's own and is not redacted: a public name in it ("Ben
    /// Whitis' MSALAccountRemover", the `dev` branch in a source address) is no leak.
    static let catalogue: String = {
        ["Patterns/causes", "Patterns/codes"].flatMap { folder -> [String] in
            let dir = Harness.packageRoot.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
        }.joined(separator: "\n")
    }()

    /// The text a reader of `output` sees: JSON strings decoded, HTML entities resolved.
    /// `withoutCatalogue`: JSON without the catalogues' own `title`, `fix` and `codes`.
    static func readable(_ output: Data, format: String, withoutCatalogue: Bool = false) -> String {
        func strings(_ value: Any, into out: inout [String]) {
            switch value {
            case let s as String: out.append(s)
            case let a as [Any]: for v in a { strings(v, into: &out) }
            case let d as [String: Any]:
                for (k, v) in d where !(withoutCatalogue && (k == "fix" || k == "title" || k == "codes")) { out.append(k); strings(v, into: &out) }
            default: break
            }
        }
        let text = String(decoding: output, as: UTF8.self)
        switch format {
        case "json", "ndjson":
            var out: [String] = []
            for line in format == "json" ? [text] : text.split(separator: "\n").map(String.init) {
                if let v = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) { strings(v, into: &out) }
            }
            return out.joined(separator: "\n")
        case "html":
            // The page's own style sheet and script are the template's, not report data.
            var s = text
            for tag in ["style", "script"] {
                while let open = s.range(of: "<\(tag)"), let close = s.range(of: "</\(tag)>", range: open.upperBound..<s.endIndex) {
                    s.removeSubrange(open.lowerBound..<close.upperBound)
                }
            }
            for (entity, char) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'")] {
                s = s.replacingOccurrences(of: entity, with: char)
            }
            // Numeric character references, decimal and hex.
            var out = ""
            var rest = s[...]
            while let r = rest.range(of: "&#") {
                out += rest[..<r.lowerBound]
                let after = rest[r.upperBound...]
                if let semi = after.firstIndex(of: ";"), after.distance(from: after.startIndex, to: semi) <= 8 {
                    let body = after[..<semi]
                    let value = body.hasPrefix("x") || body.hasPrefix("X") ? UInt32(body.dropFirst(), radix: 16) : UInt32(body)
                    if let value, let scalar = Unicode.Scalar(value) {
                        out.unicodeScalars.append(scalar)
                        rest = after[after.index(after: semi)...]
                        continue
                    }
                }
                out += "&#"
                rest = after
            }
            out += rest
            return out.replacingOccurrences(of: "&amp;", with: "&")
        default:
            return text
        }
    }

    /// Whether `value` occurs in `text` as a whole word (any case), as the redaction replaces it.
    static func survives(_ value: String, in text: String) -> Bool {
        let haystack = text.lowercased(), needle = value.lowercased()
        var from = haystack.startIndex
        while let r = haystack.range(of: needle, range: from..<haystack.endIndex) {
            let before = r.lowerBound > haystack.startIndex ? haystack[haystack.index(before: r.lowerBound)] : " "
            let after = r.upperBound < haystack.endIndex ? haystack[r.upperBound] : " "
            // "…" where the text report cut a line continues the word it touches: "Dev…" is
            // part of a longer word, not the value "dev".
            func word(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "…" }
            if !word(before) && !word(after) { return true }
            from = haystack.index(after: r.lowerBound)
        }
        return false
    }

    static func findings(_ output: Data) throws -> [String] {
        let json = try #require(JSONSerialization.jsonObject(with: output) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        return findings.map { f in
            "\(f["cause"] ?? "") \(f["count"] ?? "") \(f["first_seen"] ?? "") \(f["last_seen"] ?? "") \(f["severity"] ?? "")"
        }
    }

    static func map(at url: URL) throws -> [String: String] {
        let data = try Data(contentsOf: url)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: String])
    }

    /// Two Macs the samples do not have: one whose only errors are unrecognized (a user, a host
    /// and an address in the lines and in their template), and one that is not diagnosable (a
    /// `.logarchive` under a user's home, whose reason names the path).
    static func extraMacs(in dir: URL) throws -> [String] {
        let fm = FileManager.default
        let portal = dir.appendingPathComponent("zoe-mac/Users/zoe/Library/Logs/Company Portal")
        try fm.createDirectory(at: portal, withIntermediateDirectories: true)
        let lines = (0..<3).map { k in
            "2025-08-11 16:2\(k):58:369 | Company Portal | E | 89007862 | Sync | Mailbox sync failed on zoes-mbp.corp.example.com "
                + "from 10.20.30.4\(k) for user \"zoe.miller\" (zoe.miller@contoso.com), attempt \(k)"
        }
        try (lines.joined(separator: "\n") + "\n").write(to: portal.appendingPathComponent("com.microsoft.CompanyPortalMac.log"),
                                                          atomically: true, encoding: .utf8)
        let archive = dir.appendingPathComponent("Users/zoe/Desktop/system_logs.logarchive")
        try fm.createDirectory(at: archive.appendingPathComponent("Persist"), withIntermediateDirectories: true)
        var tracev3 = Data(count: 20_000)
        for i in tracev3.indices { tracev3[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        try tracev3.write(to: archive.appendingPathComponent("Persist/0000000000000001.tracev3"))
        return [dir.appendingPathComponent("zoe-mac").path, archive.path]
    }

    @Test func noReplacedValueSurvivesInAnyFormatAndTheFindingsStayTheSame() throws {
        let formats = try Self.formats()
        let extra = try Harness.temporaryDirectory()
        defer { Harness.remove(extra) }
        let extraMacs = try Self.extraMacs(in: extra)
        #expect(formats.contains("text") && formats.contains("json") && formats.contains("csv"), "\(formats)")
        let mapURL = FileManager.default.temporaryDirectory.appendingPathComponent("logscan-redact-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: mapURL) }
        var checks = 0
        var values: Set<String> = []
        var runs = 0
        // Every sample on its own, then all of them as one fleet (one pseudonym per value across Macs).
        var cases = Scenario.all().map { (name: $0.name, args: $0.args + ["Samples/\($0.name)/logs"]) }
        cases.append((name: "fleet", args: ["--tz", "UTC"] + Scenario.all().map { "Samples/\($0.name)/logs" } + extraMacs))
        for c in cases {
            let plain = try Harness.run(["scan", "--format", "json"] + c.args)
            let expected = try Self.findings(plain.stdout)
            // Each sample on its own in JSON (its findings, with its own --tz); the fleet of all
            // of them in every format (every sample in every format, in a quarter of the runs).
            for format in c.name == "fleet" ? formats : ["json"] {
                let r = try Harness.run(["scan", "--format", format, "--redact", "--redact-map", mapURL.path] + c.args)
                runs += 1
                #expect(r.status == plain.status, "\(c.name) \(format): \(r.stderr)")
                let map = try Self.map(at: mapURL)
                if format == "json" {
                    #expect(try Self.findings(r.stdout) == expected, "\(c.name): findings differ when redacted")
                    let json = try r.json()
                    #expect(json["redacted"] as? Bool == true)
                    #expect(try Harness.schemaErrors(r.stdout) == [])
                    if c.name == "fleet" {
                        // The unrecognized errors and the not-diagnosable Mac are in the report, redacted.
                        let kinds = try #require(json["unrecognized"] as? [[String: Any]])
                        let zoe = kinds.filter { ($0["template"] as? String)?.contains("Mailbox sync failed on host-") == true }
                        #expect(zoe.count == 1, "\(kinds.compactMap { $0["template"] })")
                        let bundles = try #require(json["bundles"] as? [[String: Any]])
                        #expect(bundles.contains { ($0["not_diagnosable"] as? String)?.contains("Users/user-") == true })
                    }
                }
                // What the reader sees: the report and, as errors go there too, standard error.
                let text = Self.readable(r.stdout, format: format) + "\n" + r.stderr
                if c.name == "fleet" && format != "csv" {
                    #expect(text.contains(format == "json" || format == "ndjson" ? "unrecognized" : "Unrecognized errors"),
                            "\(format): no unrecognized errors")
                    #expect(text.lowercased().contains("not diagnosable") || text.contains("not_diagnosable"), "\(format)")
                }
                // Every format says that it is redacted.
                #expect(format == "csv" ? text.contains(",yes\n") : text.contains("redacted"), "\(c.name) \(format) does not say it is redacted")
                #expect(!map.isEmpty || !Self.survives("Users/", in: text), "\(c.name) \(format): nothing was redacted")
                for original in map.values {
                    checks += 1
                    values.insert(original.lowercased())
                    if Self.survives(original, in: Self.catalogue) {
                        // Checked where logs and names are, outside the catalogue's own words.
                        if format == "json" || format == "ndjson" {
                            let data = Self.readable(r.stdout, format: format, withoutCatalogue: true)
                            #expect(!Self.survives(original, in: data), "\(c.name) \(format): '\(original)' survived")
                        }
                        continue
                    }
                    #expect(!Self.survives(original, in: text), "\(c.name) \(format): '\(original)' survived")
                }
                // One pseudonym per value, also across the Macs of a fleet.
                let originals = map.values.map { $0.lowercased() }
                #expect(Set(originals).count == originals.count, "\(c.name): a value has two pseudonyms")
            }
        }
        print("redaction: \(checks) checks of \(values.count) distinct replaced values in \(runs) redacted reports (\(formats.joined(separator: ", ")))")
        #expect(values.count > 200)
        #expect(runs == Scenario.all().count + formats.count)
    }

    @Test func aCollectorArchiveNamedAfterTheMacIsRedactedToo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logscan-redact-zip-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // logCollection's name: <LocalHostName>-<user>-<stamp>.
        let archive = dir.appendingPathComponent("Olivias-MacBook-Pro-olivia-2025-11-18-11-30-00.tar.gz")
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-czf", archive.path, "-C", Harness.samples.appendingPathComponent("conditional-access-blocked").path, "logs"]
        try tar.run()
        tar.waitUntilExit()
        let mapURL = dir.appendingPathComponent("map.json")
        for format in try Self.formats() {
            let r = try Harness.run(["scan", "--format", format, "--redact", "--redact-map", mapURL.path, "--tz", "UTC", archive.path])
            #expect(r.status == 1, "\(r.stderr)")
            let text = Self.readable(r.stdout, format: format)
            for gone in ["Olivias-MacBook-Pro", "olivia", "Olivia's MacBook Pro"] {
                #expect(!Self.survives(gone, in: text), "\(format): \(gone) survived")
            }
            #expect(text.contains("-2025-11-18-11-30-00.tar.gz") || format == "csv" && text.contains("2025-11-18"), "\(format): the archive is still named")
        }
    }

    @Test func aSaltKeepsPseudonymsAcrossReports() throws {
        let a = try Harness.run(["scan", "--format", "json", "--redact-salt", "k1", "--tz", "America/Chicago", "Samples/multi-log-timeline/logs"])
        let b = try Harness.run(["scan", "--format", "json", "--redact-salt", "k1", "--tz", "America/Chicago",
                                 "Samples/healthy-mac/logs", "Samples/multi-log-timeline/logs"])
        func device(_ r: Harness.Result, _ name: String) throws -> String? {
            let bundles = try #require(try r.json()["bundles"] as? [[String: Any]])
            return bundles.first { ($0["name"] as? String)?.hasPrefix("Samples/multi-log") == true }?["device"] as? String
        }
        let first = try device(a, "multi"), second = try device(b, "multi")
        #expect(first != nil && first == second)
        #expect(first?.hasPrefix("host-") == true && first != "host-1", "\(first ?? "nil")")
    }

    /// Regression: in a fleet with `--redact` (workers do not render, the caller redacts), two
    /// idle workers waited for the same last item and the second to wake read past the end of
    /// the work list: a crash on most runs of a dozen small bundles.
    @Test func aFleetOfSmallBundlesIsRedactedWithoutCrashing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logscan-redact-fleet-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for k in 0..<12 {
            let sub = dir.appendingPathComponent("mac-\(k)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let line = "Mon Mar 10 07:36:56 Mac\(k) jamf[\(k)]: Checking for policies triggered by \"recurring check-in\" for user \"u\(k)x\"...\n"
            try line.write(to: sub.appendingPathComponent("jamf.log"), atomically: true, encoding: .utf8)
            paths.append(sub.path)
        }
        for _ in 0..<4 {
            let r = try Harness.run(["scan", "-j", "2", "--redact", "--format", "json", "--tz", "UTC"] + paths)
            #expect(r.status == 0, "\(r.stderr.prefix(300))")
            let bundles = try #require(try r.json()["bundles"] as? [[String: Any]])
            #expect(bundles.count == 12)
            #expect(bundles.compactMap { $0["device"] as? String } == (1...12).map { "host-\($0)" })
        }
    }
}
