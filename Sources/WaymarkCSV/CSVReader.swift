import CLibCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the records of one CSV file through libcsv, in chunks, with the
/// physical line each record starts on.
///
/// - Reads `chunkSize` bytes at a time; never holds the whole file.
/// - Ends records at LF, CRLF or a lone CR, mixed freely; zero-length lines
///   outside quotes are skipped and counted.
/// - Drops a UTF-8 byte-order mark; refuses UTF-16, UTF-32 and the other
///   encodings of ``ForeignEncoding``, naming them
///   (``CSVReadError/unsupportedEncoding(path:encoding:byteOrderMark:)``).
/// - Delivers fields as UTF-8 (Windows-1252 is transcoded). Stops at the
///   first field that is not valid UTF-8 in a file read as UTF-8
///   (``CSVReadError/notUTF8(path:line:column:)``): the file is in an
///   encoding the mapping does not declare. In a file read as Windows-1252,
///   notes the first line that reads as UTF-8 (``CSVReadSummary/utf8LookingLine``).
/// - Reports forbidden characters, undefined Windows-1252 bytes, fields over
///   the byte limit and malformed quoting as ``CSVFieldFault``s on the record
///   instead of failing.
/// - Stops on an unterminated quote (naming the line it opened on) and on a
///   record with too many columns. A field over the limit is skipped by the
///   reader's own scanner, so memory stays near twice the field limit even
///   when a quote never closes.
///
/// Lines are physical: the header is line 1 and a record's line is the line it
/// starts on. Cost: one pass over the bytes, one libcsv call per physical line.
public final class CSVReader {
    public let path: String
    public let dialect: CSVDialect
    public let limits: CSVLimits
    public let chunkSize: Int
    /// Makes the inspector of skipped fields for each read (each half of a
    /// parallel read gets its own).
    public var makeInspector: (@Sendable () -> SkippedFieldInspector)?
    /// Splits lines without a quote character on the delimiter directly
    /// instead of through libcsv (docs/performance.md). The fields are exactly
    /// libcsv's (a differential test and the CSV fuzz target check it); off,
    /// every byte goes through libcsv, the reference.
    public var quoteFreeFastPath = true

    public init(path: String, dialect: CSVDialect = .rfc4180, limits: CSVLimits = CSVLimits(), chunkSize: Int = 1 << 20) {
        self.path = path
        self.dialect = dialect
        self.limits = limits
        self.chunkSize = max(1, chunkSize)
    }

    /// Reads the whole file, calling `body` once per record (the header first).
    /// `observe` sees every chunk of raw bytes as read (for hashing and progress).
    @discardableResult
    public func read(observe: ((UnsafeRawBufferPointer) -> Void)? = nil,
                     _ body: (CSVRecord) throws -> Void) throws -> CSVReadSummary {
        try read(to: nil, observe: observe, body).summary
    }

    /// Reads the file from its start up to byte `limit` (the whole file when
    /// nil): the first half of a parallel read, which must end between records.
    public func read(to limit: Int?, observe: ((UnsafeRawBufferPointer) -> Void)? = nil,
                     _ body: (CSVRecord) throws -> Void) throws -> PartSummary {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CSVReadError.cannotRead(path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            throw CSVReadError.cannotRead(path: path, errno: EISDIR)
        }

        // Sniff the first bytes for a byte-order mark or the zero bytes of UTF-16 and UTF-32.
        var head = [UInt8](repeating: 0, count: 4)
        let headCount = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4, 0) }
        if headCount < 0 { throw CSVReadError.cannotRead(path: path, errno: errno) }
        if let (encoding, mark) = ForeignEncoding.detect(Array(head[0..<headCount])) {
            throw CSVReadError.unsupportedEncoding(path: path, encoding: encoding, byteOrderMark: mark)
        }
        // A UTF-8 byte-order mark is dropped whatever the declared encoding: in a file
        // declared windows-1252 it is the first sign the file is UTF-8 (see `utf8LookingLine`).
        var skipBOM = 0
        if headCount >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF {
            skipBOM = 3
        }

        var part = try run(fd: fd, from: skipBOM, to: limit, observe: observe, body)
        if skipBOM > 0 && dialect.encoding == .windows1252 { part.summary.utf8LookingLine = 1 }
        if part.summary.records == 0 { throw CSVReadError.noHeader(path: path) }
        return part
    }

    /// A byte offset near `target` just after a line feed, where a second reader
    /// can start (nil when there is none within 4 MB).
    public func splitPoint(near target: Int) -> Int? {
        let fd = open(path, O_RDONLY)
        if fd < 0 { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset = target
        while offset < target + (4 << 20) {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n <= 0 { return nil }
            if let k = buffer[0..<n].firstIndex(of: 0x0A) { return offset + k + 1 }
            offset += n
        }
        return nil
    }

    /// What reading a part of a file saw, and whether it ended between records.
    public struct PartSummary: Sendable {
        public var summary: CSVReadSummary
        /// True when the part's last byte ended a record (so the next part can
        /// start a new record there); always true for a part that runs to the end.
        public var endsBetweenRecords: Bool
    }

    /// Reads the bytes [from, to) of the file (to the end when `to` is nil), with
    /// line numbers counted from 1 at `from`, no byte-order mark handling and no
    /// header expected: one half of a parallel read. A part that stops before the
    /// end reports whether it stopped between records; if not, the split fell
    /// inside a quoted field and the caller must read the file whole.
    public func readPart(from: Int, to: Int?, _ body: (CSVRecord) throws -> Void) throws -> PartSummary {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CSVReadError.cannotRead(path: path, errno: errno) }
        defer { close(fd) }
        return try run(fd: fd, from: from, to: to, observe: nil, body)
    }

    private func run(fd: Int32, from: Int, to: Int?, observe: ((UnsafeRawBufferPointer) -> Void)?,
                     _ body: (CSVRecord) throws -> Void) throws -> PartSummary {
        var engine = ParseEngine(path: path, dialect: dialect, limits: limits, inspector: makeInspector?())
        engine.fastPath = quoteFreeFastPath
        defer { engine.release() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        if from > 0 && observe != nil {
            // The skipped prefix (a byte-order mark) still belongs to the file's hash.
            let n = pread(fd, buffer.baseAddress, min(from, chunkSize), 0)
            if n > 0 { observe?(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
        }
        var offset = from
        while true {
            let want = to.map { min(chunkSize, $0 - offset) } ?? chunkSize
            if want <= 0 { break }
            let n = pread(fd, buffer.baseAddress, want, off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVReadError.cannotRead(path: path, errno: errno)
            }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            observe?(chunk)
            try engine.consume(chunk.bindMemory(to: UInt8.self), at: offset, body)
            offset += n
        }
        var between = true
        if to == nil || offset < (to ?? 0) {
            try engine.finish(at: offset, body)
        } else {
            between = engine.isBetweenRecords
        }
        let summary = CSVReadSummary(records: engine.records, blankLinesSkipped: engine.blankLines, bytes: offset,
                                     lines: engine.physicalLines, utf8LookingLine: engine.utf8LookingLine)
        return PartSummary(summary: summary, endsBetweenRecords: between)
    }

    /// Reads a whole file into arrays of strings (for tests and small files).
    public static func readAll(path: String, dialect: CSVDialect = .rfc4180, limits: CSVLimits = CSVLimits(),
                               chunkSize: Int = 1 << 20) throws -> [(line: Int, fields: [String], faults: [CSVFieldFault])] {
        var out: [(line: Int, fields: [String], faults: [CSVFieldFault])] = []
        try CSVReader(path: path, dialect: dialect, limits: limits, chunkSize: chunkSize).read { r in
            out.append((r.line, r.strings, r.faults))
        }
        return out
    }
}

/// The state of one read: the libcsv parser, line tracking, the current
/// record's fields, and the fallback scanner for over-long or malformed fields.
struct ParseEngine {
    let path: String
    let limits: CSVLimits
    let encoding: TextEncoding
    let delimiter: UInt8
    let quote: UInt8
    var parser = csv_parser()

    /// The state libcsv's callbacks touch, behind a raw pointer so they reach it
    /// without reference counting or dynamic exclusivity checks.
    let fields: UnsafeMutablePointer<FieldSink>
    var fieldBytes: GrowableBuffer<UInt8> { fields.pointee.bytes }
    var fieldEnds: GrowableBuffer<Int> { fields.pointee.ends }
    var faults: [CSVFieldFault] {
        get { fields.pointee.faults }
        nonmutating set { fields.pointee.faults = newValue }
    }
    var recordDone: Bool {
        get { fields.pointee.recordDone }
        nonmutating set { fields.pointee.recordDone = newValue }
    }
    var tooManyColumns: Bool { fields.pointee.tooManyColumns }

    // Position tracking.
    var line = 1
    var lineHasContent = false
    var inRecord = false
    var recordLine = 0
    var recordStart = 0
    var recordEnd = 0
    var pendingCR = false
    var quoteOpen = false
    var quoteOpenLine = 0
    var quoteOpenField = 0
    var quoteOpenRecord = 0
    var records = 0
    var blankLines = 0
    var physicalLines = 0
    /// The first line of a Windows-1252 read whose bytes read as UTF-8.
    var utf8LookingLine: Int?

    // The fallback scanner, active while skipping the rest of one bad field.
    var skipping = false
    var skipQuoted = false
    var skipAfterQuote = false

    /// Sees the bytes of every skipped field.
    let inspector: SkippedFieldInspector?
    /// Whether quote-free lines bypass libcsv (``CSVReader/quoteFreeFastPath``).
    var fastPath = true
    /// The longest line the fast path takes: no field of it can reach the
    /// field limit, and libcsv would have taken it in one piece.
    let fastPathMaxLine: Int

    init(path: String, dialect: CSVDialect, limits: CSVLimits, inspector: SkippedFieldInspector?) {
        self.path = path
        self.inspector = inspector
        self.limits = limits
        self.encoding = dialect.encoding
        self.delimiter = dialect.delimiter
        self.quote = dialect.quote
        self.fastPathMaxLine = min(limits.maxFieldBytes, 1 << 14)
        fields = .allocate(capacity: 1)
        fields.initialize(to: FieldSink(limits: limits, encoding: dialect.encoding, inspector: inspector))
        csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
        csv_set_delim(&parser, dialect.delimiter)
        csv_set_quote(&parser, dialect.quote)
        csv_set_space_func(&parser, waymark_csv_no_space)
    }

    mutating func release() {
        csv_free(&parser)
        fields.pointee.bytes.deallocate()
        fields.pointee.ends.deallocate()
        fields.deinitialize(count: 1)
        fields.deallocate()
    }

    mutating func addPlaceholderField(_ kind: CSVFieldFault.Kind) {
        fields.pointee.addPlaceholder(kind)
    }

    // MARK: driving

    /// True when no record is open: the parser is between records.
    var isBetweenRecords: Bool {
        !inRecord && !skipping && !pendingCR && parser.pstate == WAYMARK_CSV_ROW_NOT_BEGUN
    }

    /// Feeds one chunk of bytes that starts at file offset `base`.
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, at base: Int, _ body: (CSVRecord) throws -> Void) throws {
        let n = bytes.count
        var i = 0
        if pendingCR {
            pendingCR = false
            if n > 0 && bytes[0] == 0x0A {
                // The LF of a CRLF split across chunks: same terminator, same line.
                try feed(bytes, 0, 1)
                i = 1
            }
        }
        guard let start = bytes.baseAddress else { return }
        while i < n {
            // Find the line's end; note any byte that needs the text check on the way.
            var j = ParseEngine.findSpecial(start, i, n)
            while j < n {
                let b = bytes[j]
                if b == 0x0A || b == 0x0D { break }
                if b != 0x09 { fields.pointee.checkText = true }
                j = ParseEngine.findSpecial(start, j + 1, n)
            }
            let contentEnd = j
            var segmentEnd = n
            var lineEnds = false
            if j < n {
                lineEnds = true
                if bytes[j] == 0x0D {
                    if j + 1 < n { segmentEnd = bytes[j + 1] == 0x0A ? j + 2 : j + 1 } else { segmentEnd = j + 1; pendingCR = true }
                } else {
                    segmentEnd = j + 1
                }
            }
            if contentEnd > i {
                lineHasContent = true
                if !inRecord {
                    inRecord = true
                    recordLine = line
                    recordStart = base + i
                }
            }
            if inRecord && lineEnds && recordStart == base + i && fastPath && contentEnd - i <= fastPathMaxLine
                && parser.pstate == WAYMARK_CSV_ROW_NOT_BEGUN && !skipping
                && memchr(start + i, Int32(quote), contentEnd - i) == nil {
                try splitQuoteFree(start, i, contentEnd)
            } else if inRecord {
                try feed(bytes, i, segmentEnd)
            } else if lineEnds && !lineHasContent {
                blankLines += 1
            }
            if recordDone {
                recordEnd = base + contentEnd
                try deliver(body)
            }
            if lineEnds {
                line += 1
                physicalLines += 1
                lineHasContent = false
            }
            i = segmentEnd
        }
    }

    /// The index of the first byte in [from, n) below 0x20 or from 0x7F up (a
    /// line end, a tab, a control character or non-ASCII), or n. Eight bytes at
    /// a time: the test can flag a clean word (a carry), never miss a byte.
    @inline(__always)
    static func findSpecial(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
        var j = from
        while j + 8 <= n {
            let w = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
            let low = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
            let high = (w | (w &+ 0x0101_0101_0101_0101)) & 0x8080_8080_8080_8080
            if low | high != 0 { break }
            j += 8
        }
        while j < n {
            let b = p[j]
            if b < 0x20 || b >= 0x7F { return j }
            j += 1
        }
        return n
    }

    /// The fast path: one whole record on one line, [from, to) without its
    /// terminator, with no quote character. With no quotes, and the no-trim
    /// space function Waymark gives libcsv, libcsv's fields are exactly the
    /// bytes between delimiters (an empty field between two delimiters or at
    /// either end), which this delivers through the same sink.
    ///
    /// Delimiters are found eight bytes at a time (fields are short: a call
    /// to memchr per field cost more than the search). The test is exact per
    /// byte: a byte of `x` (the word XOR the delimiter in every byte) is zero
    /// exactly when its top bit comes out set in `m`, with no carry between
    /// bytes.
    @inline(__always)
    mutating func splitQuoteFree(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) throws {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let d = UInt64(delimiter) &* 0x0101_0101_0101_0101
        var fieldStart = from
        var j = from
        while j + 8 <= to {
            let x = UInt64(littleEndian: UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)) ^ d
            var m = ~(((x & low7) &+ low7) | x | low7)
            while m != 0 {
                let k = j + m.trailingZeroBitCount >> 3
                fields.pointee.add(p + fieldStart, k - fieldStart)
                fieldStart = k + 1
                m &= m &- 1
            }
            j += 8
        }
        while j < to {
            if p[j] == delimiter {
                fields.pointee.add(p + fieldStart, j - fieldStart)
                fieldStart = j + 1
            }
            j += 1
        }
        fields.pointee.add(p + fieldStart, to - fieldStart)
        if tooManyColumns { throw CSVReadError.tooManyColumns(path: path, line: recordLine, limit: limits.maxColumns) }
        recordDone = true
    }

    /// Feeds bytes[from..<to] to libcsv (or the fallback scanner), in pieces of
    /// at most 16 KiB (and no more than the field limit), so libcsv's buffer
    /// never holds more than the limit plus one piece.
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) throws {
        var i = from
        let pieceMax = max(1, min(limits.maxFieldBytes, 1 << 14))
        while i < to {
            if skipping {
                i = skip(bytes, i, to)
                continue
            }
            let end = min(to, i + pieceMax)
            let base = UnsafeRawPointer(bytes.baseAddress! + i)
            let used = csv_parse(&parser, base, end - i, fieldCallback, recordCallback, UnsafeMutableRawPointer(fields))
            if tooManyColumns { throw CSVReadError.tooManyColumns(path: path, line: recordLine, limit: limits.maxColumns) }
            if used < end - i && parser.status == CSV_EPARSE {
                // Strict libcsv refused the byte at i + used: a stray or unescaped quote.
                // A field already over the limit is reported as too long, whatever the
                // pieces were, so the fault never depends on where a chunk ended.
                parser.status = 0
                startSkipping(quoted: false, afterQuote: false,
                              kind: fieldLength > limits.maxFieldBytes ? .fieldTooLong : .malformedQuote)
                i += used
                continue
            }
            i = end
            trackQuote()
            if fieldLength > limits.maxFieldBytes
                && (parser.pstate == WAYMARK_CSV_FIELD_BEGUN || parser.pstate == WAYMARK_CSV_FIELD_MIGHT_HAVE_ENDED) {
                startSkipping(quoted: parser.quoted != 0, afterQuote: parser.pstate == WAYMARK_CSV_FIELD_MIGHT_HAVE_ENDED,
                              kind: .fieldTooLong)
            }
        }
    }

    /// The bytes of the field libcsv holds so far. After a quote inside a
    /// quoted field, libcsv keeps that quote (and any spaces after it) in its
    /// buffer until it knows whether the field ended: they are not content, so
    /// a quoted field of exactly the limit is not too long wherever a piece ends.
    var fieldLength: Int {
        parser.pstate == WAYMARK_CSV_FIELD_MIGHT_HAVE_ENDED ? max(0, parser.entry_pos - 1 - parser.spaces) : parser.entry_pos
    }

    private mutating func trackQuote() {
        // A quote may close and a new one open within one piece: a different
        // field (or record) still open means the new one opened on this line.
        // After a quote inside a quoted field (which may close it, or be the
        // first of a doubled quote) the field still counts as open, so a
        // doubled quote split across pieces does not look like a new opening.
        let open = parser.quoted != 0
            && (parser.pstate == WAYMARK_CSV_FIELD_BEGUN || parser.pstate == WAYMARK_CSV_FIELD_MIGHT_HAVE_ENDED)
        if open && (!quoteOpen || fieldEnds.count != quoteOpenField || records != quoteOpenRecord) {
            quoteOpenLine = line
            quoteOpenField = fieldEnds.count
            quoteOpenRecord = records
        }
        quoteOpen = open
    }

    private mutating func startSkipping(quoted: Bool, afterQuote: Bool, kind: CSVFieldFault.Kind) {
        let column = fieldEnds.count
        faults.append(CSVFieldFault(kind, column: column))
        if let inspector {
            // What libcsv holds of the field so far, then (in `skip`) the rest.
            inspector.begin(column: column)
            if parser.entry_pos > 0, let held = parser.entry_buf {
                inspector.inspect(UnsafeBufferPointer(start: held, count: parser.entry_pos))
            }
        }
        skipping = true
        skipQuoted = quoted
        skipAfterQuote = afterQuote
        parser.entry_pos = 0
    }

    /// The fallback scanner: consumes bytes of the bad field until it ends, then
    /// hands the parser back to libcsv in the right state. Returns the next index.
    private mutating func skip(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        /// The inspector sees the field's bytes before the field ends.
        func inspect(upTo end: Int) {
            if let inspector, end > from { inspector.inspect(UnsafeBufferPointer(rebasing: bytes[from..<end])) }
        }
        var i = from
        while i < to {
            let c = bytes[i]
            if skipQuoted && !skipAfterQuote {
                if c == quote { skipAfterQuote = true }
                i += 1
                continue
            }
            if skipQuoted && skipAfterQuote && c == quote {
                skipAfterQuote = false   // a doubled quote: still inside
                i += 1
                continue
            }
            if c == delimiter {
                inspect(upTo: i)
                endSkippedField(endsRecord: false)
                return i + 1
            }
            if c == 0x0A || c == 0x0D {
                inspect(upTo: i)
                endSkippedField(endsRecord: true)
                return i   // libcsv, now between records, consumes the terminator
            }
            // Text after a closing quote: malformed, read on as unquoted.
            if skipQuoted { skipQuoted = false; skipAfterQuote = false }
            i += 1
        }
        inspect(upTo: i)
        quoteOpen = skipQuoted && !skipAfterQuote
        return i
    }

    private mutating func endSkippedField(endsRecord: Bool) {
        if let inspector {
            let found = inspector.end()
            if found != 0, let k = fields.pointee.faults.lastIndex(where: { $0.column == fieldEnds.count }) {
                fields.pointee.faults[k].findings |= found
            }
        }
        skipping = false
        skipQuoted = false
        skipAfterQuote = false
        quoteOpen = false
        addPlaceholderField(.fieldTooLong)
        parser.entry_pos = 0
        parser.quoted = 0
        parser.spaces = 0
        parser.pstate = endsRecord ? WAYMARK_CSV_ROW_NOT_BEGUN : WAYMARK_CSV_FIELD_NOT_BEGUN
        if endsRecord { recordDone = true }
    }

    mutating func finish(at end: Int, _ body: (CSVRecord) throws -> Void) throws {
        if lineHasContent { physicalLines += 1 }
        if skipping {
            if skipQuoted && !skipAfterQuote { throw CSVReadError.unterminatedQuote(path: path, line: quoteOpenLine) }
            endSkippedField(endsRecord: true)
            if tooManyColumns { throw CSVReadError.tooManyColumns(path: path, line: recordLine, limit: limits.maxColumns) }
        } else {
            let status = csv_fini(&parser, fieldCallback, recordCallback, UnsafeMutableRawPointer(fields))
            if status != 0 {
                throw CSVReadError.unterminatedQuote(path: path, line: quoteOpen ? quoteOpenLine : recordLine)
            }
            if tooManyColumns { throw CSVReadError.tooManyColumns(path: path, line: recordLine, limit: limits.maxColumns) }
        }
        if recordDone {
            recordEnd = end
            try deliver(body)
        }
    }

    private mutating func deliver(_ body: (CSVRecord) throws -> Void) throws {
        if tooManyColumns { throw CSVReadError.tooManyColumns(path: path, line: recordLine, limit: limits.maxColumns) }
        if fields.pointee.notUTF8Column >= 0 {
            throw CSVReadError.notUTF8(path: path, line: recordLine, column: fields.pointee.notUTF8Column)
        }
        if fields.pointee.looksUTF8 {
            fields.pointee.looksUTF8 = false
            if utf8LookingLine == nil { utf8LookingLine = recordLine }
        }
        recordDone = false
        inRecord = false
        records += 1
        let record = CSVRecord(line: recordLine, byteOffset: recordStart, byteCount: recordEnd - recordStart,
                               faults: faults, count: fieldEnds.count,
                               bytes: UnsafePointer(fieldBytes.base), ends: UnsafePointer(fieldEnds.base))
        try body(record)
        fields.pointee.bytes.removeAll()
        fields.pointee.ends.removeAll()
        if !fields.pointee.faults.isEmpty { fields.pointee.faults.removeAll() }
        fields.pointee.checkText = false
    }
}

/// The one place the reader calls read(2).
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}

/// The fields of the record being built, as UTF-8 bytes with their end
/// offsets, and the faults found in them: what libcsv's callbacks write to.
struct FieldSink {
    var bytes = GrowableBuffer<UInt8>(capacity: 4096)
    var ends = GrowableBuffer<Int>(capacity: 64)
    var transcoded: [UInt8] = []
    var faults: [CSVFieldFault] = []
    var recordDone = false
    var tooManyColumns = false
    /// Set when the record's lines hold a byte other than printable ASCII or tab;
    /// clean records skip the per-field text check.
    var checkText = false
    /// The first column of the record that is not valid UTF-8 in a UTF-8 read (-1: none).
    var notUTF8Column = -1
    /// Set when a field of a Windows-1252 read holds a multi-byte UTF-8 sequence.
    var looksUTF8 = false
    let maxFieldBytes: Int
    let maxColumns: Int
    let encoding: TextEncoding
    let inspector: SkippedFieldInspector?

    init(limits: CSVLimits, encoding: TextEncoding, inspector: SkippedFieldInspector?) {
        self.inspector = inspector
        maxFieldBytes = limits.maxFieldBytes
        maxColumns = limits.maxColumns
        self.encoding = encoding
    }

    @inline(__always)
    mutating func add(_ ptr: UnsafeRawPointer?, _ len: Int) {
        let column = ends.count
        if column >= maxColumns { tooManyColumns = true; return }
        if len > maxFieldBytes {
            var found: UInt16 = 0
            if let inspector, let ptr {
                inspector.begin(column: column)
                inspector.inspect(UnsafeBufferPointer(start: ptr.assumingMemoryBound(to: UInt8.self), count: len))
                found = inspector.end()
            }
            faults.append(CSVFieldFault(.fieldTooLong, column: column, findings: found))
        } else if len > 0, let ptr {
            let field = UnsafeBufferPointer(start: ptr.assumingMemoryBound(to: UInt8.self), count: len)
            if !checkText {
                bytes.append(contentsOf: field)
                ends.append(bytes.count)
                return
            }
            switch encoding {
            case .utf8:
                if let kind = TextCheck.checkUTF8(field) {
                    if kind == .invalidEncoding {
                        if notUTF8Column < 0 { notUTF8Column = column }
                    } else {
                        faults.append(CSVFieldFault(kind, column: column))
                    }
                }
                bytes.append(contentsOf: field)
            case .windows1252:
                if !looksUTF8 && TextCheck.holdsUTF8Sequence(field) { looksUTF8 = true }
                transcoded.removeAll(keepingCapacity: true)
                if let kind = TextCheck.transcodeWindows1252(field, into: &transcoded) {
                    faults.append(CSVFieldFault(kind, column: column))
                }
                transcoded.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
            }
        }
        ends.append(bytes.count)
    }

    mutating func addPlaceholder(_ kind: CSVFieldFault.Kind) {
        let column = ends.count
        if column >= maxColumns { tooManyColumns = true; return }
        if !faults.contains(where: { $0.column == column }) { faults.append(CSVFieldFault(kind, column: column)) }
        ends.append(bytes.count)
    }
}

private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { ptr, len, ctx in
    ctx?.assumingMemoryBound(to: FieldSink.self).pointee.add(UnsafeRawPointer(ptr), len)
}

private let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, ctx in
    ctx?.assumingMemoryBound(to: FieldSink.self).pointee.recordDone = true
}
