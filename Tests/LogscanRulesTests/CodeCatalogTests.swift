import Testing
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

@Suite struct CodeCatalogTests {
    static let builtin = RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: false)])

    /// Catalog files and the diagnostics of loading them (with one known cause, `c`).
    func load(_ files: [(String, String)], causes: Set<String> = ["c"]) -> (CodeBook, [RuleDiagnostic]) {
        CodeCatalogLoader.load(layers: [files.map { PatternFile(path: $0.0, contents: $0.1, isCatalog: true) }], causes: causes)
    }

    @Test func builtinCatalogsLoadWithoutProblems() {
        let source = Self.builtin.codes
        #expect(source.diagnostics.isEmpty, "\(source.diagnostics)")
        let book = source.book
        let counts = Dictionary(uniqueKeysWithValues: book.catalogs.map { ($0.id, $0.entries.count) })
        #expect(Set(counts.keys) == ["aadsts", "msal", "msid", "adal", "osstatus", "nsurlerror", "http"])
        #expect(counts["aadsts"]! >= 300, "every code of Microsoft's reference: \(counts)")
        #expect(counts["msal"]! >= 70 && counts["msid"]! >= 80 && counts["osstatus"]! >= 60 && counts["nsurlerror"]! >= 40)
        // Every entry names its source and explains itself.
        for e in book.catalogs.flatMap(\.entries) {
            #expect(e.source.hasPrefix("https://"), "\(e.catalog) \(e.display)")
            #expect(!e.meaning.isEmpty && (e.cause != nil) != (e.next != nil), "\(e.catalog) \(e.display)")
        }
    }

    /// A report parses only the catalog lines of the codes it meets: every entry found that way,
    /// by code and by name, is the one the whole file gives.
    @Test func lineByLineLookupIsTheWholeFilesEntry() {
        let lazy = RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: false)]).codes
        let book = Self.builtin.codes.book
        var checked = 0
        for e in book.catalogs.flatMap(\.entries) {
            #expect(lazy.lookup(catalog: e.catalog, value: String(e.code)) == e, "\(e.catalog) \(e.code)")
            if let name = e.name, book.lookup(catalog: e.catalog, value: name) == e {
                #expect(lazy.lookup(catalog: e.catalog, value: name.uppercased()) == e, "\(e.catalog) \(name)")
            }
            checked += 1
        }
        #expect(checked == book.entryCount)
        #expect(lazy.lookup(catalog: "osstatus", value: "4294941996")?.name == "errSecItemNotFound")
        #expect(lazy.lookup(catalog: "aadsts", value: "AADSTS99999999") == nil)
        #expect(lazy.lookup(catalog: "nope", value: "1") == nil)
    }

    /// The line index splits and searches bytes; it must cut and find what the Character-based
    /// split and Foundation's search do.
    @Test func lineIndexReadsLinesAsStringsDo() {
        for text in ["id: x\ncodes:\n  - {code: 1, name: a}\n\n", "", "\n", "a\r\nb\nc", "é\nf\u{301}\n"] {
            #expect(CatalogLineIndex.lines(text) == text.split(separator: "\n", omittingEmptySubsequences: false), "\(text)")
        }
        let line: Substring = "  - {code: -25300, name: errSecItemNotFound, meaning: x}"
        #expect(CatalogLineIndex.value(of: "code", in: line) == "-25300")
        #expect(CatalogLineIndex.value(of: "name", in: line) == "errSecItemNotFound")
        #expect(CatalogLineIndex.value(of: "cause", in: line) == nil)
        #expect(CatalogLineIndex.value(of: "name", in: "  - {code: 1, name: \t a b \t}") == "a b")
        #expect(CatalogLineIndex.value(of: "name", in: "  - {code: 1, name: 'q'}") == nil)
        #expect(CatalogLineIndex.value(of: "name", in: "  - {code: 1, name: }") == "")
        let accented: Substring = "  - {code: 7, name: café, meaning: x}"
        #expect(CatalogLineIndex.value(of: "name", in: accented) == "café")
    }

    /// The mappings causes.md supports, read from the data.
    @Test(arguments: [
        ("53003", "conditional-access-blocked"), ("53002", "conditional-access-blocked"), ("50131", "conditional-access-blocked"),
        ("50076", "mfa-required"), ("50079", "mfa-required"), ("700016", "register-connector-consent"),
        ("7000215", "connector-secret-invalid"), ("7000222", "connector-secret-invalid"), ("90002", "tenant-not-found"),
        ("700082", "token-expired-reauth"), ("50173", "token-expired-reauth"), ("70043", "token-expired-reauth"),
        ("530003", "wpj-certificate-missing"), ("50129", "wpj-certificate-missing"), ("65001", "register-app-permissions"),
        ("650056", "register-app-permissions"), ("90094", "register-app-permissions"),
    ])
    func aadstsCodesMapToTheirCauses(code: String, cause: String) {
        #expect(Self.builtin.codes.book.lookup(catalog: "aadsts", value: code)?.cause == cause)
        #expect(Self.builtin.codes.book.lookup(catalog: "aadsts", value: "AADSTS" + code)?.cause == cause)
    }

    @Test func contextCatalogsNameNoCause() {
        let book = Self.builtin.codes.book
        for id in ["osstatus", "nsurlerror", "http"] {
            #expect(book.catalog(id)!.entries.allSatisfy { $0.cause == nil }, "\(id)")
        }
        // A code without a cause of its own gets a category and a next step.
        let e = book.lookup(catalog: "aadsts", value: "AADSTS50097")
        #expect(e?.name == "DeviceAuthenticationRequired" && e?.cause == nil && e?.category == "device-identity" && e?.next != nil)
    }

    @Test func osstatusIsFoundSignedUnsignedOrByName() {
        let book = Self.builtin.codes.book
        for typed in ["-25300", "4294941996", "errSecItemNotFound", "ERRSECITEMNOTFOUND"] {
            #expect(book.lookup(catalog: "osstatus", value: typed)?.code == -25300, "\(typed)")
        }
        #expect(book.lookup(catalog: "osstatus", value: "4294933278")?.name == "errSecMissingEntitlement")
        #expect(book.lookup(catalog: "osstatus", value: "25300") == nil)
        #expect(book.entries(matching: "4294941996").map(\.catalog) == ["osstatus"])
        #expect(book.lookup(catalog: "msal", value: "MSALErrorInteractionRequired")?.code == -50002)
        #expect(book.lookup(catalog: "msal", value: "-50001")?.cause == "wpj-certificate-missing")
    }

    @Test func searchFindsByCodeNameOrMeaning() {
        let book = Self.builtin.codes.book
        #expect(book.search("conditional access").contains { $0.display == "AADSTS53003" })
        #expect(book.search("errSecInteractionNotAllowed").map(\.code) == [-25308])
        #expect(book.search("-1001").contains { $0.catalog == "nsurlerror" && $0.name == "NSURLErrorTimedOut" })
        #expect(book.search(nil).count == book.entryCount)
    }

    @Test func problemsAreErrorsWithFileAndLine() {
        let (book, d) = load([("codes/x.yml", """
        id: x
        title: X
        kind: aadsts
        source: https://example.com/x
        colour: red
        categories:
          a: {title: A, next: do a}
        codes:
          - {code: 100, meaning: one, category: a}
          - {code: 100, meaning: again, category: a}
          - {code: 101, meaning: two, cause: nope}
          - {code: 102, meaning: three, category: b}
          - {code: 103, meaning: four, category: a, caus: c}
          - {code: 104, category: a}
          - {code: 105, meaning: five}
          - {code: 106, meaning: six, cause: c}
        """)])
        func has(_ text: String, line: Int) -> Bool {
            d.contains { $0.level == .error && $0.message.contains(text) && $0.line == line && $0.file == "codes/x.yml" }
        }
        #expect(has("unknown key 'colour'", line: 5), "\(d)")
        #expect(has("duplicate code AADSTS100", line: 10), "\(d)")
        #expect(has("unknown cause 'nope'", line: 11), "\(d)")
        #expect(has("unknown category 'b'", line: 12), "\(d)")
        #expect(has("unknown key 'caus'", line: 13), "\(d)")
        #expect(has("needs a `meaning`", line: 14), "\(d)")
        #expect(has("needs a `cause` or a `category`", line: 15), "\(d)")
        #expect(d.count == 7, "\(d)")
        #expect(book.lookup(catalog: "x", value: "106")?.cause == "c")
        #expect(book.lookup(catalog: "x", value: "100")?.meaning == "one")
    }

    @Test func contextKindsMayNotNameACause() {
        let (_, d) = load([("codes/k.yml", """
        id: k
        title: K
        kind: osstatus
        source: https://example.com/k
        codes:
          - {code: -25300, name: errSecItemNotFound, meaning: missing, cause: c}
          - {code: 4294941996, meaning: unsigned is not how it is written}
        """)])
        #expect(d.contains { $0.message.contains("context only") && $0.line == 6 }, "\(d)")
        #expect(d.contains { $0.message.contains("signed 32-bit") && $0.line == 7 }, "\(d)")
    }

    @Test func idMustBeTheFileNameAndKindKnown() {
        let (_, d) = load([("codes/y.yml", "id: z\ntitle: Z\nkind: aadsts\nsource: https://e.com\ncodes: []\n"),
                           ("codes/w.yml", "id: w\ntitle: W\nkind: morse\nsource: https://e.com\ncodes: []\n")])
        #expect(d.contains { $0.file == "codes/y.yml" && $0.message.contains("differs from the file name") })
        #expect(d.contains { $0.file == "codes/w.yml" && $0.message.contains("unknown kind 'morse'") })
    }

    /// A later layer's entry replaces the built-in one with the same code.
    @Test func laterLayerReplacesAnEntry() {
        let base = "id: a\ntitle: A\nkind: http\nsource: https://e.com\ncategories: {x: {title: X, next: n}}\ncodes:\n"
        let (book, d) = CodeCatalogLoader.load(layers: [
            [PatternFile(path: "codes/a.yml", contents: base + "  - {code: 403, meaning: old, category: x}\n  - {code: 404, meaning: gone, category: x}\n", isCatalog: true)],
            [PatternFile(path: "/tmp/p/codes/a.yml", contents: base + "  - {code: 403, meaning: new, category: x}\n", isCatalog: true)],
        ], causes: [])
        #expect(d.isEmpty, "\(d)")
        #expect(book.lookup(catalog: "a", value: "403")?.meaning == "new")
        #expect(book.lookup(catalog: "a", value: "404")?.meaning == "gone")
    }

    /// Catalog files are not rule files: `codes/` folders are set aside, parsed on first use.
    @Test func catalogFilesAreSetAsideFromRules() {
        #expect(PatternFile.isCatalogPath("codes/aadsts.yml"))
        #expect(PatternFile.isCatalogPath("extra/codes/mine.yml"))
        #expect(!PatternFile.isCatalogPath("rules/codes.yml"))
        #expect(Self.builtin.diagnostics.isEmpty, "\(Self.builtin.diagnostics)")
        #expect(Self.builtin.codes.catalogIds.contains("aadsts"))
        #expect(Self.builtin.codes.catalog(forCapture: "msal_internal") == "msal")
        #expect(Self.builtin.codes.catalog(forCapture: "correlation_id") == nil)
    }

    /// A code the catalog maps to a cause is evidence for it even when the rule that captured
    /// it has no cause; an unmapped code stays context.
    @Test func catalogCauseMakesEvidence() {
        let files: [(String, String)] = [
            ("rules/any.yml", "id: any\npattern: 'ERROR(?<x>\\d+)'\nexamples: {match: ['ERROR1']}\n"),
            ("causes/c.yml", "id: c\ntitle: C\nseverity: high\nsummary: s\nfix: [f]\n"),
            ("codes/x.yml", "id: x\ntitle: X\nkind: aadsts\nsource: https://e.com\ncategories: {k: {title: K, next: n}}\ncodes:\n  - {code: 1, meaning: m, cause: c}\n  - {code: 2, meaning: m2, category: k}\n"),
        ]
        let set = RuleLoader.load(layers: [files.map { PatternFile(path: $0.0, contents: $0.1, isCatalog: PatternFile.isCatalogPath($0.0)) }])
        #expect(set.diagnostics.isEmpty && set.codes.diagnostics.isEmpty, "\(set.diagnostics) \(set.codes.diagnostics)")
        func event(_ line: Int, _ code: String) -> Event {
            Event(bundle: "b", source: "s", fileIndex: 0, line: line, ruleIndex: 0, rule: "any", text: "ERROR\(code)",
                  captures: ["x": code], format: .text)
        }
        let classifier = Classifier(rules: set)
        let (findings, causes) = classifier.classify(bundle: "b", events: [event(1, "2"), event(2, "1")], coverage: [])
        #expect(findings.map(\.cause) == ["c"])
        #expect(findings.first?.evidence.map(\.line) == [2])
        #expect(causes == [1: "c"])
    }
}
