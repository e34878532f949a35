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
///
/// - Memory is bounded whatever the record's length: the bytes are streamed
///   from the source file into the base64 cell, and the `record` text shows at
///   most ``previewBytes`` of them (then says how long the record is).
/// - Columns the mapping drops are emptied in both copies (they are never
///   written); a record whose fields do not line up with the header, in a file
///   that drops columns, is withheld whole, since which field to empty is unknown.
public enum QuarantineWriter {
    public static let header = ["file", "line", "reasons", "columns", "record", "record_base64"]
    /// The most bytes of a record shown in the `record` column: under the
    /// 32,767 characters a spreadsheet cell can hold.
    public static let previewBytes = 32_000

    public static func write(_ report: FileReport, to path: String) throws {
        let writer = try CSVWriter(path: path)
        try writer.write(header: header)
        let fd = open(report.path, O_RDONLY)
        defer { if fd >= 0 { close(fd) } }
        let dropped = Set(report.droppedColumns)
        for row in report.quarantine {
            let reasons = row.problems.map(\.reason.rawValue)
            let columns = row.problems.map { report.columnName($0.column) ?? "" }
            let withheld = !dropped.isEmpty && row.problems.contains { $0.reason == .wrongFieldCount }
            let source = RecordSource(fd: withheld ? -1 : fd, offset: row.byteOffset, count: row.byteCount,
                                      dialect: report.dialect, dropped: dropped)
            var preview: [UInt8] = []
            var total = 0
            try source.stream { piece in
                total += piece.count
                if preview.count < previewBytes { preview.append(contentsOf: piece.prefix(previewBytes - preview.count)) }
            }
            var text = decode(preview, report.dialect.encoding)
            if withheld {
                text = "(withheld: the row's fields do not line up with the header, so the columns the mapping drops cannot be removed from it)"
            } else if total > preview.count {
                text += " [... \(total) bytes in all; record_base64 holds the whole record]"
            }
            try writer.write([
                .text(lastPathComponent(report.path)), .integer(row.line),
                .text(reasons.joined(separator: ";")), .text(columns.joined(separator: ";")), .text(text),
            ], streaming: { emit in
                try withUnsafeBytes(of: (0x62, 0x36, 0x34, 0x3A) as (UInt8, UInt8, UInt8, UInt8)) { try emit($0) }   // "b64:"
                var encoder = Base64.StreamEncoder()
                try source.stream { piece in try encoder.encode(piece, emit) }
                try encoder.finish(emit)
            })
        }
        try writer.close()
    }

    static func decode(_ bytes: [UInt8], _ encoding: TextEncoding) -> String {
        switch encoding {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .windows1252:
            var out: [UInt8] = []
            _ = bytes.withUnsafeBufferPointer { TextCheck.transcodeWindows1252($0, into: &out) }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// A quarantined record's bytes, read from the source file in bounded pieces,
/// with the fields of dropped columns left out (their delimiters kept, so the
/// record keeps its shape). A field boundary is a delimiter outside quotes; a
/// doubled quote inside a quoted field toggles twice and changes nothing.
struct RecordSource {
    let fd: Int32
    let offset: Int
    let count: Int
    let dialect: CSVDialect
    let dropped: Set<Int>
    static let pieceBytes = 1 << 16

    func stream(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard fd >= 0, count > 0 else { return }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Self.pieceBytes)
        defer { buffer.deallocate() }
        var kept = [UInt8]()
        kept.reserveCapacity(dropped.isEmpty ? 0 : Self.pieceBytes)
        var field = 0
        var quoted = false
        var done = 0
        while done < count {
            let n = pread(fd, buffer.baseAddress, min(Self.pieceBytes, count - done), off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
            let piece = UnsafeBufferPointer(rebasing: buffer[0..<n])
            if dropped.isEmpty { try body(piece); continue }
            kept.removeAll(keepingCapacity: true)
            for b in piece {
                if b == dialect.quote {
                    quoted.toggle()
                } else if b == dialect.delimiter && !quoted {
                    field += 1
                    kept.append(b)
                    continue
                }
                if !dropped.contains(field) { kept.append(b) }
            }
            try kept.withUnsafeBufferPointer { try body($0) }
        }
    }
}

/// Standard base64 (RFC 4648) with padding.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Encodes a stream of pieces, carrying up to two bytes between them, so
    /// the output equals ``encode(_:)`` of the pieces joined.
    struct StreamEncoder {
        var carry: [UInt8] = []
        var out: [UInt8] = []

        mutating func encode(_ piece: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
            out.removeAll(keepingCapacity: true)
            var i = 0
            while !carry.isEmpty && carry.count < 3 && i < piece.count { carry.append(piece[i]); i += 1 }
            if carry.count == 3 { append3(carry[0], carry[1], carry[2]); carry.removeAll() }
            while i + 2 < piece.count {
                append3(piece[i], piece[i + 1], piece[i + 2])
                i += 3
            }
            while i < piece.count { carry.append(piece[i]); i += 1 }
            try out.withUnsafeBytes { try emit($0) }
        }

        mutating func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
            guard !carry.isEmpty else { return }
            try Array(Base64.encode(carry).utf8).withUnsafeBytes { try emit($0) }
            carry.removeAll()
        }

        private mutating func append3(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
            let v = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
            out.append(alphabet[Int(v >> 18)])
            out.append(alphabet[Int((v >> 12) & 63)])
            out.append(alphabet[Int((v >> 6) & 63)])
            out.append(alphabet[Int(v & 63)])
        }
    }

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
