import Foundation

/// What a bundle's leaf is to the scan: `logscan collect`'s manifest (read, not scanned), or
/// a log to scan, with a state plist turned into lines first (see `PlistState`).
public enum CollectedLeaf {
    case manifest(CollectionManifest)
    case log(LeafInput)

    /// Reads the manifest or renders the plist; anything else, and a manifest or plist that
    /// does not parse, is handed on with its bytes intact.
    public static func prepare(_ leaf: LeafInput) -> CollectedLeaf {
        let isManifest = CollectionManifest.isManifest(source: leaf.source)
        let domain = isManifest ? nil : PlistState.domain(forSource: leaf.source)
        guard isManifest || domain != nil else { return .log(leaf) }
        let limit = isManifest ? 1 << 20 : PlistState.maxBytes
        // The bytes as stored: a binary plist is not text (its NULs must stay).
        let sniffed = PrefixedSource(sniffing: leaf.storedStream, count: limit + 1)
        let bytes = sniffed.head
        let whole = bytes.count <= limit
        if isManifest, whole, let manifest = CollectionManifest.decode(bytes) { return .manifest(manifest) }
        if let domain, whole, let lines = PlistState.render(bytes, domain: domain, modified: leaf.modificationDate) {
            return .log(LeafInput(source: leaf.source, modificationDate: leaf.modificationDate, stream: MemoryByteSource(lines)))
        }
        return .log(LeafInput(source: leaf.source, modificationDate: leaf.modificationDate,
                              stream: TranscodingSource(sniffed), storedStream: sniffed))
    }
}
