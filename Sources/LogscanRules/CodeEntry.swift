import Foundation
import Yams

/// One code of a catalog.
public struct CodeEntry: Sendable, Hashable {
    public let catalog: String
    public let kind: CodeKind
    public let code: Int64
    /// The symbolic name (`BlockedByConditionalAccess`, `errSecItemNotFound`), if it has one.
    public let name: String?
    /// What it means, in one sentence.
    public let meaning: String
    /// The logscan cause it is evidence for, if the catalog maps it to one.
    public let cause: String?
    /// The generic category (when there is no cause), its title and its one-line next step.
    public let category: String?
    public let categoryTitle: String?
    public let next: String?
    public let source: String
    public let file: String
    public let line: Int?

    /// The code as logs show it (`AADSTS53003`, `-25300`).
    public var display: String { kind.display(code) }
}
