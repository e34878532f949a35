/// One record as the reader hands it out: its fields as UTF-8 bytes, the
/// physical line it starts on, where its bytes lie in the file, and any field
/// faults found while reading it.
///
/// A record is a view into the reader's buffers: it is valid only inside the
/// closure it is passed to. Copy what you keep (``string(_:)``, ``strings``).
public struct CSVRecord {
    /// The physical line the record starts on; the header is line 1.
    public let line: Int
    /// Offset in the file of the record's first byte.
    public let byteOffset: Int
    /// Length in bytes of the record in the file, without its line terminator.
    public let byteCount: Int
    /// Faults in the record's fields (empty for almost every record).
    public let faults: [CSVFieldFault]
    /// The number of fields.
    public let count: Int
    @usableFromInline let bytes: UnsafePointer<UInt8>
    @usableFromInline let ends: UnsafePointer<Int>

    init(line: Int, byteOffset: Int, byteCount: Int, faults: [CSVFieldFault], count: Int,
         bytes: UnsafePointer<UInt8>, ends: UnsafePointer<Int>) {
        self.line = line
        self.byteOffset = byteOffset
        self.byteCount = byteCount
        self.faults = faults
        self.count = count
        self.bytes = bytes
        self.ends = ends
    }

    /// The UTF-8 bytes of field `i` (0-based), unquoted and unescaped.
    @inlinable
    public subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(start: bytes + start, count: ends[i] - start)
    }

    /// Field `i` as a String (allocates; for headers, messages and tests).
    public func string(_ i: Int) -> String {
        String(decoding: self[i], as: UTF8.self)
    }

    /// Every field as a String.
    public var strings: [String] { (0..<count).map(string) }

    /// True when every field is empty (`,,,,` as Excel leaves behind).
    public var isBlank: Bool { count == 0 || ends[count - 1] == 0 }
}

/// What one complete read of a file saw.
public struct CSVReadSummary: Sendable, Equatable {
    /// Records delivered, the header included.
    public var records: Int
    /// Zero-length lines outside quoted fields, which are not records.
    public var blankLinesSkipped: Int
    /// Bytes read from the file, a byte-order mark included.
    public var bytes: Int
    /// Physical lines in the file (a final line without a terminator counts).
    public var lines: Int
    /// In a file read as Windows-1252, the first line whose bytes read as UTF-8
    /// (a multi-byte UTF-8 sequence, or a UTF-8 byte-order mark on line 1):
    /// the file is probably UTF-8, declared wrongly.
    public var utf8LookingLine: Int?

    public init(records: Int, blankLinesSkipped: Int, bytes: Int, lines: Int, utf8LookingLine: Int? = nil) {
        self.records = records
        self.blankLinesSkipped = blankLinesSkipped
        self.bytes = bytes
        self.lines = lines
        self.utf8LookingLine = utf8LookingLine
    }
}
