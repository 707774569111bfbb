/// The rule and cause files compiled into the binary (from `Patterns/`).
public enum BuiltinPatterns {
    /// Every embedded file as (path relative to `Patterns/`, contents).
    public static var files: [(path: String, contents: String)] { EmbeddedPatterns.files }
}
