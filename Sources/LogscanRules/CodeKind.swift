import Foundation
import Yams
import LogscanSupport

/// How a catalog's codes are written in logs, which decides how a typed or captured code is
/// read and shown.
public enum CodeKind: String, Sendable, CaseIterable {
    /// Entra ID sign-in errors: `AADSTS53003` or `53003`.
    case aadsts
    /// MSAL (`MSALErrorDomain`, `MSALInternalErrorCodeKey`): negative numbers or symbolic names.
    case msal
    /// The identity common core (`MSIDErrorDomain`): broker, SSO extension, Workplace Join.
    case msid
    /// ADAL (`ADAuthenticationErrorDomain`).
    case adal
    /// Security framework results: signed 32-bit, also printed unsigned (`4294941996`).
    case osstatus
    /// `NSURLErrorDomain`.
    case nsurlerror
    /// HTTP statuses.
    case http

    /// Kinds whose codes are context on their own and may never name a cause (causes.md:
    /// many apps print keychain and network errors unrelated to this integration).
    public var contextOnly: Bool { self == .osstatus || self == .nsurlerror || self == .http }

    /// The code as a log shows it.
    public func display(_ code: Int64) -> String { self == .aadsts ? "AADSTS\(code)" : String(code) }

    /// The number a typed or captured value stands for, in this kind's reading: `AADSTS53003`
    /// and `53003` alike; an OSStatus printed unsigned (`4294941996`) as its signed value.
    public func number(_ text: Substring) -> Int64? {
        var t = text.trimmingCharacters(in: .whitespaces)[...]
        if self == .aadsts, t.uppercased().hasPrefix("AADSTS") { t = t.dropFirst(6) }
        if t.hasPrefix("+") { t = t.dropFirst() }
        guard !t.isEmpty, t.count <= 20, let value = Int64(t) else { return nil }
        if self == .osstatus, value > Int64(Int32.max), value <= Int64(UInt32.max) {
            return value - (Int64(1) << 32)
        }
        return value
    }
}
