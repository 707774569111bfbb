import Foundation
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// Where a report's bytes go: standard output in the command line, memory in tests.
public protocol ReportOutput: AnyObject {
    func write(_ text: String)
    func write(bytes: [UInt8])
    /// Bytes the caller keeps; the output may write them straight through, uncopied.
    func write(raw: UnsafeRawBufferPointer)
    func flush()
}
