/// A problem that stops reading a file altogether.
///
/// Each case names the file and, where there is one, the physical line, and its
/// ``description`` says what the user can do. No field value is ever included.
public enum CSVReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read (`errno` from the system call).
    case cannotRead(path: String, errno: Int32)
    /// The file is UTF-16 ("Unicode Text" in Excel), which the reader refuses.
    case utf16(path: String)
    /// A quoted field opened on `line` and never closed before the end of the file.
    case unterminatedQuote(path: String, line: Int)
    /// A record starting on `line` has more than `limit` fields.
    case tooManyColumns(path: String, line: Int, limit: Int)
    /// The file has no header row (it is empty or holds only blank lines).
    case noHeader(path: String)

    public var path: String {
        switch self {
        case .cannotRead(let p, _), .utf16(let p), .unterminatedQuote(let p, _),
             .tooManyColumns(let p, _, _), .noHeader(let p):
            return p
        }
    }

    /// The same error with its line moved on by `offset` lines: for a part of
    /// a file read from a split point, whose lines count from 1 at the split.
    public func shiftingLines(by offset: Int) -> CSVReadError {
        switch self {
        case .unterminatedQuote(let p, let line): return .unterminatedQuote(path: p, line: line + offset)
        case .tooManyColumns(let p, let line, let limit): return .tooManyColumns(path: p, line: line + offset, limit: limit)
        default: return self
        }
    }

    public var description: String {
        switch self {
        case .cannotRead(let path, let code):
            return "\(path): cannot read the file (\(SystemError.describe(code))). Check the path in the pipeline file and that the file is readable."
        case .utf16(let path):
            return "\(path):1: the file is UTF-16 (Excel's \"Unicode Text\"). Re-export it as \"CSV UTF-8 (Comma delimited)\", or declare `encoding: windows-1252` for Excel's plain \"CSV (Comma delimited)\"."
        case .unterminatedQuote(let path, let line):
            return "\(path):\(line): a quoted field opens on this line and never closes. Find the unmatched double quote on line \(line) and double it (\"\") or close the field, then run again."
        case .tooManyColumns(let path, let line, let limit):
            return "\(path):\(line): the record has more than \(limit) columns. Check the delimiter declared for this file, or raise `limits.max_columns` in the pipeline file."
        case .noHeader(let path):
            return "\(path):1: the file has no header row. Export it again with column names on the first line."
        }
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

    public init(_ kind: Kind, column: Int) {
        self.kind = kind
        self.column = column
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
