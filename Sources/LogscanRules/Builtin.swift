/// The rule and cause files compiled into the binary (from `Patterns/`).
public enum BuiltinPatterns {
    /// Every embedded file as (path relative to `Patterns/`, contents, and the contents with
    /// the rule's `examples` block and whole-line comments blanked out).
    public static var files: [(path: String, contents: String, lean: String)] { EmbeddedPatterns.files }
}

extension BuiltinPatterns {
    /// The contents of the embedded file at `path` (relative to `Patterns/`), if there is one.
    public static func contents(of path: String) -> String? {
        files.first { $0.path == path }?.contents
    }
}
