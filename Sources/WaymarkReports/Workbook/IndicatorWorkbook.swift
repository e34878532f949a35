import WaymarkCore
import WaymarkMethods
import WaymarkIndicators
import WaymarkDisclosure

/// Writes `indicators.xlsx` (OUTPUTS.md): the published figures as a workbook
/// for analysts, from results that have been through disclosure control.
/// Sheets, in order: Headlines, Indicators (as indicators.csv), Matrix (as
/// matrix.csv), Teams, Equity, Quality (as quality.csv) and Legend (the text
/// of legend.txt). Figures are numeric cells at full precision (rates as
/// proportions in a percentage format), statuses c, z and x are text, dates
/// are real dates shown as YYYY-MM-DD; every table has a frozen header and
/// an autofilter.
public enum IndicatorWorkbook {
    public static let fileName = "indicators.xlsx"
    public static let sheetNames = ["Headlines", "Indicators", "Matrix", "Teams", "Equity", "Quality", "Legend"]
    /// The Headlines sheet's columns: indicators.csv's without breakdown and group (always the total).
    public static let headlinesHeader = ["indicator_id", "title", "scale", "rated_by", "as_of", "numerator", "denominator", "value", "status", "better"]
    /// The rows above the Teams and Equity tables' header, one per fact about each indicator column.
    public static let wideTablePreamble = ["title", "scale", "rated_by", "unit", "better"]
    /// The Legend sheet's first lines, before the text of legend.txt: how this workbook differs from the CSVs.
    public static let workbookNote = [
        "In this workbook: figures are numbers; rates are stored as proportions from 0 to 1 and shown as percentages; c, z and x are text;",
        "dates are real dates shown as YYYY-MM-DD. Headlines, Teams and Equity show the latest month end; Indicators, Matrix and Quality hold the CSVs' rows.",
    ]
    /// Excel's limit on the rows of a sheet.
    static let maxRows = 1_048_576

    public static func write(_ results: PublishedIndicators, quality: [QualityFinding], options: ReportOptions,
                             folders: OutputFolders) throws {
        let path = try folders.path(fileName)
        guard results.rows.count < maxRows else {
            throw RunError.output("\(path): \(results.rows.count) indicator rows do not fit in one sheet (Excel's limit is \(maxRows - 1) below its header); indicators.csv holds them all")
        }
        let book = try XLSXWorkbook(path: path, created: options.extractedOn, title: "Waymark indicators as at \(options.asOf)")
        let layout = WorkbookLayout(results, options: options)
        let tables = [layout.headlines(), layout.indicators(), layout.matrix(), layout.teams(), layout.equity(), layout.quality(quality)]
        for (name, table) in zip(sheetNames, tables) {
            try table.write(to: try book.addSheet(name))
        }
        let legend = try book.addSheet("Legend")
        let text = LegendWriter.text(asOf: options.asOf, extractedOn: options.extractedOn, smallCount: options.smallCount,
                                     minDenominator: options.minDenominator, provisional: options.provisional)
        let lines = workbookNote + [""] + text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (k, line) in lines.enumerated() where !line.isEmpty {
            try legend.write(.text(line), row: k, column: 0)
        }
        try legend.setWidth(130, column: 0)
        try book.close()
        folders.wrote(fileName)
    }
}
