import LogscanSupport
import LogscanRules


/// A matched line as the scanner hands it out: valid only during the call (`text` points into
/// the read buffer), so keeping it costs nothing unless the receiver copies it.
public struct HitView {
    public var ruleIndex: Int
    /// 1-based physical line number.
    public var line: Int
    /// The whole physical line as read (not decoded).
    public var text: UnsafeRawBufferPointer
    public var captures: [String: String]
    /// The time of the record the line belongs to, as written.
    public var recordTime: RecordTime?
}

/// How a hit's line number, text and captures are laid out in a `SpillBuffer`: a header of
/// `u64 line, u32 text length, u32 captures length, u16 capture count`, the text, then per
/// capture `u16 name length, u32 value length, name, value` (all little-endian).
package enum HitRecord {
    static let headerSize = 18

    package static func append(line: Int, text: UnsafeRawBufferPointer, captures: [String: String], to store: SpillBuffer) -> Int64 {
        store.append { out in encode(line: line, text: text, captures: captures, into: &out) }
    }

    /// Adds `delta` to the line number of every record in `records` (records as `encode`
    /// writes them, one after another): a part of a file scanned on its own numbers its lines
    /// from 1.
    static func shiftLines(in records: inout [UInt8], by delta: Int) {
        guard delta != 0 else { return }
        records.withUnsafeMutableBytes { b in
            var at = 0
            while at + headerSize <= b.count {
                let line = Int64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: Int64.self))
                b.storeBytes(of: (line + Int64(delta)).littleEndian, toByteOffset: at, as: Int64.self)
                at += length(in: UnsafeRawBufferPointer(b), at: at)
            }
        }
    }

    /// The length of the record at `at` in `records`.
    package static func length(in records: UnsafeRawBufferPointer, at: Int) -> Int {
        headerSize + get(records, at + 8, 4) + get(records, at + 12, 4)
    }

    /// Writes one record: its line number, text and captures.
    package static func encode(line: Int, text: UnsafeRawBufferPointer, captures: [String: String], into out: inout [UInt8]) {
        var caps: [UInt8] = []
        var captureCount = 0
        // The header holds the text's length in 32 bits (a line is at most 1 GiB: no cut in practice).
        let text = UnsafeRawBufferPointer(rebasing: text.prefix(Int(UInt32.max)))
        if !captures.isEmpty {
            let sorted = captures.sorted(by: { $0.key < $1.key }).prefix(Int(UInt16.max))
            for (name, value) in sorted {
                let n = Array(name.utf8.prefix(Int(UInt16.max))), v = Array(value.utf8)
                // The header counts capture bytes in 32 bits: captures past that are left out.
                guard caps.count + 6 + n.count + v.count <= Int(UInt32.max) else { break }
                captureCount += 1
                put(UInt64(n.count), 2, &caps)
                put(UInt64(v.count), 4, &caps)
                caps += n
                caps += v
            }
        }
        // The 18-byte header in one append (most hits have no captures: header and text).
        withUnsafeTemporaryAllocation(byteCount: headerSize, alignment: 8) { h in
            h.storeBytes(of: UInt64(bitPattern: Int64(line)).littleEndian, toByteOffset: 0, as: UInt64.self)
            h.storeBytes(of: UInt32(text.count).littleEndian, toByteOffset: 8, as: UInt32.self)
            h.storeBytes(of: UInt32(caps.count).littleEndian, toByteOffset: 12, as: UInt32.self)
            h.storeBytes(of: UInt16(captureCount).littleEndian, toByteOffset: 16, as: UInt16.self)
            out.append(contentsOf: UnsafeRawBufferPointer(h))
        }
        out.append(contentsOf: text)
        if !caps.isEmpty { out += caps }
    }

    private static func put(_ v: UInt64, _ bytes: Int, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0[0..<bytes]) }
    }
    @inline(__always)
    package static func get(_ b: UnsafeRawBufferPointer, _ at: Int, _ bytes: Int) -> Int {
        switch bytes {
        case 8: return Int(Int64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: Int64.self)))
        case 4: return Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        default: return Int(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        }
    }


    package static func read<R>(_ store: SpillBuffer, at offset: Int64,
                        _ body: (_ line: Int, _ text: UnsafeRawBufferPointer, _ captures: Int, _ rest: UnsafeRawBufferPointer) -> R) -> R {
        read(store, at: offset, cursor: nil, body)
    }

    /// Calls `body` with the record's line number, text, capture count and capture bytes.
    package static func read<R>(_ store: SpillBuffer, at offset: Int64, cursor: SpillCursor?,
                        _ body: (_ line: Int, _ text: UnsafeRawBufferPointer, _ captures: Int, _ rest: UnsafeRawBufferPointer) -> R) -> R {
        let h = headerSize
        return store.withRecord(at: offset, headerSize: h, cursor: cursor, length: { length(in: $0, at: 0) }) { all in
            let textLength = get(all, 8, 4)
            return body(get(all, 0, 8), UnsafeRawBufferPointer(rebasing: all[h..<(h + textLength)]), get(all, 16, 2),
                        UnsafeRawBufferPointer(rebasing: all[(h + textLength)...]))
        }
    }

    package static func captures(count: Int, _ rest: UnsafeRawBufferPointer) -> [String: String] {
        var out: [String: String] = [:]
        var at = 0
        for _ in 0..<count {
            let n = get(rest, at, 2), v = get(rest, at + 2, 4)
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: rest[(at + 6)..<(at + 6 + n)]), as: UTF8.self)
            out[name] = String(decoding: UnsafeRawBufferPointer(rebasing: rest[(at + 6 + n)..<(at + 6 + n + v)]), as: UTF8.self)
            at += 6 + n + v
        }
        return out
    }
}
