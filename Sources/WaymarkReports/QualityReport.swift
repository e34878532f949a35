import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// The data-quality findings of a run: one row per input file and reason,
/// for `quality.csv`, the terminal summary and the report.
public struct QualityFinding: Sendable, Equatable {
    public var file: String
    /// A ``QuarantineReason`` code, or `blank_line_skipped` / `unknown_column` / `not_scored`.
    public var reason: String
    /// Rows (or lines, or columns) affected.
    public var count: Int
    /// The first few lines affected, in order.
    public var firstLines: [Int]
    /// Source column names involved, in order of first appearance.
    public var columns: [String]
    public var explanation: String
}

/// Builds and writes the data-quality findings.
public enum QualityReport {
    public static let header = ["file", "reason", "rows", "first_lines", "columns", "explanation"]

    /// Findings in file order, then by count (largest first), then reason.
    public static func findings(_ files: [FileReport], firstLines: Int = 5) -> [QualityFinding] {
        var out: [QualityFinding] = []
        for report in files {
            let name = lastPathComponent(report.path)
            var byReason: [QuarantineReason: (count: Int, lines: [Int], columns: [String])] = [:]
            for row in report.quarantine {
                var seen = Set<QuarantineReason>()
                for p in row.problems {
                    var entry = byReason[p.reason] ?? (0, [], [])
                    if !seen.contains(p.reason) {
                        entry.count += 1
                        if entry.lines.count < firstLines { entry.lines.append(row.line) }
                        seen.insert(p.reason)
                    }
                    if let c = report.columnName(p.column), !entry.columns.contains(c) { entry.columns.append(c) }
                    byReason[p.reason] = entry
                }
            }
            let sorted = byReason.sorted { a, b in a.value.count != b.value.count ? a.value.count > b.value.count : a.key < b.key }
            for (reason, e) in sorted {
                out.append(QualityFinding(file: name, reason: reason.rawValue, count: e.count, firstLines: e.lines,
                                          columns: e.columns, explanation: reason.explanation))
            }
            if report.rowsNotScored > 0 {
                out.append(QualityFinding(file: name, reason: "not_scored", count: report.rowsNotScored,
                                          firstLines: Array(report.notScoredLines.prefix(firstLines)), columns: [],
                                          explanation: "scores absent for a reason the pipeline file lists (missing_values): counted, not quarantined, not points of a trajectory"))
            }
            if report.blankLinesSkipped > 0 {
                out.append(QualityFinding(file: name, reason: "blank_line_skipped", count: report.blankLinesSkipped,
                                          firstLines: [], columns: [], explanation: "zero-length lines, which are not rows; nothing was lost"))
            }
            if !report.unknownColumns.isEmpty {
                out.append(QualityFinding(file: name, reason: "unknown_column", count: report.unknownColumns.count,
                                          firstLines: [1], columns: report.unknownColumns,
                                          explanation: "columns outside the canonical schema, ignored; map them in the pipeline file if they are canonical under another name"))
            }
            if !report.droppedColumns.isEmpty {
                out.append(QualityFinding(file: name, reason: "dropped_column", count: report.droppedColumns.count,
                                          firstLines: [1], columns: report.droppedColumns.map { "column \($0 + 1)" },
                                          explanation: "columns the pipeline file drops: never read, checked or written (named by position only)"))
            }
        }
        return out
    }

    public static func write(_ findings: [QualityFinding], to path: String) throws {
        let writer = try CSVWriter(path: path)
        try writer.write(header: header)
        for f in findings {
            try writer.write([.text(f.file), .text(f.reason), .integer(f.count),
                              .text(f.firstLines.map(String.init).joined(separator: " ")),
                              .text(f.columns.joined(separator: ";")), .text(f.explanation)])
        }
        try writer.close()
    }
}
