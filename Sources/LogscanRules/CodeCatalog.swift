import Foundation
import Yams

/// One catalog file: a kind of code, with its entries.
public struct CodeCatalog: Sendable {
    public let id: String
    public let title: String
    public let kind: CodeKind
    public let source: String
    public let entries: [CodeEntry]
    public let file: String
}
