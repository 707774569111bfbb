import Crypto
import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis
import LogscanPCRE2
import Yams

/// `--redact`: replaces what identifies a person, a Mac or an organisation with pseudonyms
/// (`user-1`, `host-2`, `guid-3` …) in the report model, before any format renders it, so every
/// format — and any format added later — shows the same pseudonyms.
///
/// It works in two steps over each piece of the report: `learn` finds sensitive values by their
/// shape or context (a GUID, an address, `/Users/<name>`, `for user "<name>"`, a URL's host, the
/// host in a syslog prefix, a bearer token …) and gives each a pseudonym; `apply` then replaces
/// every occurrence of every value learnt so far, wherever it appears (a user name found in a
/// path is also replaced in the log lines that mention it). A bundle is learnt whole before any
/// of it is rendered. Values learnt later in a report (in a later bundle, or in `follow`, a later
/// line) are not taken back out of what was written before.
///
/// Kept: error codes (AADSTS…), cause and rule ids, times, Microsoft's and Jamf's public
/// application IDs and service host names (`Patterns/redaction/public-identifiers.yml`).
public final class Redactor: @unchecked Sendable {
    // SAFETY: every piece of mutable state is touched under `lock` only.
    private let lock = NSLock()

    public enum Kind: String, Sendable, CaseIterable {
        case user, host, guid, ip, hwaddr, serial, secret
    }

    /// The key of `--redact-salt`: with it, a pseudonym is derived from the value (HMAC-SHA256)
    /// and is the same in every report made with the same salt; without it, pseudonyms are
    /// numbered in the order the values are met.
    let salt: SymmetricKey?
    let publicIDs: Set<String>
    let publicHostSuffixes: [String]
    let tenantHostSuffixes: [String]

    private var pseudonyms: [String: String] = [:]   // "kind\0normalised value" -> pseudonym
    private var counters: [Kind: Int] = [:]
    /// Every value replaced, as met (for the report's own tests: none may survive).
    private var originalValues: [String: String] = [:]  // lowercased value -> pseudonym
    private var spellings: [String: String] = [:]  // pseudonym -> value as first met
    private var literalPattern: CompiledPattern?
    private var literalPatternStale = true
    private let matcher = Matcher()

    public init(salt: String? = nil, data: String? = BuiltinPatterns.contents(of: "redaction/public-identifiers.yml")) {
        self.salt = salt.map { SymmetricKey(data: Data($0.utf8)) }
        var ids: Set<String> = []
        var keep: [String] = [], tenant: [String] = []
        if let data, let doc = (try? Yams.load(yaml: data)) as? [String: Any] {
            for entry in doc["application_ids"] as? [[String: Any]] ?? [] {
                if let id = entry["id"] as? String { ids.insert(id.lowercased()) }
            }
            keep = (doc["public_host_suffixes"] as? [String] ?? []).map { $0.lowercased() }
            tenant = (doc["tenant_host_suffixes"] as? [String] ?? []).map { $0.lowercased() }
        }
        publicIDs = ids
        publicHostSuffixes = keep
        tenantHostSuffixes = tenant
    }

    /// Every original value replaced so far with its pseudonym, lowercased.
    public var replacedValues: [String: String] {
        lock.lock(); defer { lock.unlock() }
        return originalValues
    }

    /// Each pseudonym with the value it stands for, as first met, sorted by pseudonym: what
    /// `--redact-map` writes so the sender can read replies that quote pseudonyms.
    public var mapping: [(pseudonym: String, original: String)] {
        lock.lock(); defer { lock.unlock() }
        return spellings.map { ($0.key, $0.value) }.sorted { $0.pseudonym.localizedStandardCompare($1.pseudonym) == .orderedAscending }
    }

    /// The map as a JSON object, pseudonym -> original.
    public func mappingJSON() -> String {
        var o = JSONObject()
        for (pseudonym, original) in mapping { o.addDynamic(pseudonym, original) }
        return String(decoding: o.closed, as: UTF8.self) + "\n"
    }

    // MARK: The report model

    /// A bundle's report with every string redacted (its timeline rebuilt from redacted events).
    public func redact(_ b: BundleReport) -> BundleReport {
        lock.lock(); defer { lock.unlock() }
        // Learn from the whole bundle first, so a name found anywhere is replaced everywhere.
        learnBundleName(b.name)
        if let device = b.device { learnValue(device, as: .host) }
        for i in b.inputs { learnText(i.source); i.error.map(learnText); i.skipped.map(learnText) }
        for e in b.errors { learnText(e.source); learnText(e.message) }
        for f in b.findings { for e in f.evidence { learnEvent(e) } }
        let reader = b.timeline.reader()
        for k in 0..<reader.count { learnEvent(reader.event(at: k)) }
        for note in b.timeNotes { learnText(note) }
        for u in b.unrecognized { learnText(u.exampleSource); learnText(u.exampleText); learnText(u.template.text) }
        b.notDiagnosable.map(learnText)

        var out = b
        out.name = applyText(b.name)
        out.device = b.device.map(applyText)
        out.inputs = b.inputs.map(applyInput)
        out.errors = b.errors.map(applyError)
        out.findings = b.findings.map(applyFinding)
        out.timeNotes = b.timeNotes.map(applyText)
        out.unrecognized = b.unrecognized.map(applyUnrecognized)
        out.notDiagnosable = b.notDiagnosable.map(applyText)
        if !b.timeline.isEmpty {
            var events: [Event] = []
            events.reserveCapacity(reader.count)
            for k in 0..<reader.count { events.append(applyEvent(reader.event(at: k))) }
            out.timeline = Timeline(events: events)
            out.timeline.bundle = out.name
        }
        return out
    }

    public func redact(_ e: Event) -> Event {
        lock.lock(); defer { lock.unlock() }
        learnEvent(e)
        return applyEvent(e)
    }

    public func redact(_ f: Finding) -> Finding {
        lock.lock(); defer { lock.unlock() }
        learnText(f.bundle)
        for e in f.evidence { learnEvent(e) }
        return applyFinding(f)
    }

    public func redact(_ e: ReportError) -> ReportError {
        lock.lock(); defer { lock.unlock() }
        learnText(e.source); learnText(e.message)
        return applyError(e)
    }

    public func redact(_ i: InputReport) -> InputReport {
        lock.lock(); defer { lock.unlock() }
        learnText(i.source); learnText(i.bundle); i.error.map(learnText)
        return applyInput(i)
    }

    /// A string on its own (a device label, a bundle name, a message).
    public func redact(_ text: String) -> String {
        lock.lock(); defer { lock.unlock() }
        learnText(text)
        return applyText(text)
    }

    private func learnEvent(_ e: Event) {
        learnText(e.bundle)
        learnText(e.source)
        learnText(e.text)
        for (name, value) in e.captures {
            let n = name.lowercased()
            if n == "user" || n.hasSuffix("_user") || n == "upn" || n == "username" {
                if value.contains("@") { learnText(value) } else { learnValue(value, as: .user) }
            } else if n == "host" || n.hasSuffix("_host") || n == "device_name" || n == "computer_name" {
                learnValue(value, as: .host)
            } else if n == "serial" || n.hasSuffix("_serial") {
                learnValue(value, as: .serial)
            } else {
                learnText(value)
            }
        }
    }

    private func applyEvent(_ e: Event) -> Event {
        var out = e
        out.bundle = applyText(e.bundle)
        out.source = applyText(e.source)
        out.text = applyText(e.text)
        if !e.captures.isEmpty {
            out.captures = e.captures.mapValues(applyText)
        }
        return out
    }

    private func applyFinding(_ f: Finding) -> Finding {
        var out = f
        out.bundle = applyText(f.bundle)
        out.evidence = f.evidence.map(applyEvent)
        return out
    }

    private func applyInput(_ i: InputReport) -> InputReport {
        var out = i
        out.source = applyText(i.source)
        out.bundle = applyText(i.bundle)
        out.error = i.error.map(applyText)
        out.skipped = i.skipped.map(applyText)
        return out
    }

    private func applyUnrecognized(_ u: UnrecognizedKind) -> UnrecognizedKind {
        var out = u
        out.exampleSource = applyText(u.exampleSource)
        out.exampleText = applyText(u.exampleText)
        out.template = applyTemplate(u.template)
        return out
    }

    /// A template with its literal words redacted and its masks (`<num>`, `<guid>` …) kept:
    /// each run of words is redacted as one text, so a value of several words is found too.
    private func applyTemplate(_ t: MessageTemplate) -> MessageTemplate {
        var pieces: [MessageTemplate.Piece] = []
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            let redacted = applyText(run)
            var word = ""
            for c in redacted {
                if c == " " {
                    if !word.isEmpty { pieces.append(.text(word)); word = "" }
                    pieces.append(.space)
                } else {
                    word.append(c)
                }
            }
            if !word.isEmpty { pieces.append(.text(word)) }
            run = ""
        }
        for p in t.pieces {
            switch p {
            case .text(let s): run += s
            case .space: run += " "
            default: flush(); pieces.append(p)
            }
        }
        flush()
        return MessageTemplate(pieces: pieces)
    }

    private func applyError(_ e: ReportError) -> ReportError {
        ReportError(source: applyText(e.source), message: applyText(e.message))
    }

    // MARK: Learning

    /// A bundle name as given on the command line: the identity collectors put in archive names
    /// (log-sources.md §8) on top of what any text gives.
    private func learnBundleName(_ name: String) {
        learnText(name)
        let file = (name as NSString).lastPathComponent
        // logCollection: <LocalHostName>-<user>-<YYYY-MM-DD-HH-MM-SS>.zip
        if let m = firstMatch(Self.logCollectionName, in: file), m.count == 3 {
            learnValue(m[1], as: .host)
            learnValue(m[2], as: .user)
        }
        // IntuneMacODC: <host>-IntuneMacODC-<stamp>; Jamf Log Grabber: <user>_<date>_logs;
        // community scripts: <serial>_<stamp>_JamfLogs.
        if let m = firstMatch(Self.odcName, in: file), m.count == 2 { learnValue(m[1], as: .host) }
        if let m = firstMatch(Self.grabberName, in: file), m.count == 2 { learnValue(m[1], as: .user) }
        if let m = firstMatch(Self.jamfLogsName, in: file), m.count == 2 { learnValue(m[1], as: .serial) }
    }

    private func learnText(_ text: String) {
        guard !text.isEmpty else { return }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { subject in
            for detector in Self.detectors {
                var at = 0
                while at <= subject.count, let m = try? matcher.firstMatch(detector.pattern, in: subject, from: at) {
                    let whole = m.range
                    at = whole.upperBound > whole.lowerBound ? whole.upperBound : whole.upperBound + 1
                    func group(_ k: Int) -> String? {
                        guard k < m.groups.count, let r = m.groups[k] else { return nil }
                        return String(decoding: UnsafeRawBufferPointer(rebasing: subject[r]), as: UTF8.self)
                    }
                    guard let value = group(detector.group) else { continue }
                    learnDetected(value, detector.kind, group: group)
                }
            }
        }
    }

    private func learnDetected(_ value: String, _ kind: DetectedKind, group: (Int) -> String?) {
        switch kind {
        case .email:
            if let local = group(1), let domain = group(2) { learnEmail(value, local: local, domain: domain) }
        case .userOrEmail:
            guard value.contains(where: \.isLetter) else { return }
            if let at = value.firstIndex(of: "@") {
                let local = String(value[..<at]), domain = String(value[value.index(after: at)...])
                if !local.isEmpty, domain.contains(".") { learnEmail(value, local: local, domain: domain) }
                else { learnValue(value, as: .user) }
            } else {
                learnValue(value, as: .user)
            }
        case .ipv6:
            let colons = value.filter { $0 == ":" }.count
            guard colons == 7 || value.contains("::"), value.filter(\.isHexDigit).count >= 2 else { return }
            learnValue(value, as: .ip)
        case .fqdn:
            let labels = value.lowercased().split(separator: ".")
            guard labels.count >= 2, let tld = labels.last, Self.hostTLDs.contains(String(tld)) else { return }
            // Reverse-DNS identifiers (com.example.app) are bundle ids, not hosts.
            if labels.count >= 3, Self.reverseDNSHeads.contains(String(labels[0])) { return }
            learnValue(value, as: .host)
        case .serial:
            guard value.contains(where: \.isNumber), value.contains(where: \.isLetter) else { return }
            learnValue(value, as: .serial)
        case .plain(let k):
            learnValue(value, as: k)
        }
    }

    private func learnEmail(_ address: String, local: String, domain: String) {
        learnValue(local, as: .user)
        learnValue(domain, as: .host)
        let key = "email\u{0}" + address.lowercased()
        guard pseudonyms[key] == nil else { return }
        let user = pseudonyms["user\u{0}" + local.lowercased()] ?? local
        let host = pseudonyms["host\u{0}" + domain.lowercased()] ?? domain
        record(key: key, original: address, pseudonym: user + "@" + host)
    }

    /// Gives `value` a pseudonym of `kind` unless it is kept (public, too short, a placeholder).
    private func learnValue(_ raw: String, as kind: Kind) {
        let value = raw.trimmingCharacters(in: .whitespaces)
        let lower = value.lowercased()
        guard value.count >= 2, !Self.placeholders.contains(lower), !isPseudonym(lower) else { return }
        switch kind {
        case .user:
            guard value.count >= 3, !Self.systemAccounts.contains(lower) else { return }
        case .host:
            guard !isPublicHost(lower), lower != "localhost" else { return }
        case .guid:
            guard !publicIDs.contains(lower) else { return }
        case .ip:
            guard !Self.keptAddresses.contains(lower) else { return }
        default: break
        }
        let key = kind.rawValue + "\u{0}" + lower
        guard pseudonyms[key] == nil else { return }
        let pseudonym: String
        if let salt {
            let mac = HMAC<SHA256>.authenticationCode(for: Data(key.utf8), using: salt)
            pseudonym = kind.rawValue + "-" + mac.prefix(4).map { String(format: "%02x", $0) }.joined()
        } else {
            counters[kind, default: 0] += 1
            pseudonym = "\(kind.rawValue)-\(counters[kind]!)"
        }
        record(key: key, original: value, pseudonym: pseudonym)
    }

    private func record(key: String, original: String, pseudonym: String) {
        pseudonyms[key] = pseudonym
        if spellings[pseudonym] == nil { spellings[pseudonym] = original }
        // The first pseudonym given to a spelling wins (a value met as a user and a host).
        if originalValues[original.lowercased()] == nil {
            originalValues[original.lowercased()] = pseudonym
            literalPatternStale = true
        }
    }

    private func isPseudonym(_ lower: String) -> Bool {
        guard let dash = lower.lastIndex(of: "-") else { return false }
        let head = lower[..<dash], tail = lower[lower.index(after: dash)...]
        return Kind(rawValue: String(head)) != nil && !tail.isEmpty && tail.allSatisfy(\.isHexDigit)
    }

    private func isPublicHost(_ host: String) -> Bool {
        func under(_ suffix: String) -> Bool { host == suffix || host.hasSuffix("." + suffix) }
        if tenantHostSuffixes.contains(where: { host.hasSuffix("." + $0) }) { return false }
        return publicHostSuffixes.contains(where: under)
    }

    // MARK: Replacing

    /// `text` with every value learnt so far replaced by its pseudonym (whole words only, any
    /// case: `Ann` is replaced where `ann` was learnt; letters and digits make a word, so
    /// `ann_logs` holds the word `ann`).
    private func applyText(_ text: String) -> String {
        guard !text.isEmpty, !originalValues.isEmpty else { return text }
        if literalPatternStale {
            // Longest first, so a longer value wins over one it contains at the same place.
            let alternatives = originalValues.keys.sorted { ($0.utf8.count, $1) > ($1.utf8.count, $0) }
                .map(Self.escapeForPattern).joined(separator: "|")
            // `_` separates words here: a collector folder named `ann_2025-11-18_logs` is Ann's.
            literalPattern = try? CompiledPattern("(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])", options: .caseless)
            literalPatternStale = false
        }
        guard let pattern = literalPattern else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var copied = 0
        bytes.withUnsafeBytes { subject in
            var at = 0
            while at <= subject.count, let m = try? matcher.firstMatch(pattern, in: subject, from: at) {
                let r = m.range
                guard r.upperBound > r.lowerBound else { at = r.upperBound + 1; continue }
                let found = String(decoding: UnsafeRawBufferPointer(rebasing: subject[r]), as: UTF8.self).lowercased()
                if let pseudonym = originalValues[found] {
                    out += subject[copied..<r.lowerBound]
                    out += pseudonym.utf8
                    copied = r.upperBound
                }
                at = r.upperBound
            }
        }
        guard copied > 0 else { return text }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    static func escapeForPattern(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if c.isASCII, !(CharacterSet.alphanumerics.contains(c)) { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out
    }

    private func firstMatch(_ pattern: CompiledPattern, in text: String) -> [String]? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { subject -> [String]? in
            guard let m = try? matcher.firstMatch(pattern, in: subject) else { return nil }
            return m.groups.map { r in r.map { String(decoding: UnsafeRawBufferPointer(rebasing: subject[$0]), as: UTF8.self) } ?? "" }
        }
    }

    // MARK: What is looked for

    enum DetectedKind {
        case plain(Kind), email, userOrEmail, ipv6, fqdn, serial
    }

    struct Detector {
        let pattern: CompiledPattern
        let kind: DetectedKind
        /// The group holding the value (0: the whole match).
        let group: Int
        init(_ source: String, _ kind: DetectedKind, group: Int = 0) {
            // The patterns are constants tested by the test suite: a bad one is a programming error.
            do { pattern = try CompiledPattern(source) } catch { fatalError("redaction pattern \(source): \(error)") }
            self.kind = kind
            self.group = group
        }
    }

    static let logCollectionName = try! CompiledPattern(#"^(.+)-([^-]+)-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d(?:\.[A-Za-z0-9.]+)?$"#)
    static let odcName = try! CompiledPattern(#"^(.+)-IntuneMacODC-"#)
    static let grabberName = try! CompiledPattern(#"^(.+)_\d{4}-\d\d-\d\d_logs(?:\.[A-Za-z0-9.]+)?$"#)
    static let jamfLogsName = try! CompiledPattern(#"^(.+)_\d{4}-\d\d-\d\d-\d\d\.\d\d\.\d\d_JamfLogs"#)

    /// In order: secrets before the shapes they contain, e-mail addresses before host names.
    static let detectors: [Detector] = [
        // JSON Web Tokens and bearer tokens, and values of keys that hold secrets.
        Detector(#"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"#, .plain(.secret)),
        Detector(#"(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{8,})"#, .plain(.secret), group: 1),
        Detector(#"(?i)\b(?:client[_-]?secret|secret|password|passwd|pwd|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_-]?key|client[_-]?assertion|assertion|authorization)["']?\s*[:=]\s*["']?(?!bearer\b)([^\s"',;&}\]<>]{6,})"#, .plain(.secret), group: 1),
        // E-mail addresses and UPNs: the local part as a user, the domain as a host.
        Detector(#"(?i)[?&](?:code|token|sig|signature|client_secret|access_token|id_token|refresh_token)=([^&\s"'#]{6,})"#, .plain(.secret), group: 1),
        Detector(#"(?<![\w.+-])([A-Za-z0-9._%+-]+)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])"#, .email),
        // GUIDs (device, tenant, user, correlation, trace, request ids) and Apple UDIDs.
        Detector(#"(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])"#, .plain(.guid)),
        Detector(#"(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{16}(?![0-9A-Fa-f])"#, .plain(.guid)),
        // Addresses.
        Detector(#"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]|\.\d)"#, .plain(.ip)),
        Detector(#"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"#, .ipv6),
        Detector(#"(?<![\w:])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![\w:])"#, .plain(.hwaddr)),
        // Serial numbers where the line says so.
        Detector(#"(?i)\bserial(?:[ _-]?(?:number|no))?["']?\s*[:=]?\s*["']?([A-Z0-9]{8,14})\b"#, .serial, group: 1),
        // User names: home folders, and where a line names the user.
        Detector(#"(?<![\w.-])(?:/|\b)(?:Users|home)/([^/\s"'\\:*?<>|$%{}]+)"#, .plain(.user), group: 1),
        Detector(#"(?i)\b(?:for|macOS|local|console|current|logged[- ]in)\s+user\s+["“']([^"”'\s]{2,64})["”']"#, .userOrEmail, group: 1),
        Detector(#"(?i)\bmacOS user ([A-Za-z0-9._-]{2,64})\b"#, .userOrEmail, group: 1),
        Detector(#"(?i)\b(?:user(?:[ _-]?name)?|account[ _-]?name|login[_-]?hint|upn|user[_-]?principal[_-]?name|preferred[_-]?username|unique[_-]?name|displayable[_-]?id)["']?\s*[:=]\s*["']?([A-Za-z0-9._@+-]{2,64})"#, .userOrEmail, group: 1),
        // Host and device names: named by a key, in a syslog prefix, in a URL, or fully qualified.
        Detector(#"(?i)\b(?:computer[ _-]?name|local[ _-]?host[ _-]?name|host[ _-]?name|device[ _-]?name|machine[ _-]?name)["']?\s*[:=]\s*["']([^"'\n]{2,64})["']"#, .plain(.host), group: 1),
        Detector(#"(?i)\b(?:computer[ _-]?name|local[ _-]?host[ _-]?name|host[ _-]?name|device[ _-]?name|machine[ _-]?name)["']?\s*[:=]\s*([^\s"',;}]{2,64})"#, .plain(.host), group: 1),
        Detector(#"^(?:[A-Z][a-z]{2} )?[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S(?:.{0,62}\S)?) [\w.-]+\[\d+\]: "#, .plain(.host), group: 1),
        Detector(#"(?i)\b[a-z][a-z0-9+.-]{1,15}://(?:[^@/\s]+@)?([^/:\s?#"'<>\[\]]+)"#, .plain(.host), group: 1),
        Detector(#"(?<![\w.@/-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w-]|\.[A-Za-z0-9])"#, .fqdn, group: 1),
    ]

    /// Top-level domains that make a dotted name a host name (generic, common country codes,
    /// and the reserved and private ones networks use inside).
    static let hostTLDs: Set<String> = [
        "com", "net", "org", "edu", "gov", "mil", "int", "io", "co", "biz", "info", "cloud", "tech", "online",
        "us", "uk", "de", "fr", "nl", "ch", "at", "se", "dk", "fi", "es", "pl", "cz", "jp", "cn", "au", "ca",
        "nz", "br", "eu", "ie", "be", "kr", "sg", "hk", "za", "mx",
        "local", "lan", "internal", "corp", "intranet", "intra", "home", "arpa", "example", "test",
        "invalid", "localdomain", "private",
    ]
    static let reverseDNSHeads: Set<String> = ["com", "org", "net", "io", "de", "uk", "edu", "gov", "co"]

    /// Values that look like a name but are not anyone's.
    static let placeholders: Set<String> = [
        "null", "(null)", "nil", "none", "true", "false", "unknown", "n/a", "na", "<private>", "private",
        "undefined", "empty", "default",
    ]
    static let systemAccounts: Set<String> = [
        "shared", "guest", ".localized", "root", "nobody", "daemon", "_mbsetupuser", "localized", "user",
        "username", "users", "library", "current", "console", "unknown",
    ]
    static let keptAddresses: Set<String> = ["127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::"]
}
