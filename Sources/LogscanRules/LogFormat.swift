#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The log formats logscan tells apart by content (the `inputs[].format` names of cli.md).
public enum LogFormat: String, Sendable, CaseIterable, Codable {
    case companyPortal = "company-portal"
    case jamf
    case jamfServer = "jamf-server"
    case intuneAgent = "intune-agent"
    case unifiedLog = "unified-log"
    case ssoExtension = "sso-extension"
    case text
    /// Registration state read from a preference plist (see `PlistState`).
    case plist
    /// Not a log: mostly binary data. Reported, not scanned.
    case binary
}
