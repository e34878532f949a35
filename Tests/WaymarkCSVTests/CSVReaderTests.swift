import Foundation
import Testing
@testable import WaymarkCSV

/// A deliberately simple, byte-at-a-time RFC 4180 parser with physical line
/// numbers: the reference the libcsv reader must agree with.
func referenceParse(_ data: [UInt8]) -> (records: [(line: Int, fields: [String])], blank: Int) {
    var records: [(Int, [String])] = []
    var blank = 0
    var fields: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var afterQuote = false
    var started = false
    var line = 1
    var recordLine = 1
    var i = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    func endRecord() {
        fields.append(String(decoding: field, as: UTF8.self))
        records.append((recordLine, fields))
        fields = []; field = []; started = false; afterQuote = false
    }
    while i < data.count {
        let c = data[i]
        let isTerm = c == 0x0A || c == 0x0D
        var termLength = 1
        if c == 0x0D && i + 1 < data.count && data[i + 1] == 0x0A { termLength = 2 }
        if inQuotes {
            if c == 0x22 { inQuotes = false; afterQuote = true }
            else { field.append(contentsOf: data[i..<(i + (isTerm ? termLength : 1))]) }
            if isTerm { line += 1; i += termLength } else { i += 1 }
            continue
        }
        if !started {
            if isTerm { blank += 1; line += 1; i += termLength; continue }
            started = true; recordLine = line
        }
        if c == 0x22 && afterQuote { field.append(0x22); inQuotes = true; afterQuote = false; i += 1; continue }
        if c == 0x22 && field.isEmpty { inQuotes = true; i += 1; continue }
        afterQuote = false
        if c == 0x2C { fields.append(String(decoding: field, as: UTF8.self)); field = []; i += 1; continue }
        if isTerm { endRecord(); line += 1; i += termLength; continue }
        field.append(c); i += 1
    }
    if started { endRecord() }
    return (records, blank)
}

func temporaryFile(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func temporaryFile(_ text: String, name: String = "input.csv") throws -> String {
    try temporaryFile(Array(text.utf8), name: name)
}

let tricky: [String] = [
    "a,b,c\n1,2,3\n",
    "a,b,c\r\n1,2,3\r\n4,5,6",
    "a,b\r1,2\r3,4\r",
    "a,b\n1,2\r\n3,4\r5,6\n",
    "a,b\n\n\n1,2\n\r\n3,4\n\n",
    "a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n",
    "a,b\n\"line one\nline two\",z\n3,4\n",
    "a,b\n\"crlf\r\ninside\",\"cr\ronly\"\n\"\",\"\"\n",
    "\u{FEFF}a,b\n1,2\n",
    "a,b\n,,\n,\n",
    "a,b\n  spaced  , \ttab\t\n",
    "a,b\n\"blank\n\nlines\n\",q\nlast,row",
    "h\n\"é ü 漢字\",\n",
    "a,b\n1,2\n\r\n\r\n",
]

@Suite struct CSVReaderChunkingTests {
    @Test(arguments: [1, 2, 3, 4, 5, 7, 13, 64, 1 << 20])
    func agreesWithReferenceAtEveryChunkSize(chunk: Int) throws {
        for text in tricky {
            let bytes = Array(text.utf8)
            let path = try temporaryFile(bytes)
            let expected = referenceParse(bytes)
            var got: [(Int, [String])] = []
            let summary = try CSVReader(path: path, chunkSize: chunk).read { got.append(($0.line, $0.strings)) }
            #expect(got.count == expected.records.count, "\(text.debugDescription) chunk \(chunk)")
            for (g, e) in zip(got, expected.records) {
                #expect(g.0 == e.line, "line for \(text.debugDescription) chunk \(chunk)")
                #expect(g.1 == e.fields, "fields for \(text.debugDescription) chunk \(chunk)")
            }
            #expect(summary.blankLinesSkipped == expected.blank, "blank lines in \(text.debugDescription)")
        }
    }

    @Test func shuffledRandomInputsAgree() throws {
        var rng = SplitMix(seed: 42)
        let alphabet: [UInt8] = Array("ab,\"\n\r é".utf8)
        for _ in 0..<300 {
            // Random but well-formed: build fields, then quote when needed.
            var text = "h1,h2\n"
            for _ in 0..<Int(rng.next() % 5) {
                let fields = (0..<2).map { _ -> String in
                    let raw = String(decoding: (0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }, as: UTF8.self)
                    let needsQuotes = raw.contains(where: { ",\"\n\r".contains($0) }) || raw.isEmpty
                    return needsQuotes ? "\"" + raw.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : raw
                }
                text += fields.joined(separator: ",") + ["\n", "\r\n", "\r"][Int(rng.next() % 3)]
            }
            let bytes = Array(text.utf8)
            guard bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil else { continue }
            let expected = referenceParse(bytes)
            let path = try temporaryFile(bytes)
            for chunk in [1, 3, 1 << 16] {
                var got: [(Int, [String])] = []
                try CSVReader(path: path, chunkSize: chunk).read { got.append(($0.line, $0.strings)) }
                #expect(got.map(\.0) == expected.records.map(\.line), "\(text.debugDescription)")
                #expect(got.map(\.1) == expected.records.map(\.fields), "\(text.debugDescription)")
            }
        }
    }
}

@Suite struct CSVReaderFaultTests {
    @Test func byteOffsetsCoverTheRecordWithoutItsTerminator() throws {
        let text = "a,b\r\n\"x\ny\",2\r\n3,4"
        let path = try temporaryFile(text)
        let bytes = Array(text.utf8)
        for chunk in [1, 2, 100] {
            var spans: [String] = []
            try CSVReader(path: path, chunkSize: chunk).read {
                spans.append(String(decoding: bytes[$0.byteOffset..<($0.byteOffset + $0.byteCount)], as: UTF8.self))
            }
            #expect(spans == ["a,b", "\"x\ny\",2", "3,4"])
        }
    }

    @Test func utf16IsRefusedWithAHint() throws {
        let path = try temporaryFile([0xFF, 0xFE, 0x61, 0x00, 0x2C, 0x00])
        #expect(throws: CSVReadError.unsupportedEncoding(path: path, encoding: .utf16LE, byteOrderMark: true)) { try CSVReader(path: path).read { _ in } }
        let noBOM = try temporaryFile([0x61, 0x00, 0x2C, 0x00, 0x62, 0x00])
        #expect(throws: CSVReadError.unsupportedEncoding(path: noBOM, encoding: .utf16LE, byteOrderMark: false)) { try CSVReader(path: noBOM).read { _ in } }
        let text = CSVReadError.unsupportedEncoding(path: "x.csv", encoding: .utf16LE, byteOrderMark: true).description
        #expect(text.contains("CSV UTF-8") && text.contains("UTF-16 (little-endian)") && text.contains("Unicode Text"))
    }

    /// Byte-order marks are named as what they are (issue #11: UTF-32 was called UTF-16).
    @Test(arguments: [
        ([0xFF, 0xFE, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00], ForeignEncoding.utf32LE, true),
        ([0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, 0x61], .utf32BE, true),
        ([0xFE, 0xFF, 0x00, 0x61], .utf16BE, true),
        ([0x00, 0x61, 0x00, 0x2C], .utf16BE, false),
        ([0x61, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00], .utf32LE, false),
        ([0x2B, 0x2F, 0x76, 0x38, 0x61], .utf7, true),
        ([0xF7, 0x64, 0x4C, 0x61], .utf1, true),
        ([0xDD, 0x73, 0x66, 0x73, 0x61], .utfEBCDIC, true),
        ([0x0E, 0xFE, 0xFF, 0x61], .scsu, true),
        ([0xFB, 0xEE, 0x28, 0x61], .bocu1, true),
        ([0x84, 0x31, 0x95, 0x33, 0x61], .gb18030, true),
    ] as [([UInt8], ForeignEncoding, Bool)])
    func byteOrderMarksAreNamed(_ bytes: [UInt8], _ encoding: ForeignEncoding, _ mark: Bool) throws {
        let path = try temporaryFile(bytes)
        #expect(throws: CSVReadError.unsupportedEncoding(path: path, encoding: encoding, byteOrderMark: mark)) {
            try CSVReader(path: path).read { _ in }
        }
        #expect(CSVReadError.unsupportedEncoding(path: path, encoding: encoding, byteOrderMark: mark).description.contains(encoding.name))
    }

    /// "+/v" not followed by 8, 9, + or / is text, not UTF-7's mark.
    @Test func plainTextStartingLikeUTF7IsRead() throws {
        #expect(try CSVReader.readAll(path: try temporaryFile("+/vx\n1\n")).map(\.fields) == [["+/vx"], ["1"]])
    }

    /// A windows-1252 byte in a file read as UTF-8 stops the read at its line and
    /// column (issue #11: it was quarantined; the contract says the run stops).
    @Test(arguments: [1, 3, 1 << 20])
    func aWindows1252ByteInAUTF8FileStopsTheRead(chunk: Int) throws {
        let bytes: [UInt8] = Array("a,b\n1,2\n".utf8) + Array("ok,caf".utf8) + [0xE9] + Array("\n3,4\n".utf8)
        let path = try temporaryFile(bytes)
        #expect(throws: CSVReadError.notUTF8(path: path, line: 3, column: 1)) {
            try CSVReader(path: path, chunkSize: chunk).read { _ in }
        }
        let text = CSVReadError.notUTF8(path: path, line: 3, column: 1).description
        #expect(text.contains(":3: column 2") && text.contains("encoding: windows-1252"))
    }

    /// A UTF-8 file declared windows-1252 is read (as declared) and its first
    /// UTF-8-looking line is noted, for a warning.
    @Test func aUTF8FileDeclaredWindows1252NamesItsFirstUTF8Line() throws {
        let dialect = CSVDialect(encoding: .windows1252)
        let plain = try temporaryFile("a,b\n1,2\n3,caf\u{E9}\n5,na\u{EF}ve\n")
        #expect(try CSVReader(path: plain, dialect: dialect).read { _ in }.utf8LookingLine == 3)
        let marked = try temporaryFile([0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8))
        #expect(try CSVReader(path: marked, dialect: dialect).read { _ in }.utf8LookingLine == 1)
        let real1252 = try temporaryFile(Array("a,b\n1,caf".utf8) + [0xE9, 0x0A])
        #expect(try CSVReader(path: real1252, dialect: dialect).read { _ in }.utf8LookingLine == nil)
    }

    @Test(arguments: [1, 4, 1 << 20])
    func unterminatedQuoteNamesTheLineItOpenedOn(chunk: Int) throws {
        let path = try temporaryFile("a,b\n1,2\n3,\"never\ncloses\n5,6\n")
        #expect(throws: CSVReadError.unterminatedQuote(path: path, line: 3)) {
            try CSVReader(path: path, chunkSize: chunk).read { _ in }
        }
        // The quote opens on line 4, inside a record that started on line 3.
        let later = try temporaryFile("a,b\n1,2\n\"x\ny\",\"open\nmore")
        #expect(throws: CSVReadError.unterminatedQuote(path: later, line: 4)) {
            try CSVReader(path: later, chunkSize: chunk).read { _ in }
        }
    }

    @Test func unterminatedQuoteKeepsMemoryBoundedByTheFieldLimit() throws {
        var text = "a,b\n1,\"opens"
        text += String(repeating: "x\n", count: 50_000)
        let path = try temporaryFile(text)
        #expect(throws: CSVReadError.unterminatedQuote(path: path, line: 2)) {
            try CSVReader(path: path, limits: CSVLimits(maxFieldBytes: 64), chunkSize: 4096).read { _ in }
        }
    }

    @Test(arguments: [1, 5, 1 << 20])
    func malformedQuotingIsARowFaultAndReadingGoesOn(chunk: Int) throws {
        let path = try temporaryFile("a,b,c\n1,ab\"c,3\n\"x\"y,2,3\n4,5,6\n")
        let rows = try CSVReader.readAll(path: path, chunkSize: chunk)
        #expect(rows.map(\.line) == [1, 2, 3, 4])
        #expect(rows[1].faults == [CSVFieldFault(.malformedQuote, column: 1)])
        #expect(rows[1].fields.count == 3 && rows[1].fields[2] == "3")
        #expect(rows[2].faults == [CSVFieldFault(.malformedQuote, column: 0)])
        #expect(rows[3].fields == ["4", "5", "6"] && rows[3].faults.isEmpty)
    }

    @Test(arguments: [1, 7, 1 << 20])
    func overLongFieldsAreFaultsNotCrashes(chunk: Int) throws {
        let long = String(repeating: "z", count: 100)
        let path = try temporaryFile("a,b\n\(long),1\n\"\(long)\n\(long)\",2\nok,3\n2,\"\(long)\"\n")
        let rows = try CSVReader.readAll(path: path, limits: CSVLimits(maxFieldBytes: 10), chunkSize: chunk)
        #expect(rows.map(\.line) == [1, 2, 3, 5, 6])
        #expect(rows[1].faults == [CSVFieldFault(.fieldTooLong, column: 0)])
        #expect(rows[1].fields == ["", "1"])
        #expect(rows[2].faults == [CSVFieldFault(.fieldTooLong, column: 0)])
        #expect(rows[2].fields == ["", "2"])
        #expect(rows[3].fields == ["ok", "3"] && rows[3].faults.isEmpty)
        #expect(rows[4].faults == [CSVFieldFault(.fieldTooLong, column: 1)])
    }

    @Test func tooManyColumnsStopsTheRead() throws {
        let path = try temporaryFile("a,b\n1,2\n1,2,3,4,5\n")
        #expect(throws: CSVReadError.tooManyColumns(path: path, line: 3, limit: 4)) {
            try CSVReader(path: path, limits: CSVLimits(maxColumns: 4)).read { _ in }
        }
    }

    @Test func invalidTextIsReportedPerField() throws {
        let bytes: [UInt8] = Array("a,b,c,d\n".utf8) + [0x6F, 0x6B, 0x2C, 0x7F, 0x28, 0x2C, 0x61, 0x00, 0x62, 0x2C] + Array("x\u{200B}y\n".utf8)
        let rows = try CSVReader.readAll(path: try temporaryFile(bytes))
        #expect(rows[1].faults == [
            CSVFieldFault(.forbiddenCharacter, column: 1),
            CSVFieldFault(.forbiddenCharacter, column: 2),
            CSVFieldFault(.forbiddenCharacter, column: 3),
        ])
        let tab = try CSVReader.readAll(path: try temporaryFile("a\n\"x\ty\"\n"))
        #expect(tab[1].faults.isEmpty)
    }

    @Test func windows1252IsTranscoded() throws {
        let bytes: [UInt8] = Array("name\n".utf8) + [0x80, 0x20, 0xE9, 0x92, 0x0A, 0x81, 0x0A]
        let rows = try CSVReader.readAll(path: try temporaryFile(bytes), dialect: CSVDialect(encoding: .windows1252))
        #expect(rows[1].fields == ["€ é’"])
        #expect(rows[1].faults.isEmpty)
        #expect(rows[2].faults == [CSVFieldFault(.invalidEncoding, column: 0)])
    }

    @Test func otherDelimiters() throws {
        let rows = try CSVReader.readAll(path: try temporaryFile("a;b\n\"1;2\";3\n"), dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
        #expect(rows[1].fields == ["1;2", "3"])
    }

    @Test func emptyFileHasNoHeader() throws {
        let path = try temporaryFile("\n\n")
        #expect(throws: CSVReadError.noHeader(path: path)) { try CSVReader(path: path).read { _ in } }
        let missing = "/nonexistent/waymark.csv"
        #expect(throws: CSVReadError.cannotRead(path: missing, errno: 2)) { try CSVReader(path: missing).read { _ in } }
    }

    @Test func blankRowsOfDelimitersAreRecords() throws {
        var blanks: [Bool] = []
        try CSVReader(path: try temporaryFile("a,b\n,\n1,\n")).read { blanks.append($0.isBlank) }
        #expect(blanks == [false, true, false])
    }
}

/// A small deterministic generator for the shuffled tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Reader faults the fuzzer found (docs/fuzzing.md); each must read the same at every chunk size.
@Suite struct CSVReaderFuzzFindingsTests {
    // Found by the fuzzer (docs/fuzzing.md); each must read the same at every chunk size.

    /// A doubled quote split across chunks is not a new opening quote.
    @Test(arguments: [1, 2, 3, 1 << 20])
    func anUnterminatedQuoteAfterADoubledQuoteNamesItsOpeningLine(chunk: Int) throws {
        let path = try temporaryFile("a\n\"x\n\"\",4\n")
        #expect(throws: CSVReadError.unterminatedQuote(path: path, line: 2)) { try CSVReader(path: path, chunkSize: chunk).read { _ in } }
    }

    /// A field over the limit that then meets a stray quote is too long, whatever the chunking.
    @Test(arguments: [1, 2, 3, 1 << 20])
    func aLongFieldWithAStrayQuoteIsTooLongAtEveryChunkSize(chunk: Int) throws {
        let rows = try CSVReader.readAll(path: try temporaryFile("h\nabc\"d\nok\n"), limits: CSVLimits(maxFieldBytes: 2), chunkSize: chunk)
        #expect(rows[1].faults == [CSVFieldFault(.fieldTooLong, column: 0)])
        #expect(rows[2].fields == ["ok"])
    }

    /// Too many columns is found even when the file ends inside a skipped field.
    @Test(arguments: [1, 64])
    func tooManyColumnsWhenTheFileEndsInsideASkippedField(chunk: Int) throws {
        let path = try temporaryFile("a,b\"c")
        #expect(throws: CSVReadError.tooManyColumns(path: path, line: 1, limit: 1)) {
            try CSVReader(path: path, limits: CSVLimits(maxColumns: 1), chunkSize: chunk).read { _ in }
        }
    }

    /// A quoted field of exactly the limit is not too long, wherever a chunk ends.
    @Test(arguments: [1, 2, 7, 8, 1 << 20])
    func aQuotedFieldOfExactlyTheLimitIsNotTooLong(chunk: Int) throws {
        let rows = try CSVReader.readAll(path: try temporaryFile("\"abcde\",x\n"), limits: CSVLimits(maxFieldBytes: 5), chunkSize: chunk)
        #expect(rows[0].fields == ["abcde", "x"] && rows[0].faults.isEmpty)
    }
}
