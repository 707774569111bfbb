import Foundation

/// Registration state that jamfAAD and the jamf framework keep in preference plists, turned
/// into lines the rules can match like any log (`Patterns/rules/plist/`).
///
/// Only documented keys are read (log-sources.md §0): jamfAAD's `have_an_Azure_id` (1 once
/// it holds the user's Entra ID; 0 when it gave up) and `last_aad_token_timestamp` (epoch
/// seconds of the last token), and the framework's `microsoftCAEnabled` and
/// `microsoftCANativeClientAppId`. Company Portal's plist is recognised but has no documented
/// registration key, so it yields no lines. A line is stamped with the plist's modification
/// time (the state as of its last write), except the token time, which is stamped with itself:
///
///     2025-03-10T15:03:20Z plist com.jamf.management.jamfAAD have_an_Azure_id=0
///
/// Binary and XML plists both parse (Foundation's PropertyListSerialization).
public enum PlistState {
    public struct Domain: Sendable {
        public let file: String
        public let domain: String
        /// Keys holding a flag or a value, stamped with the file's time.
        package let values: [String]
        /// Keys holding epoch seconds, stamped with that time.
        let epochs: [String]
    }

    public static let domains: [Domain] = [
        Domain(file: "com.jamf.management.jamfAAD.plist", domain: "com.jamf.management.jamfAAD",
               values: ["have_an_Azure_id"], epochs: ["last_aad_token_timestamp"]),
        Domain(file: "com.jamfsoftware.jamf.plist", domain: "com.jamfsoftware.jamf",
               values: ["microsoftCAEnabled", "microsoftCANativeClientAppId"], epochs: []),
        Domain(file: "com.microsoft.CompanyPortalMac.plist", domain: "com.microsoft.CompanyPortalMac",
               values: [], epochs: []),
    ]

    /// The largest plist read (preference files are a few KiB).
    public static let maxBytes = 4 << 20

    /// The domain of a leaf named `source` (a path through archives), if it is a state plist.
    public static func domain(forSource source: String) -> Domain? {
        let name = lastComponent(of: source)
        return domains.first { $0.file == name }
    }

    /// The lines for `bytes`, or nil when they are not a property list holding a dictionary.
    public static func render(_ bytes: [UInt8], domain: Domain, modified: Date?) -> [UInt8]? {
        guard let object = try? PropertyListSerialization.propertyList(from: Data(bytes), options: [], format: nil),
              let dictionary = object as? [String: Any] else { return nil }
        var out = ""
        let stamp = modified.map { Self.stamp($0) + " " } ?? ""
        for key in domain.values {
            let found = Self.lookup(key, in: dictionary)
            out += "\(stamp)plist \(domain.domain) \(found?.key ?? key)=\(found.map { Self.describe($0.value) } ?? "(absent)")\n"
        }
        for key in domain.epochs {
            guard let found = Self.lookup(key, in: dictionary) else {
                out += "\(stamp)plist \(domain.domain) \(key)=(absent)\n"
                continue
            }
            let seconds = Self.number(found.value)
            let lineStamp = seconds.map { Self.stamp(Date(timeIntervalSince1970: $0)) + " " } ?? stamp
            out += "\(lineStamp)plist \(domain.domain) \(found.key)=\(Self.describe(found.value))\n"
        }
        return Array(out.utf8)
    }

    /// A key, matched without regard to case (scripts spell `microsoftCANativeClientAppID` too).
    package static func lookup(_ key: String, in dictionary: [String: Any]) -> (key: String, value: Any)? {
        if let v = dictionary[key] { return (key, v) }
        let lowered = key.lowercased()
        return dictionary.first { $0.key.lowercased() == lowered }.map { ($0.key, $0.value) }
    }

    package static func describe(_ value: Any) -> String {
        switch value {
        case let b as Bool: return b ? "true" : "false"
        case let i as Int: return String(i)
        case let d as Double: return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case let s as String:
            let flat = s.map { $0.isNewline || $0 == "\t" ? " " : String($0) }.joined()
            return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
        case let date as Date: return stamp(date)
        case is Data: return "(data)"
        case is [Any]: return "(array)"
        case is [String: Any]: return "(dictionary)"
        default: return "\(value)"
        }
    }

    package static func number(_ value: Any) -> Double? {
        switch value {
        case let i as Int: return Double(i)
        case let d as Double: return d
        case let s as String: return Double(s.trimmingCharacters(in: .whitespaces))
        case let date as Date: return date.timeIntervalSince1970
        default: return nil
        }
    }

    static func stamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
