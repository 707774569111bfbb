import Foundation
import Testing

/// logscan on the bad-input corpus (`scripts/make-bad-inputs`), in every output format: it never
/// crashes or hangs, exits as the contract says, writes output a strict parser accepts, and
/// accounts for every input (read, skipped with a reason, or an error).
@Suite(.serialized) struct BadInputTests {
    /// Every output format `scan` offers (read from its help, so a new format is covered too).
    static let formats: [String] = {
        guard let help = try? Harness.run(["scan", "--help"]) else { return ["text", "json", "ndjson", "csv"] }
        let flat = (help.text + help.stderr).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard let range = flat.range(of: #"--format <FORMAT>.*?\(values: ([a-z, ]+)"#, options: .regularExpression),
              let values = flat[range].range(of: "values: ") else { return ["text", "json", "ndjson", "csv"] }
        return flat[range][values.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }()

    /// Cases that fail for a known reason, with the formats they fail in. Remove a name here
    /// when its fix lands: the known issue then stops being recorded and the test says so.
    static let knownIssues: [String: (formats: Set<String>, why: String)] = [:]

    struct Case: Decodable {
        var name: String
        var path: String
        var status: Int32
        var why: String
        /// The path's bytes (hex) when they are not UTF-8; `path` is then the name as shown.
        var path_hex: String?
        var expect: Expect
        /// The command-line argument that names the case: its bytes as they are on disk.
        var argument: [UInt8] { path_hex.map(Self.bytes(hex:)) ?? Array(path.utf8) }

        static func bytes(hex: String) -> [UInt8] {
            let digits = Array(hex.utf8)
            return stride(from: 0, to: digits.count - 1, by: 2).map {
                UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)!
            }
        }
        struct Expect: Decodable {
            var lines: Int?
            var lines_min: Int?
            var format: String?
            var nul_bytes_skipped: Int?
            var not_diagnosable: Bool?
            var mentions: String?
            var unprivileged: Bool?
            var skipped_min: Int?
            var errors_min: Int?
            /// Text the `--format text` report must hold (a name shown escaped).
            var text_mentions: String?
        }
    }

    /// The corpus, built in a fresh temporary directory.
    static func makeCorpus() throws -> (URL, [Case]) {
        let dir = try Harness.temporaryDirectory()
        let status = try runTool(["python3", Harness.packageRoot.appendingPathComponent("scripts/make-bad-inputs").path, dir.path])
        #expect(status.status == 0, "make-bad-inputs: \(status.stderr)")
        let manifest = try Data(contentsOf: dir.appendingPathComponent("manifest.json"))
        return (dir, try JSONDecoder().decode([Case].self, from: manifest))
    }

    /// Gives back what the corpus took away, so it can be removed.
    static func removeCorpus(_ dir: URL) {
        _ = try? runTool(["chmod", "-R", "u+rwX", dir.path])
        Harness.remove(dir)
    }

    struct Outcome {
        var status: Int32
        var signalled: Bool
        var stdout: Data
        var stderr: String
    }

    /// Runs a tool with a deadline (a hang is a failure, not a stuck test run).
    static func runTool(_ arguments: [String], directory: URL? = nil, timeout: TimeInterval = 120) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errBox = Harness.DataBox(), outBox = Harness.DataBox()
        Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }.start()
        Thread { outBox.data = out.fileHandleForReading.readDataToEndOfFile() }.start()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("\(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        process.waitUntilExit()
        while !errBox.done || !outBox.done { usleep(1000) }
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       stdout: outBox.data, stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// logscan with `arguments` in `directory`; as an unprivileged user when asked and running
    /// as root (root reads what permissions forbid others).
    static func logscan(_ arguments: [String], in directory: URL, unprivileged: Bool = false) throws -> Outcome {
        try logscan(arguments.map { Array($0.utf8) }, in: directory, unprivileged: unprivileged)
    }

    /// logscan with arguments given as bytes: a file name that is not UTF-8 is passed as it is
    /// (a Swift `String` cannot hold it, so python's `execv` hands the bytes over).
    static func logscan(_ arguments: [[UInt8]], in directory: URL, unprivileged: Bool = false) throws -> Outcome {
        var command: [String]
        let text = arguments.map { String(decoding: $0, as: UTF8.self) }
        if zip(text, arguments).allSatisfy({ Array($0.utf8) == $1 }) {
            command = [Harness.binary.path] + text
        } else {
            command = ["python3", "-c", "import os, sys; os.execv(sys.argv[1], sys.argv[1:2] + [bytes.fromhex(a) for a in sys.argv[2:]])",
                       Harness.binary.path] + arguments.map { $0.map { String(format: "%02x", $0) }.joined() }
        }
        if unprivileged && getuid() == 0 {
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command
        }
        return try runTool(command, directory: directory)
    }

    /// Checks one document strictly (UTF-8, JSON without NaN or duplicate keys, the schema) and
    /// prints a summary of it as JSON: what the tests look at next.
    static let checker = #"""
    import csv, io, json, sys
    import jsonschema
    mode, schema_path = sys.argv[1], sys.argv[2]
    data = sys.stdin.buffer.read()
    text = data.decode("utf-8")  # strict: invalid UTF-8 is an error
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key in %r" % keys)
        return dict(pairs)
    def bad_constant(name):
        raise ValueError("not JSON: " + name)
    def parse(s):
        return json.loads(s, object_pairs_hook=no_duplicates, parse_constant=bad_constant)
    schema = json.load(open(schema_path))
    problems = []
    summary = {}
    if mode == "json":
        doc = parse(text)
        v = jsonschema.Draft202012Validator(schema)
        problems += ["/".join(map(str, e.path)) + ": " + e.message for e in v.iter_errors(doc)]
        summary = {"inputs": doc["inputs"], "errors": doc["errors"], "bundles": doc.get("bundles", [])}
    elif mode == "ndjson":
        lines = text.split("\n")
        if lines[-1] != "":
            problems.append("the last line has no newline")
        objects = [parse(l) for l in lines if l != ""]
        inputs = jsonschema.Draft202012Validator(schema["properties"]["inputs"]["items"])
        errors = jsonschema.Draft202012Validator(schema["properties"]["errors"]["items"])
        for o in objects:
            kind = o.get("type")
            if kind not in ("input", "event", "finding", "error", "summary", "note"):
                problems.append("unknown type %r" % kind)
            if kind == "input":
                problems += ["input: " + e.message for e in inputs.iter_errors(o)]
            if kind == "error":
                problems += ["error: " + e.message for e in errors.iter_errors(o)]
        if not objects or objects[-1].get("type") != "summary":
            problems.append("the last object is not the summary")
        else:
            summary = {"exit_code": objects[-1].get("exit_code")}
    elif mode == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows or rows[0][:4] != ["bundle", "device", "status", "cause"]:
            problems.append("no CSV header: %r" % rows[:1])
        problems += ["row %d has %d cells, the header %d" % (i, len(r), len(rows[0])) for i, r in enumerate(rows) if len(r) != len(rows[0])]
    print(json.dumps({"problems": problems, "summary": summary}))
    """#

    /// Problems with `output` in `format`, and for json/ndjson what it holds.
    static func check(_ output: Data, format: String) throws -> (problems: [String], summary: [String: Any]) {
        guard ["json", "ndjson", "csv"].contains(format) else {
            // text, and any format for people (html, markdown): valid UTF-8, not empty.
            if output.isEmpty { return (["\(format) output is empty"], [:]) }
            return (String(data: output, encoding: .utf8) == nil ? ["\(format) output is not valid UTF-8"] : [], [:])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", checker, format, Harness.fixtures.appendingPathComponent("findings.schema.json").path]
        let out = Pipe(), input = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardInput = input
        process.standardError = err
        try process.run()
        let errBox = Harness.DataBox()
        Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }.start()
        input.fileHandleForWriting.write(output)
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errBox.done { usleep(1000) }
        guard process.terminationStatus == 0,
              let result = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return (["\(format) output rejected: " + String(decoding: errBox.data, as: UTF8.self).suffix(400)], [:])
        }
        return ((result["problems"] as? [String]) ?? [], (result["summary"] as? [String: Any]) ?? [:])
    }

    /// Every path of the case on disk (the case itself, and all under it for a directory).
    static func paths(of c: Case, in root: URL) -> [String] {
        var out = [c.path]
        guard let walker = FileManager.default.enumerator(atPath: root.appendingPathComponent(c.path).path) else { return out }
        for case let relative as String in walker { out.append(c.path + "/" + relative) }
        return out
    }

    /// Whether `path` shows up in the report: as an input (or inside one: an archive's members),
    /// or an error about it or a directory above it. A bundle's "not diagnosable" error does not
    /// count: it does not say what happened to each file.
    static func accounted(_ path: String, inputs: [String], errors: [(String, String)]) -> Bool {
        func covers(_ source: String) -> Bool {
            source == path || source.hasPrefix(path + "!") || source.hasPrefix(path + "/") || path.hasPrefix(source + "/")
        }
        return inputs.contains(where: covers) || errors.contains { !$0.1.hasPrefix("not diagnosable") && covers($0.0) }
    }

    /// One case in one format: the checks every format shares, then what JSON shows.
    static func run(_ c: Case, format: String, root: URL) throws {
        let r = try logscan([Array("--format".utf8), Array(format.utf8), c.argument], in: root, unprivileged: c.expect.unprivileged == true)
        let label = "\(c.name) (\(c.why)) --format \(format)"
        let signalled = r.signalled, status = r.status
        #expect(!signalled, "\(label): killed by a signal: \(r.stderr.prefix(300))")
        #expect(status == c.status, "\(label): exit status \(status), expected \(c.status); stderr: \(r.stderr.suffix(300))")
        let (problems, summary) = try check(r.stdout, format: format)
        #expect(problems.isEmpty, "\(label): \(problems)")
        if format == "text", let words = c.expect.text_mentions {
            #expect(String(decoding: r.stdout, as: UTF8.self).contains(words), "\(label): no \(words)")
        }
        if format == "ndjson" { #expect(summary["exit_code"] as? Int == Int(c.status), "\(label): summary \(summary)") }
        guard format == "json", problems.isEmpty else { return }
        let inputs = (summary["inputs"] as? [[String: Any]]) ?? []
        let errors = (summary["errors"] as? [[String: Any]]) ?? []
        let bundles = (summary["bundles"] as? [[String: Any]]) ?? []
        let sources = inputs.compactMap { $0["source"] as? String }
        let errorPairs = errors.map { (($0["source"] as? String) ?? "", ($0["message"] as? String) ?? "") }
        for path in paths(of: c, in: root) {
            #expect(accounted(path, inputs: sources, errors: errorPairs), "\(label): \(path) is in no input and no error")
        }
        let read = inputs.filter { $0["skipped"] == nil || $0["skipped"] is NSNull }
        let lines = read.reduce(0) { $0 + (($1["lines"] as? Int) ?? 0) }
        if let expected = c.expect.lines { #expect(lines == expected, "\(label): \(lines) lines read") }
        if let expected = c.expect.lines_min { #expect(lines >= expected, "\(label): \(lines) lines read") }
        if let expected = c.expect.format { #expect(read.allSatisfy { $0["format"] as? String == expected }, "\(label): \(inputs)") }
        if let expected = c.expect.nul_bytes_skipped {
            #expect(inputs.reduce(0) { $0 + (($1["nul_bytes_skipped"] as? Int) ?? 0) } == expected, "\(label): \(inputs)")
        }
        let undiagnosable = bundles.compactMap { $0["not_diagnosable"] as? String }
        #expect(undiagnosable.isEmpty == (c.expect.not_diagnosable != true), "\(label): not_diagnosable \(undiagnosable)")
        if let words = c.expect.mentions { #expect(undiagnosable.contains { $0.contains(words) }, "\(label): \(undiagnosable)") }
        if let n = c.expect.skipped_min { #expect(inputs.count - read.count >= n, "\(label): \(inputs)") }
        if let n = c.expect.errors_min { #expect(errors.count >= n, "\(label): \(errors)") }
        if c.status == 2 { #expect(!errors.isEmpty, "\(label): exit 2 without an error entry") }
    }

    @Test func everyCaseInEveryFormat() throws {
        #expect(Set(["text", "json", "ndjson", "csv"]).isSubset(of: Self.formats), "\(Self.formats)")
        let (root, cases) = try Self.makeCorpus()
        defer { Self.removeCorpus(root) }
        #expect(cases.count >= 30)
        for c in cases {
            for format in Self.formats {
                if let known = Self.knownIssues[c.name], known.formats.contains(format) {
                    withKnownIssue(Comment(rawValue: known.why)) { try Self.run(c, format: format, root: root) }
                } else {
                    try Self.run(c, format: format, root: root)
                }
            }
        }
    }

    /// All of it at once, as a fleet: one bad input never costs the report of the others.
    @Test func theWholeCorpusAtOnce() throws {
        let (root, cases) = try Self.makeCorpus()
        defer { Self.removeCorpus(root) }
        // Cases with a known issue are left out here (one of them crashes the whole run); the
        // test above runs each of them.
        let usable = cases.filter { $0.expect.unprivileged != true && Self.knownIssues[$0.name] == nil }
        #expect(usable.count >= 25)
        do {
            for format in Self.formats {
                let r = try Self.logscan([Array("--format".utf8), Array(format.utf8)] + usable.map(\.argument), in: root)
                let signalled = r.signalled, status = r.status
                #expect(!signalled && status == 2, "--format \(format): \(status) \(r.stderr.prefix(600))")
                let (problems, summary) = try Self.check(r.stdout, format: format)
                #expect(problems.isEmpty, "--format \(format): \(problems)")
                guard format == "json" else { continue }
                let sources = ((summary["inputs"] as? [[String: Any]]) ?? []).compactMap { $0["source"] as? String }
                let errors = ((summary["errors"] as? [[String: Any]]) ?? []).map {
                    (($0["source"] as? String) ?? "", ($0["message"] as? String) ?? "")
                }
                for c in usable {
                    for path in Self.paths(of: c, in: root) {
                        #expect(Self.accounted(path, inputs: sources, errors: errors), "\(path) is in no input and no error")
                    }
                }
            }
        }
    }
}
