import Foundation
import Testing
import WaymarkTestSupport
import WaymarkPipeline
import WaymarkCore
import WaymarkIndicators
@testable import WaymarkReports

/// indicators.xlsx (issue #14, item 8): the libxlsxwriter wrapper's bytes and
/// errors, the column widths, and the whole workbook of a demo run read back
/// with openpyxl by Tests/oracle/workbook.py and compared with the CSVs.
@Suite struct WorkbookTests {
    /// A one-sheet workbook with a header, text, numbers and a date.
    static func small(at path: String, created: Day) throws {
        let book = try XLSXWorkbook(path: path, created: created, title: "test")
        let sheet = try book.addSheet("Sheet")
        try sheet.writeHeader(["a", "b", "c"], row: 0)
        try sheet.write([.text("c"), .number(0.25, .percent), .date(Day(iso: "2026-10-31")!)], row: 1)
        sheet.freeze(rows: 1)
        try sheet.autofilter(headerRow: 0, lastRow: 1, lastColumn: 2)
        try book.close()
    }

    @Test func theSameContentGivesTheSameBytesWhateverTheClock() throws {
        let folder = try InputFolder([:])
        let created = Day(iso: "2026-11-05")!
        try Self.small(at: folder.path + "/one.xlsx", created: created)
        Thread.sleep(forTimeInterval: 2.1)   // zip entries' times have a 2-second resolution
        try Self.small(at: folder.path + "/two.xlsx", created: created)
        try Self.small(at: folder.path + "/three.xlsx", created: created + 1)
        let one = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/one.xlsx"))
        #expect(one.prefix(2) == Data("PK".utf8))
        #expect(one == (try Data(contentsOf: URL(fileURLWithPath: folder.path + "/two.xlsx"))))
        // The created date is what the document's times come from.
        #expect(one != (try Data(contentsOf: URL(fileURLWithPath: folder.path + "/three.xlsx"))))
    }

    @Test func aCellThatCannotBeWrittenIsNamedByPlaceNotValue() throws {
        let folder = try InputFolder([:])
        let book = try XLSXWorkbook(path: folder.path + "/long.xlsx", created: Day(number: 0), title: "test")
        let sheet = try book.addSheet("Quality")
        let secret = "ID" + String(repeating: "9", count: 40_000)   // beyond Excel's 32,767 characters a cell
        let error = #expect(throws: RunError.self) { try sheet.write(.text(secret), row: 2, column: 1) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("long.xlsx") && message.contains("sheet Quality, row 3, column 2"), "\(message)")
        #expect(!message.contains("ID9"))
    }

    @Test func columnsAreAsWideAsTheirWidestCellWithinLimits() {
        // Header widths: 2 + 3 and 5 + 3 (room for the filter button); column 0's widest cell is a
        // percentage (7), column 1's is 80 characters, capped at 60; one character of margin each.
        let table = SheetTable(header: ["id", "title"],
                               rows: [[.text("I1"), .text(String(repeating: "x", count: 80))], [.number(0.5, .percent), .empty]])
        #expect(table.widths() == [8, 61])
        // A preamble's cells count up to 30 characters; its labels widen the first column.
        let wide = SheetTable(preamble: [("rated_by", [.text(String(repeating: "y", count: 50))])], header: ["t", "I1"],
                              rows: [[.text("A"), .number(1, .decimal)]], frozenColumns: 1)
        #expect(wide.widths() == [10, 31])
    }

    /// The demo run's workbook against its CSVs and legend.txt, cell for cell,
    /// with its sheets, frozen panes, filters and number formats.
    @Test(.enabled(if: pythonCanImport("openpyxl"), "needs python3 with openpyxl: scripts/install-deps --python"))
    func theWorkbookAgreesWithTheCSVsReadBackWithOpenpyxl() throws {
        let root = projectRoot()
        var config = try PipelineFile.load(path: root + "/Pipelines/monthly.yaml")
        config.recordLevel = false
        let dates = try RunDates.resolve(asOf: nil, extractedOn: nil, config: config)
        let out = try InputFolder([:])
        let context = RunContext(config: config, dates: dates, outputFolder: out.path + "/report", command: "run")
        context.historyPath = nil
        let ingest = try Validation.run(context, progress: { _ in })
        _ = try StageRunner.run(context, ingest: ingest)
        #expect(context.filesWritten.contains(IndicatorWorkbook.fileName))
        #expect(!context.qualityFindings.isEmpty, "the demo has quarantined rows, so the Quality sheet is compared on real rows")

        let options = context.reportOptions
        let params: [String: Any] = ["headline_ids": ReportPage.tileIDs.map(\.rawValue),
                                     "headline_scale": options.headlineScale, "headline_rater": options.headlineRater]
        let paramsPath = out.path + "/params.json"
        try JSONSerialization.data(withJSONObject: params).write(to: URL(fileURLWithPath: paramsPath))
        try runOracle(root + "/Tests/oracle/workbook.py", input: out.path + "/report", params: paramsPath, out: out.path + "/oracle")
    }
}
