import Foundation
import LogscanSupport
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// `--format csv`: one row per Mac and cause, for a spreadsheet; a Mac with no cause has one row
/// saying so (`status` healthy or not-diagnosable). Errors are not rows: they go to standard error.
public enum CSVReport {
    public static let header = "bundle,device,status,cause,title,severity,first_seen,last_seen,evidence_count,first_fix_step,redacted"

    public static func render(_ result: ScanResult) -> String {
        var out = header + "\n"
        let redacted = result.redacted ? "yes" : "no"
        for b in result.bundles {
            if b.findings.isEmpty {
                let status = b.notDiagnosable != nil ? "not-diagnosable" : "healthy"
                let title = b.notDiagnosable ?? "no known cause"
                out += [b.name, b.device ?? "", status, "", title, "", "", "", "0", "", redacted].map(field).joined(separator: ",") + "\n"
                continue
            }
            for f in b.findingsBySeverity {
                let cells = [b.name, b.device ?? "", "cause", f.cause, f.title, f.severity.rawValue, f.firstSeen?.rfc3339 ?? "",
                             f.lastSeen?.rfc3339 ?? "", String(f.count), f.fix.first ?? "", redacted]
                out += cells.map(field).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    static func field(_ s: String) -> String {
        // Quote when needed; neutralise spreadsheet formulas.
        var v = s
        if let first = v.first, "=+-@".contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
