import Testing
@testable import LogscanRules
@testable import LogscanScan

@Suite struct RuleLoaderTests {
    /// A rule's id must equal its file's stem; the stem keeps inner dots and hidden names.
    @Test func fileStemDropsDirectoryAndLastExtension() {
        #expect(RuleLoader.fileStem("Patterns/rules/aadsts-50076.yml") == "aadsts-50076")
        #expect(RuleLoader.fileStem("/tmp/x/a.b.yaml") == "a.b")
        #expect(RuleLoader.fileStem("plain") == "plain")
        #expect(RuleLoader.fileStem("dir/.yml") == ".yml")
        #expect(RuleLoader.fileStem("dir/sub/") == "sub")
    }

    /// A scan loads the built-in files with their examples and comments blanked out by the
    /// build. That must change nothing but the examples: same rules, same causes, field by
    /// field, and no diagnostics.
    @Test func builtinRulesWithoutExamplesAreTheSameRules() throws {
        let full = RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: true)])
        let lean = RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: false)])
        #expect(full.diagnostics.isEmpty && lean.diagnostics.isEmpty, "\(lean.diagnostics)")
        #expect(lean.rules.count == full.rules.count && full.rules.count >= 50)
        for (a, b) in zip(full.rules, lean.rules) {
            #expect(a.id == b.id)
            #expect(a.title == b.title && a.cause == b.cause && a.signals == b.signals && a.severity == b.severity, "\(a.id)")
            #expect(a.formats == b.formats && a.literals == b.literals && a.andLiterals == b.andLiterals, "\(a.id)")
            #expect(a.patterns.map(\.source) == b.patterns.map(\.source), "\(a.id)")
            #expect(a.requires.map(\.source) == b.requires.map(\.source) && a.excludes.map(\.source) == b.excludes.map(\.source), "\(a.id)")
            #expect(!a.matchExamples.isEmpty && b.matchExamples.isEmpty && b.noMatchExamples.isEmpty, "\(a.id)")
        }
        #expect(full.causeOrder == lean.causeOrder && full.causeOrder.count >= 20)
        for id in full.causeOrder {
            let a = try #require(full.causes[id]), b = try #require(lean.causes[id])
            #expect(a.title == b.title && a.severity == b.severity && a.summary == b.summary, "\(id)")
            #expect(a.fix == b.fix && a.references == b.references && a.conditions.elementsEqual(b.conditions) { $0.isSame(as: $1) }, "\(id)")
        }
        // Comments and examples are gone, line numbers are not.
        for file in BuiltinPatterns.files {
            #expect(file.lean.split(separator: "\n", omittingEmptySubsequences: false).count
                    == file.contents.split(separator: "\n", omittingEmptySubsequences: false).count, "\(file.path)")
            #expect(!file.lean.contains("no_match:") && !file.lean.contains("\n#"), "\(file.path)")
        }
    }
}
