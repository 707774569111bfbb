import LogscanSupport
import LogscanPrefilter
import LogscanRules
import LogscanScan
import LogscanDiagnosis

/// A JSON object written straight into UTF-8 bytes, keys in the order they are added
/// (deterministic output, no Foundation encoder, no String per field).
public struct JSONObject {
    public private(set) var bytes: [UInt8] = [0x7B]
    private var empty = true
    public init() { bytes.reserveCapacity(256) }

    private mutating func key(_ key: StaticString) {
        if !empty { bytes.append(0x2C) }
        empty = false
        // Keys are plain ASCII literals: copied as they are, no escaping, no allocation.
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3A)
    }

    /// A key that is not a literal (capture names from rule files).
    public mutating func addDynamic(_ k: String, _ value: String?) {
        if !empty { bytes.append(0x2C) }
        empty = false
        JSON.appendString(k, to: &bytes)
        bytes.append(0x3A)
        if let value { JSON.appendString(value, to: &bytes) } else { bytes += JSON.null }
    }

    public mutating func add(_ k: StaticString, _ value: String?) {
        key(k)
        if let value { JSON.appendString(value, to: &bytes) } else { bytes += JSON.null }
    }
    public mutating func add(_ k: StaticString, _ value: Int) { key(k); bytes += String(value).utf8 }
    public mutating func add(_ k: StaticString, _ value: Int64) { key(k); bytes += String(value).utf8 }
    public mutating func add(_ k: StaticString, _ value: Bool) { key(k); bytes += value ? JSON.trueBytes : JSON.falseBytes }
    public mutating func add(_ k: StaticString, raw: String) { key(k); bytes += raw.utf8 }
    public mutating func add(_ k: StaticString, rawBytes: [UInt8]) { key(k); bytes += rawBytes }
    public mutating func add(_ k: StaticString, strings: [String]) {
        key(k)
        bytes.append(0x5B)
        for (i, s) in strings.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            JSON.appendString(s, to: &bytes)
        }
        bytes.append(0x5D)
    }
    public mutating func add(_ k: StaticString, object: JSONObject) {
        key(k)
        bytes += object.closed
    }
    public mutating func add(_ k: StaticString, objects: [JSONObject]) {
        key(k)
        JSON.appendArray(objects, to: &bytes)
    }
    public mutating func add(_ k: StaticString, time: Instant?) {
        key(k)
        if let time {
            bytes.append(0x22)
            time.appendRFC3339(to: &bytes)
            bytes.append(0x22)
        } else {
            bytes += JSON.null
        }
    }

    /// The finished object's bytes.
    public var closed: [UInt8] { bytes + [0x7D] }
    public var text: String { String(decoding: closed, as: UTF8.self) }
}
