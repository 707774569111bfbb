import Testing
@testable import LogscanSupport
@testable import LogscanRules
@testable import LogscanScan
@testable import LogscanDiagnosis

/// The built-in rules with their examples, as `logscan rules test` loads them.
let builtinRulesWithExamples = RuleLoader.load(layers: [RuleLoader.builtinFiles(examples: true)])

/// `logscan rules test` for the built-in rules, one test case per rule: a failing example names
/// its rule in the test's name, not only in a line of output.
@Suite struct RuleExampleTests {
    static let compiled = CompiledRules(builtinRulesWithExamples)

    @Test func builtinRulesLoadWithoutErrors() {
        #expect(builtinRulesWithExamples.diagnostics.filter { $0.level == .error }.isEmpty)
        #expect(builtinRulesWithExamples.rules.count >= 50)
    }

    /// Each `match` example matches through the scan's path with the captures it lists; no
    /// `no_match` example matches.
    @Test(arguments: builtinRulesWithExamples.rules.map(\.id))
    func examplesOfRule(_ id: String) throws {
        let index = try #require(builtinRulesWithExamples.rules.firstIndex { $0.id == id })
        let rule = builtinRulesWithExamples.rules[index]
        #expect(!rule.matchExamples.isEmpty, "\(id) has no match example")
        let problems = ExampleTester(rules: Self.compiled).check(ruleIndex: index)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
