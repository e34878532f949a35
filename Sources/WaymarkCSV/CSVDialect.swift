/// How a CSV file is written: its delimiter, quote character and text encoding.
///
/// Parse options only; which file to read and how big the chunks are belong to
/// ``CSVReader``.
public struct CSVDialect: Sendable, Equatable {
    /// The byte that separates fields (`,` by default; `;`, tab and `|` are common).
    public var delimiter: UInt8
    /// The byte that quotes a field (`"`).
    public var quote: UInt8
    /// The text encoding of the file's bytes.
    public var encoding: TextEncoding

    public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""), encoding: TextEncoding = .utf8) {
        self.delimiter = delimiter
        self.quote = quote
        self.encoding = encoding
    }

    /// RFC 4180: comma, double quote, UTF-8.
    public static let rfc4180 = CSVDialect()
}

/// The text encodings a CSV file may declare.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8; a leading byte-order mark is allowed and dropped.
    case utf8 = "utf-8"
    /// Windows code page 1252 (Excel's "CSV" on UK Windows); transcoded to UTF-8.
    case windows1252 = "windows-1252"
}

/// The bounds that keep one malformed file from exhausting memory.
public struct CSVLimits: Sendable, Equatable {
    /// The most bytes one field may hold; a longer field is a row fault.
    public var maxFieldBytes: Int
    /// The most fields one record may have; more stops the read.
    public var maxColumns: Int

    public init(maxFieldBytes: Int = 65_536, maxColumns: Int = 1_024) {
        self.maxFieldBytes = maxFieldBytes
        self.maxColumns = maxColumns
    }
}
