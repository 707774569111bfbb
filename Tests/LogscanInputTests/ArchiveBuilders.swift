import Foundation

/// Writes a ustar archive in memory, with names of any bytes (the point: names no tool writes).
struct TarBuilder {
    private(set) var bytes: [UInt8] = []

    mutating func add(name: [UInt8], contents: [UInt8], modified: Int = 1_600_000_000, type: UInt8 = UInt8(ascii: "0")) {
        precondition(name.count <= 100)
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], at offset: Int) {
            for (index, byte) in field.enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: width - 1 - digits.count) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(contents.count, width: 12), at: 124)
        put(octal(modified, width: 12), at: 136)
        put(Array(repeating: UInt8(ascii: " "), count: 8), at: 148)
        header[156] = type
        put(Array("ustar".utf8) + [0] + Array("00".utf8), at: 257)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7) + [UInt8(ascii: " ")], at: 148)
        bytes += header + contents
        bytes += [UInt8](repeating: 0, count: (512 - contents.count % 512) % 512)
    }

    mutating func add(_ name: String, _ contents: String, modified: Int = 1_600_000_000) {
        add(name: Array(name.utf8), contents: Array(contents.utf8), modified: modified)
    }

    /// The archive with its two zero end blocks.
    var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
}

/// Writes a zip of stored (uncompressed) members in memory.
struct ZipBuilder {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// `utf8Flag` marks the name as UTF-8 (general-purpose bit 11).
    mutating func add(name: [UInt8], contents: [UInt8], utf8Flag: Bool = false) {
        let crc = CRC32.checksum(contents)
        let flags: UInt16 = utf8Flag ? 0x0800 : 0
        let time: UInt16 = 0x6000, date: UInt16 = 0x5021  // 2020-01-01 12:00:00
        var local: [UInt8] = []
        local += le32(0x0403_4B50) + le16(20) + le16(flags) + le16(0) + le16(time) + le16(date)
        local += le32(crc) + le32(UInt32(contents.count)) + le32(UInt32(contents.count))
        local += le16(UInt16(name.count)) + le16(0) + name
        var central: [UInt8] = []
        central += le32(0x0201_4B50) + le16(0x031E) + le16(20) + le16(flags) + le16(0) + le16(time) + le16(date)
        central += le32(crc) + le32(UInt32(contents.count)) + le32(UInt32(contents.count))
        central += le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0) + le16(0)
        central += le32(0o100644 << 16) + le32(UInt32(body.count)) + name
        body += local + contents
        directory += central
        count += 1
    }

    mutating func add(_ name: String, _ contents: [UInt8]) {
        add(name: Array(name.utf8), contents: contents)
    }

    var archive: [UInt8] {
        body + directory + le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
            + le32(UInt32(directory.count)) + le32(UInt32(body.count)) + le16(0)
    }

    private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) } }
}

enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
