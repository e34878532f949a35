import Foundation
import WaymarkCSV

#if canImport(Glibc)
import Glibc
#endif
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// Writes `quarantine/<file>.csv`: one row per rejected record with its line,
/// reasons and columns, the record as text (formula-safe) and its exact
/// original bytes in base64, copied from the source file by offset.
///
/// Columns: `file, line, reasons, columns, record, record_base64`. The
/// `record_base64` value is prefixed `b64:` so no spreadsheet reads it as a
/// formula or a number; `waymark quarantine-restore` turns the file back into
/// a CSV with the original header and bytes.
public enum QuarantineWriter {
    public static let header = ["file", "line", "reasons", "columns", "record", "record_base64"]

    public static func write(_ report: FileReport, to path: String) throws {
        let writer = try CSVWriter(path: path)
        try writer.write(header: header)
        let fd = open(report.path, O_RDONLY)
        defer { if fd >= 0 { close(fd) } }
        for row in report.quarantine {
            var raw = [UInt8](repeating: 0, count: row.byteCount)
            if fd >= 0 && row.byteCount > 0 {
                var got = 0
                while got < row.byteCount {
                    let n = raw.withUnsafeMutableBytes { b -> Int in
                        guard let base = b.baseAddress else { return 0 }
                        return pread(fd, base + got, row.byteCount - got, off_t(row.byteOffset + got))
                    }
                    if n <= 0 { break }
                    got += n
                }
            }
            let text: String
            switch report.dialect.encoding {
            case .utf8: text = String(decoding: raw, as: UTF8.self)
            case .windows1252:
                var out: [UInt8] = []
                _ = raw.withUnsafeBufferPointer { TextCheck.transcodeWindows1252($0, into: &out) }
                text = String(decoding: out, as: UTF8.self)
            }
            let reasons = row.problems.map(\.reason.rawValue)
            let columns = row.problems.map { report.columnName($0.column) ?? "" }
            try writer.write([
                .text(lastPathComponent(report.path)), .integer(row.line),
                .text(reasons.joined(separator: ";")), .text(columns.joined(separator: ";")),
                .text(text), .text("b64:" + Base64.encode(raw)),
            ])
        }
        try writer.close()
    }
}

/// Standard base64 (RFC 4648) with padding.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for s in [18, 12, 6, 0] { out.append(alphabet[Int((v >> UInt32(s)) & 63)]) }
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int((v >> 18) & 63)])
            out.append(alphabet[Int((v >> 12) & 63)])
            out.append(rest == 2 ? alphabet[Int((v >> 6) & 63)] : 0x3D)
            out.append(0x3D)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var lookup = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { lookup[Int(c)] = Int16(i) }
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            if c == 0x3D { break }
            let v = lookup[Int(c)]
            if v < 0 { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}

/// Turns a quarantine file back into a CSV of the original bytes: the original
/// file's header line, then each rejected record exactly as it was.
public enum QuarantineRestorer {
    @discardableResult
    public static func restore(quarantine: String, original: String, to output: String) throws -> Int {
        var headerBytes: [UInt8] = []
        let fd = open(original, O_RDONLY)
        if fd < 0 { throw CSVReadError.cannotRead(path: original, errno: errno) }
        defer { close(fd) }
        var firstRecord: (Int, Int)?
        do {
            try CSVReader(path: original).read { r in
                if firstRecord == nil { firstRecord = (r.byteOffset, r.byteCount); throw StopReading() }
            }
        } catch is StopReading {}
        if let (offset, count) = firstRecord {
            headerBytes = [UInt8](repeating: 0, count: count)
            _ = headerBytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        }
        var out = headerBytes + [0x0A]
        var rows = 0
        var column = -1
        try CSVReader(path: quarantine).read { r in
            if column < 0 {
                column = r.strings.firstIndex(of: "record_base64") ?? -2
                return
            }
            guard column >= 0, column < r.count else { return }
            let cell = r.string(column)
            guard cell.hasPrefix("b64:"), let bytes = Base64.decode(String(cell.dropFirst(4))) else { return }
            out.append(contentsOf: bytes)
            out.append(0x0A)
            rows += 1
        }
        guard FileManager.default.createFile(atPath: output, contents: Data(out)) else {
            throw RunError.output("\(output): cannot write the restored file")
        }
        return rows
    }

    private struct StopReading: Error {}
}
