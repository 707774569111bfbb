/// Reads the Mac's identity from the file names the usual collectors give their archives
/// (log-sources.md §8).
enum DeviceHint {
    /// `name` is a file name without directories.
    static func from(archiveName name: String) -> String? {
        let stem = stripArchiveExtension(name)
        if stem.hasPrefix("sysdiagnose_") || stem.hasPrefix("IN_PROGRESS_sysdiagnose") { return nil }
        // IntuneMacODC: <host>-IntuneMacODC-<YYYY-MM-DDTHH-MM-SS±zzzz>
        if let marker = stem.range(of: "-IntuneMacODC-") {
            return nonEmpty(stem[..<marker.lowerBound])
        }
        // Community scripts: <serial>_<YYYY-MM-DD-HH.MM.SS>_JamfLogs
        if let prefix = strip(stem, suffix: "_JamfLogs"), let serial = strip(prefix, stamp: "_####-##-##-##.##.##") {
            return nonEmpty(serial)
        }
        // Jamf Log Grabber: <user>_<YYYY-MM-DD>_logs
        if let prefix = strip(stem, suffix: "_logs"), let user = strip(prefix, stamp: "_####-##-##") {
            return nonEmpty(user)
        }
        // logCollection: <LocalHostName>-<user>-<YYYY-MM-DD-HH-MM-SS>; host names may hold dashes,
        // so the user is what follows the last one.
        if let hostAndUser = strip(stem, stamp: "-####-##-##-##-##-##"),
           let dash = hostAndUser.lastIndex(of: "-") {
            return nonEmpty(hostAndUser[..<dash])
        }
        return nil
    }

    private static let archiveExtensions = [".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tbz2", ".tbz", ".txz", ".tar", ".zip"]

    private static func stripArchiveExtension(_ name: String) -> String {
        for suffix in archiveExtensions where name.lowercased().hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    private static func strip(_ text: String, suffix: String) -> String? {
        text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : nil
    }

    /// Removes a trailing stamp where `#` is any ASCII digit and every other character is literal.
    private static func strip(_ text: String, stamp: String) -> String? {
        let tail = Array(text.utf8.suffix(stamp.utf8.count))
        guard tail.count == stamp.utf8.count else { return nil }
        for (byte, expected) in zip(tail, stamp.utf8) {
            let matches = expected == UInt8(ascii: "#") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
            if !matches { return nil }
        }
        return String(decoding: text.utf8.dropLast(stamp.utf8.count), as: UTF8.self)
    }

    private static func nonEmpty(_ text: Substring) -> String? {
        text.isEmpty ? nil : String(text)
    }

    private static func nonEmpty(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }
}
