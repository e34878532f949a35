/// A problem that stops reading a file altogether.
///
/// Each case names the file and, where there is one, the physical line, and its
/// ``description`` says what the user can do. No field value is ever included.
public enum CSVReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read (`errno` from the system call).
    case cannotRead(path: String, errno: Int32)
    /// The file is in an encoding the reader refuses (UTF-16, UTF-32 and the
    /// rest of ``ForeignEncoding``), recognised by its byte-order mark or its
    /// pattern of zero bytes.
    case unsupportedEncoding(path: String, encoding: ForeignEncoding, byteOrderMark: Bool)
    /// A field on `line` is not valid UTF-8 in a file read as UTF-8: the file is
    /// in another encoding the mapping does not declare.
    case notUTF8(path: String, line: Int, column: Int)
    /// A quoted field opened on `line` and never closed before the end of the file.
    case unterminatedQuote(path: String, line: Int)
    /// A record starting on `line` has more than `limit` fields.
    case tooManyColumns(path: String, line: Int, limit: Int)
    /// The file has no header row (it is empty or holds only blank lines).
    case noHeader(path: String)

    public var path: String {
        switch self {
        case .cannotRead(let p, _), .unsupportedEncoding(let p, _, _), .unterminatedQuote(let p, _),
             .tooManyColumns(let p, _, _), .noHeader(let p), .notUTF8(let p, _, _):
            return p
        }
    }

    /// The same error with its line moved on by `offset` lines: for a part of
    /// a file read from a split point, whose lines count from 1 at the split.
    public func shiftingLines(by offset: Int) -> CSVReadError {
        switch self {
        case .unterminatedQuote(let p, let line): return .unterminatedQuote(path: p, line: line + offset)
        case .tooManyColumns(let p, let line, let limit): return .tooManyColumns(path: p, line: line + offset, limit: limit)
        case .notUTF8(let p, let line, let column): return .notUTF8(path: p, line: line + offset, column: column)
        default: return self
        }
    }

    public var description: String {
        switch self {
        case .cannotRead(let path, let code):
            return "\(path): cannot read the file (\(SystemError.describe(code))). Check the path in the pipeline file and that the file is readable."
        case .unsupportedEncoding(let path, let encoding, let mark):
            let how = mark ? "its byte-order mark says" : "its pattern of zero bytes says"
            let excel = encoding.isExcelUnicodeText ? " (Excel's \"Unicode Text\")" : ""
            return "\(path):1: the file is \(encoding.name)\(excel), \(how) so; Waymark reads UTF-8 and windows-1252 only. Re-export it as \"CSV UTF-8 (Comma delimited)\", or declare `encoding: windows-1252` for Excel's plain \"CSV (Comma delimited)\". Nothing was written."
        case .notUTF8(let path, let line, let column):
            return "\(path):\(line): column \(column + 1) is not valid UTF-8 (value not shown), so the file is not in the encoding the pipeline file declares for it (UTF-8 unless it says otherwise). Excel's plain \"CSV (Comma delimited)\" on Windows writes windows-1252: declare `encoding: windows-1252` for this file in the pipeline file, or re-export it as \"CSV UTF-8 (Comma delimited)\". Nothing was written."
        case .unterminatedQuote(let path, let line):
            return "\(path):\(line): a quoted field opens on this line and never closes. Find the unmatched double quote on line \(line) and double it (\"\") or close the field, then run again."
        case .tooManyColumns(let path, let line, let limit):
            return "\(path):\(line): the record has more than \(limit) columns. Check the delimiter declared for this file, or raise `limits.max_columns` in the pipeline file."
        case .noHeader(let path):
            return "\(path):1: the file has no header row. Export it again with column names on the first line."
        }
    }
}

/// An encoding the reader recognises in order to refuse it by name.
public enum ForeignEncoding: String, Sendable, CaseIterable {
    case utf16LE, utf16BE, utf32LE, utf32BE, utf7, utf1, utfEBCDIC, scsu, bocu1, gb18030

    /// The encoding's usual name.
    public var name: String {
        switch self {
        case .utf16LE: return "UTF-16 (little-endian)"
        case .utf16BE: return "UTF-16 (big-endian)"
        case .utf32LE: return "UTF-32 (little-endian)"
        case .utf32BE: return "UTF-32 (big-endian)"
        case .utf7: return "UTF-7"
        case .utf1: return "UTF-1"
        case .utfEBCDIC: return "UTF-EBCDIC"
        case .scsu: return "SCSU (Standard Compression Scheme for Unicode)"
        case .bocu1: return "BOCU-1"
        case .gb18030: return "GB 18030"
        }
    }

    /// Excel's "Unicode Text" is UTF-16 little-endian.
    public var isExcelUnicodeText: Bool { self == .utf16LE }

    /// The encoding a file's first bytes show, with whether a byte-order mark
    /// showed it; nil for UTF-8 (with or without its mark) and single-byte text.
    /// Marks are tested longest first (UTF-32 LE's begins with UTF-16 LE's).
    public static func detect(_ head: [UInt8]) -> (ForeignEncoding, byteOrderMark: Bool)? {
        func starts(_ p: [UInt8]) -> Bool { head.count >= p.count && Array(head[0..<p.count]) == p }
        let marks: [([UInt8], ForeignEncoding)] = [
            ([0xFF, 0xFE, 0x00, 0x00], .utf32LE), ([0x00, 0x00, 0xFE, 0xFF], .utf32BE),
            ([0xDD, 0x73, 0x66, 0x73], .utfEBCDIC), ([0x84, 0x31, 0x95, 0x33], .gb18030),
            ([0xF7, 0x64, 0x4C], .utf1), ([0x0E, 0xFE, 0xFF], .scsu), ([0xFB, 0xEE, 0x28], .bocu1),
            ([0x2B, 0x2F, 0x76], .utf7), ([0xFF, 0xFE], .utf16LE), ([0xFE, 0xFF], .utf16BE),
        ]
        for (mark, encoding) in marks where starts(mark) {
            // UTF-7's mark is "+/v" followed by 8, 9, + or /: anything else is plain text.
            if encoding == .utf7 && !(head.count >= 4 && [0x38, 0x39, 0x2B, 0x2F].contains(head[3])) { continue }
            return (encoding, true)
        }
        // No mark: ASCII text in UTF-16 or UTF-32 has a zero byte beside each character.
        if head.count >= 4 {
            if head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] != 0 { return (.utf32BE, false) }
            if head[0] != 0 && head[1] == 0 && head[2] == 0 && head[3] == 0 { return (.utf32LE, false) }
        }
        if head.count >= 2 {
            if head[0] == 0 && head[1] != 0 { return (.utf16BE, false) }
            if head[0] != 0 && head[1] == 0 { return (.utf16LE, false) }
        }
        return nil
    }
}

/// A fault in one field of one record: the record is still delivered, and the
/// caller quarantines it.
public struct CSVFieldFault: Sendable, Equatable {
    /// What is wrong with the field.
    public enum Kind: String, Sendable {
        /// Longer than ``CSVLimits/maxFieldBytes``; the field is delivered empty.
        case fieldTooLong = "field_too_long"
        /// A quote inside an unquoted field, or text after a closing quote.
        case malformedQuote = "malformed_quote"
        /// Bytes that are not valid in the declared encoding.
        case invalidEncoding = "invalid_encoding"
        /// NUL, a control character other than tab (line breaks are allowed inside
        /// quotes), or an invisible direction or zero-width character.
        case forbiddenCharacter = "forbidden_character"
    }
    public var kind: Kind
    /// Zero-based index of the field in its record.
    public var column: Int
    /// For a field the reader skipped (too long, or malformed): what the
    /// reader's ``SkippedFieldInspector`` found in its bytes (0: nothing).
    public var findings: UInt16

    public init(_ kind: Kind, column: Int, findings: UInt16 = 0) {
        self.kind = kind
        self.column = column
        self.findings = findings
    }
}

enum SystemError {
    static func describe(_ code: Int32) -> String {
        switch code {
        case 2: return "no such file"
        case 13: return "permission denied"
        case 21: return "it is a folder"
        default: return "system error \(code)"
        }
    }
}

/// Looks at the bytes of a field the reader does not deliver (one over the
/// length limit, or the rest of one with a malformed quote), as they stream
/// past, so a check that must see every byte (the identifier guard) can. The
/// reader never holds the whole field: ``inspect(_:)`` sees it in pieces.
public protocol SkippedFieldInspector: AnyObject {
    /// A skipped field of `column` starts.
    func begin(column: Int)
    /// The next bytes of the field, raw (quotes included).
    func inspect(_ bytes: UnsafeBufferPointer<UInt8>)
    /// The field has ended: returns what was found, as bits the caller
    /// defines (carried on the fault as ``CSVFieldFault/findings``).
    func end() -> UInt16
}
