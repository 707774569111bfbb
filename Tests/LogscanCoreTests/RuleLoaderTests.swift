import Testing
@testable import LogscanCore

@Suite struct RuleLoaderTests {
    /// A rule's id must equal its file's stem; the stem keeps inner dots and hidden names.
    @Test func fileStemDropsDirectoryAndLastExtension() {
        #expect(RuleLoader.fileStem("Patterns/rules/aadsts-50076.yml") == "aadsts-50076")
        #expect(RuleLoader.fileStem("/tmp/x/a.b.yaml") == "a.b")
        #expect(RuleLoader.fileStem("plain") == "plain")
        #expect(RuleLoader.fileStem("dir/.yml") == ".yml")
        #expect(RuleLoader.fileStem("dir/sub/") == "sub")
    }
}
