import Foundation
import WaymarkCSV

/// What `waymark mapping suggest` knows of one CSV file of a foreign export:
/// its dialect, its header and a bounded sample of its values, by column.
///
/// The values are held only to measure their shapes; nothing built from a
/// sample may copy one into a draft except a vocabulary word it maps.
public struct ExportSample: Sendable {
    /// The file's name inside the export folder.
    public let fileName: String
    public let path: String
    public let delimiter: UInt8
    /// UTF-8, or windows-1252 when the file is not valid UTF-8.
    public let encoding: TextEncoding
    public let headers: [String]
    /// The sampled values of each column (a short row gives blanks).
    public let values: [[String]]
    /// Data rows sampled (at most the sampler's row limit).
    public let sampledRows: Int

    public init(fileName: String, path: String, delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8,
                headers: [String], values: [[String]], sampledRows: Int) {
        self.fileName = fileName
        self.path = path
        self.delimiter = delimiter
        self.encoding = encoding
        self.headers = headers
        self.values = values
        self.sampledRows = sampledRows
    }
}

/// Reads an export file's header and its first rows through ``CSVReader``,
/// detecting the delimiter from the header line and the encoding as the
/// reader would meet it (the whole file is checked for UTF-8).
public enum ExportSampler {
    /// Data rows sampled per file.
    public static let defaultRowLimit = 2_000

    private struct SampleFull: Error {}

    public static func sample(path: String, rowLimit: Int = defaultRowLimit) throws -> ExportSample {
        let delimiter = DelimiterSniffer.sniff(headerLine: DelimiterSniffer.firstLine(path: path))
        do {
            return try read(path: path, delimiter: delimiter, encoding: .utf8, rowLimit: rowLimit, wholeFile: true)
        } catch CSVReadError.notUTF8 {
            return try read(path: path, delimiter: delimiter, encoding: .windows1252, rowLimit: rowLimit, wholeFile: false)
        }
    }

    /// One read: collects the header and up to `rowLimit` rows; with
    /// `wholeFile`, reads on to the end so a later invalid byte is found.
    static func read(path: String, delimiter: UInt8, encoding: TextEncoding, rowLimit: Int, wholeFile: Bool) throws -> ExportSample {
        var headers: [String] = []
        var values: [[String]] = []
        var rows = 0
        var seenHeader = false
        let reader = CSVReader(path: path, dialect: CSVDialect(delimiter: delimiter, encoding: encoding))
        do {
            try reader.read { record in
                if !seenHeader {
                    seenHeader = true
                    headers = record.strings
                    values = Array(repeating: [], count: headers.count)
                    return
                }
                guard rows < rowLimit else {
                    if wholeFile { return }
                    throw SampleFull()
                }
                rows += 1
                for c in 0..<headers.count {
                    values[c].append(c < record.count ? record.string(c) : "")
                }
            }
        } catch is SampleFull {}
        let name = (path as NSString).lastPathComponent
        return ExportSample(fileName: name, path: path, delimiter: delimiter, encoding: encoding,
                            headers: headers, values: values, sampledRows: rows)
    }
}
