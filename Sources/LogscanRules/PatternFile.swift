import Foundation
import LogscanInput
import LogscanPCRE2
import Yams
import LogscanSupport
import LogscanPrefilter

/// A rule or cause file's text and the name to show for it in diagnostics.
public struct PatternFile: Sendable {
    public var path: String
    public var contents: String
    /// True when the rule's `examples` were left out of `contents` (the built-in files as a scan
    /// loads them): the rule then has none, and is not asked for them.
    public var examplesLeftOut: Bool
    /// True for the files built into the binary (whatever their path says).
    public var builtin: Bool
    /// True for an error-code catalog: a file in a `codes/` folder of the pattern directory.
    public var isCatalog: Bool
    public init(path: String, contents: String, examplesLeftOut: Bool = false, builtin: Bool = false, isCatalog: Bool = false) {
        self.path = path; self.contents = contents; self.examplesLeftOut = examplesLeftOut; self.builtin = builtin
        self.isCatalog = isCatalog
    }

    /// Whether a path relative to a pattern directory is a catalog's (`codes/…`, at any depth).
    static func isCatalogPath(_ relative: String) -> Bool {
        relative.split(separator: "/").dropLast().contains("codes")
    }
}
