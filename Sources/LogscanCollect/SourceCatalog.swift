/// Everything `logscan collect` reads, and nothing else (`logscan collect --list` prints it).
///
/// Paths are relative to the root (`/` on the live Mac, or `--root`); `<user>` stands for each
/// selected home folder under `Users/`. Files keep these paths inside the zip. Keychains,
/// tokens and other secrets are not in this list and are never read.
public enum SourceCatalog {
    public enum Kind: Sendable, Equatable {
        /// One file, copied whole.
        case file(String)
        /// The regular files directly in a directory whose names pass `nameFilter`, copied whole.
        case directory(String, NameFilter)
        /// Keys of a plist read into the manifest (versions, OS, computer name); not copied.
        case metadata(String, keys: [String])
        /// A `log show --style ndjson` export of the live Mac over the last `--days`.
        case unifiedLog(predicate: String, output: String)
        /// The Mac's zone: the target of this symbolic link (`…/zoneinfo/America/Chicago`).
        case zoneLink(String)
    }

    public enum NameFilter: Sendable, Equatable {
        /// `jamf.log` and its rotations `jamf.log.0`, `jamf.log.0.gz`, …
        case stemAndRotations(String)
        /// Names holding `.log` (`x.log`, `x.log.1`, `x 2025-01-01--10-00-00-000.log`).
        case logFiles

        public func accepts(_ name: String) -> Bool {
            switch self {
            case .stemAndRotations(let stem): return name == stem || name.hasPrefix(stem + ".")
            case .logFiles: return name.contains(".log") && !name.hasPrefix(".")
            }
        }

        var description: String {
            switch self {
            case .stemAndRotations(let stem): return "\(stem), \(stem).*"
            case .logFiles: return "*.log*"
            }
        }
    }

    public struct Source: Sendable {
        public let id: String
        public let title: String
        public let perUser: Bool
        public let kind: Kind

        /// The path (or predicate) for `--list`.
        public var listing: String {
            let prefix = perUser ? "Users/<user>/" : ""
            switch kind {
            case .file(let p): return prefix + p
            case .directory(let p, let filter): return prefix + p + "/" + filter.description
            case .metadata(let p, let keys): return prefix + p + " (" + keys.joined(separator: ", ") + ")"
            case .unifiedLog(let predicate, let output): return "log show --style ndjson --info --debug --last <days>d --predicate '\(predicate)' > \(output)"
            case .zoneLink(let p): return prefix + p + " (symbolic link target)"
            }
        }
    }

    /// Where `log show` exports go inside the collection.
    public static let unifiedLogDirectory = "logscan/log-show"

    public static let jamfAADPredicate = #"subsystem == "com.jamf.management.jamfAAD" OR process == "JamfAAD" OR process == "Jamf Conditional Access""#
    public static let companyPortalPredicate = #"subsystem BEGINSWITH "com.microsoft.CompanyPortalMac" OR process == "Company Portal""#
    public static let appSSOPredicate = #"subsystem BEGINSWITH "com.apple.AppSSO""#

    public static let all: [Source] = [
        Source(id: "jamf-log", title: "jamf.log and its rotations", perUser: false,
               kind: .directory("var/log", .stemAndRotations("jamf.log"))),
        Source(id: "intune-agent-logs", title: "Intune agent logs (IntuneMDMDaemon)", perUser: false,
               kind: .directory("Library/Logs/Microsoft/Intune", .logFiles)),
        Source(id: "jamf-settings", title: "jamf framework settings (microsoftCAEnabled, microsoftCANativeClientAppId)", perUser: false,
               kind: .file("Library/Preferences/com.jamfsoftware.jamf.plist")),
        Source(id: "company-portal-logs", title: "Company Portal logs", perUser: true,
               kind: .directory("Library/Logs/Company Portal", .logFiles)),
        Source(id: "sso-extension-logs", title: "Microsoft Enterprise SSO extension logs", perUser: true,
               kind: .directory("Library/Containers/com.microsoft.CompanyPortalMac.ssoextension/Data/Library/Caches/Logs/Microsoft/SSOExtension", .logFiles)),
        Source(id: "jamfaad-state", title: "jamfAAD registration state (have_an_Azure_id, last_aad_token_timestamp)", perUser: true,
               kind: .file("Library/Preferences/com.jamf.management.jamfAAD.plist")),
        Source(id: "company-portal-settings", title: "Company Portal preferences", perUser: true,
               kind: .file("Library/Preferences/com.microsoft.CompanyPortalMac.plist")),
        Source(id: "log-show-jamfaad", title: "unified log: jamfAAD / Jamf Conditional Access", perUser: false,
               kind: .unifiedLog(predicate: jamfAADPredicate, output: unifiedLogDirectory + "/jamfAAD.ndjson")),
        Source(id: "log-show-company-portal", title: "unified log: Company Portal", perUser: false,
               kind: .unifiedLog(predicate: companyPortalPredicate, output: unifiedLogDirectory + "/CompanyPortal.ndjson")),
        Source(id: "log-show-appsso", title: "unified log: AppSSO / Platform SSO", perUser: false,
               kind: .unifiedLog(predicate: appSSOPredicate, output: unifiedLogDirectory + "/AppSSO.ndjson")),
        Source(id: "os-version", title: "macOS version", perUser: false,
               kind: .metadata("System/Library/CoreServices/SystemVersion.plist", keys: ["ProductName", "ProductVersion", "ProductBuildVersion"])),
        Source(id: "computer-name", title: "computer name", perUser: false,
               kind: .metadata("Library/Preferences/SystemConfiguration/preferences.plist", keys: ["System/System/ComputerName"])),
        Source(id: "time-zone", title: "time zone", perUser: false, kind: .zoneLink("etc/localtime")),
        Source(id: "version-company-portal", title: "Company Portal version", perUser: false,
               kind: .metadata("Applications/Company Portal.app/Contents/Info.plist", keys: versionKeys)),
        Source(id: "version-jamf", title: "jamf framework (Jamf.app) version", perUser: false,
               kind: .metadata("Library/Application Support/JAMF/Jamf.app/Contents/Info.plist", keys: versionKeys)),
        Source(id: "version-jamf-conditional-access", title: "Jamf Conditional Access version", perUser: false,
               kind: .metadata("Library/Application Support/JAMF/Jamf.app/Contents/MacOS/Jamf Conditional Access.app/Contents/Info.plist", keys: versionKeys)),
        Source(id: "version-jamfaad", title: "JamfAAD version (before the rename)", perUser: false,
               kind: .metadata("Library/Application Support/JAMF/Jamf.app/Contents/MacOS/JamfAAD.app/Contents/Info.plist", keys: versionKeys)),
        Source(id: "version-intune-agent", title: "Microsoft Intune Agent version", perUser: false,
               kind: .metadata("Library/Intune/Microsoft Intune Agent.app/Contents/Info.plist", keys: versionKeys)),
    ]

    static let versionKeys = ["CFBundleShortVersionString", "CFBundleVersion"]

    /// The product name a version source reports under in the manifest.
    static func productName(_ id: String) -> String? {
        switch id {
        case "version-company-portal": return "Company Portal"
        case "version-jamf": return "Jamf"
        case "version-jamf-conditional-access": return "Jamf Conditional Access"
        case "version-jamfaad": return "JamfAAD"
        case "version-intune-agent": return "Microsoft Intune Agent"
        default: return nil
        }
    }
}
