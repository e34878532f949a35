import WaymarkCSV

/// What the first two bytes of a CSV fuzz input choose: a small chunk size,
/// small limits and the dialect, so that chunk boundaries, the over-long-field
/// skip path and quoting are reached by short inputs.
///
/// - byte 0: bits 0-5 the chunk size (1...64), bits 6-7 the delimiter
///   (`,` `;` tab `|`);
/// - byte 1: bits 0-3 the field limit (1...256 bytes, ``fieldLimits``),
///   bits 4-6 the column limit (1...32, ``columnLimits``), bit 7 Windows-1252
///   instead of UTF-8.
///
/// `0x00 0x7F` is one-byte chunks, commas, 256 bytes, 32 columns, UTF-8.
struct CSVReaderFuzzSettings: CustomStringConvertible {
    static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
    static let fieldLimits = [1, 2, 3, 4, 5, 6, 8, 11, 16, 23, 32, 48, 64, 100, 160, 256]
    static let columnLimits = [1, 2, 3, 5, 8, 12, 20, 32]

    var chunkSize: Int
    var dialect: CSVDialect
    var limits: CSVLimits

    init(_ byte0: UInt8, _ byte1: UInt8) {
        chunkSize = Int(byte0 & 0x3F) + 1
        dialect = CSVDialect(delimiter: Self.delimiters[Int(byte0 >> 6)],
                             encoding: byte1 & 0x80 == 0 ? .utf8 : .windows1252)
        limits = CSVLimits(maxFieldBytes: Self.fieldLimits[Int(byte1 & 0x0F)],
                           maxColumns: Self.columnLimits[Int((byte1 >> 4) & 0x07)])
    }

    var description: String {
        "chunkSize \(chunkSize), delimiter 0x\(String(dialect.delimiter, radix: 16)), \(dialect.encoding.rawValue), "
            + "maxFieldBytes \(limits.maxFieldBytes), maxColumns \(limits.maxColumns)"
    }
}
