import Foundation
import WaymarkCSV
import WaymarkCore
import WaymarkIngest

/// A canonical file read whole, for the layout rewriters: its header and its
/// rows as strings (the synthetic exports are small).
struct CanonicalRows {
    var header: [String]
    var rows: [[String]]

    /// Reads `folder/<file>.csv`, or nil when it is absent.
    init?(_ folder: String, _ file: InputFile) throws {
        let path = joinPath(folder, file.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let records = try CSVReader.readAll(path: path)
        header = records.first?.fields ?? []
        rows = records.dropFirst().map(\.fields)
    }

    /// The value of `column` in `row` ("" when the file lacks it).
    func value(_ row: [String], _ column: String) -> String {
        guard let i = header.firstIndex(of: column), i < row.count else { return "" }
        return row[i]
    }

    /// A CSV line: fields quoted only when they must be (RFC 4180).
    static func line(_ fields: [String]) -> String {
        fields.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
            .joined(separator: ",") + "\r\n"
    }

    /// `2026-01-09` -> `09/01/2026`; anything else unchanged.
    static func ukDate(_ value: String) -> String {
        let p = value.split(separator: "-", omittingEmptySubsequences: false)
        guard value.count == 10, p.count == 3, p[0].count == 4, p.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return value }
        return "\(p[2])/\(p[1])/\(p[0])"
    }

    /// `09/01/2026` -> `2026-01-09`; anything else unchanged.
    static func isoFromUK(_ value: String) -> String {
        let p = value.split(separator: "/", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 2, p[1].count == 2, p[2].count == 4 else { return value }
        return "\(p[2])-\(p[1])-\(p[0])"
    }

    /// Writes `text` to `folder/name`.
    static func write(_ text: String, _ folder: String, _ name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: joinPath(folder, name)))
    }

    /// Copies a canonical file unchanged, or with every ISO date written `DD/MM/YYYY`.
    static func copy(_ folder: String, _ file: InputFile, to destination: String, ukDates: Bool) throws {
        guard let t = try CanonicalRows(folder, file) else { return }
        var text = line(t.header)
        for row in t.rows { text += line(ukDates ? row.map(ukDate) : row) }
        try write(text, destination, file.fileName)
    }
}
