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

/// One table of a sheet: optional labelled rows above the header (the wide
/// tables' title, scale, rated_by, unit and better), the header, the rows.
struct SheetTable {
    var preamble: [(label: String, cells: [WorkbookCell])] = []
    var header: [String]
    var rows: [[WorkbookCell]]
    /// Columns kept in view when scrolling sideways (the row labels).
    var frozenColumns = 0

    /// Writes the table from the top left, freezes everything down to the
    /// header, filters on the header, and sizes the columns to their contents.
    func write(to sheet: XLSXSheet) throws {
        for (r, line) in preamble.enumerated() {
            try sheet.writeHeader([line.label], row: r)
            try sheet.write(line.cells, row: r, column: frozenColumns)
        }
        let headerRow = preamble.count
        try sheet.writeHeader(header, row: headerRow)
        for (k, cells) in rows.enumerated() { try sheet.write(cells, row: headerRow + 1 + k) }
        sheet.freeze(rows: headerRow + 1, columns: frozenColumns)
        try sheet.autofilter(headerRow: headerRow, lastRow: headerRow + rows.count, lastColumn: header.count - 1)
        for (column, width) in widths().enumerated() { try sheet.setWidth(width, column: column) }
    }

    /// Characters per column: the widest cell or header (plus room for the
    /// filter button), between 6 and 60; preamble cells count up to 30.
    func widths() -> [Double] {
        func length(_ cell: WorkbookCell) -> Int {
            switch cell {
            case .text(let s): return s.count
            case .number(_, let style): return style == .percent ? 7 : 10
            case .date: return 10
            case .empty: return 0
            }
        }
        var out = header.map { $0.count + 3 }
        for line in preamble {
            out[0] = max(out[0], line.label.count + 1)
            for (k, cell) in line.cells.enumerated() where frozenColumns + k < out.count {
                out[frozenColumns + k] = max(out[frozenColumns + k], min(length(cell), 30))
            }
        }
        for cells in rows {
            for (k, cell) in cells.enumerated() where k < out.count { out[k] = max(out[k], length(cell)) }
        }
        return out.map { Double(min(max($0, 6), 60) + 1) }
    }
}

/// The sheets' contents, from the published figures only.
struct WorkbookLayout {
    let results: PublishedIndicators
    let options: ReportOptions
    private let index: [RowKey: PublishedRow]

    struct RowKey: Hashable {
        var id: IndicatorID
        var scale: String
        var rater: String
        var asOf: Day
        var breakdown: Breakdown
        var group: String
    }

    init(_ results: PublishedIndicators, options: ReportOptions) {
        self.results = results
        self.options = options
        var index: [RowKey: PublishedRow] = [:]
        for r in results.rows { index[RowKey(id: r.id, scale: r.scale, rater: r.rater, asOf: r.asOf, breakdown: r.breakdown, group: r.group)] = r }
        self.index = index
    }

    /// The latest month end of the trend, which the Headlines, Teams and Equity sheets show.
    var latest: Day { results.monthEnds.last ?? options.asOf }

    /// The (scale, rated_by) an indicator is shown at: the report's headline scale and rater.
    func headlineKey(_ id: IndicatorID) -> (String, String) {
        ReportPage.headlineKey(IndicatorCatalogue.definition(id), scale: options.headlineScale, rater: options.headlineRater)
    }

    func row(_ id: IndicatorID, _ breakdown: Breakdown, _ group: String) -> PublishedRow? {
        let (s, r) = headlineKey(id)
        return index[RowKey(id: id, scale: s, rater: r, asOf: latest, breakdown: breakdown, group: group)]
    }

    // MARK: Cells

    static func style(_ id: IndicatorID) -> NumberStyle { IndicatorCatalogue.definition(id).kind == .rate ? .percent : .decimal }

    /// A row's value: the number when published, else its status symbol (c, z, x); empty without a row.
    static func valueCell(_ r: PublishedRow?) -> WorkbookCell {
        guard let r else { return .empty }
        guard r.status == .published else { return .text(r.status.rawValue) }
        return r.value.map { .number($0, style(r.id)) } ?? .empty
    }

    /// Text, or a blank cell for an empty string (as the CSV's empty field).
    static func text(_ s: String) -> WorkbookCell { s.isEmpty ? .empty : .text(s) }

    static func figures(_ r: PublishedRow) -> [WorkbookCell] {
        [r.numerator.map { .number($0, .general) } ?? .empty, r.denominator.map { .number(Double($0), .integer) } ?? .empty,
         r.value.map { .number($0, style(r.id)) } ?? .empty, .text(r.status.rawValue)]
    }

    // MARK: Sheets

    func headlines() -> SheetTable {
        var rows: [[WorkbookCell]] = []
        for id in ReportPage.tileIDs {
            guard let r = row(id, .total, "total") else { continue }
            let def = r.definition
            rows.append([.text(id.rawValue), .text(def.title), .text(r.scale), .text(r.rater), .date(r.asOf)]
                        + Self.figures(r) + [.text(def.better)])
        }
        return SheetTable(header: IndicatorWorkbook.headlinesHeader, rows: rows, frozenColumns: 1)
    }

    func indicators() -> SheetTable {
        let rows = results.rows.map { r -> [WorkbookCell] in
            let def = r.definition
            return [.text(r.id.rawValue), .text(def.title), .text(r.scale), .text(r.rater), .date(r.asOf), .text(r.breakdown.name), .text(r.group)]
                + Self.figures(r) + [.text(def.better)]
        }
        return SheetTable(header: IndicatorWriter.indicatorsHeader, rows: rows, frozenColumns: 1)
    }

    func matrix() -> SheetTable {
        var rows: [[WorkbookCell]] = []
        for table in results.matrices {
            for c in SupportContext.allCases {
                for d in Direction.allCases {
                    rows.append([.text(table.scale), .text(table.rater.rawValue), .date(table.asOf), .text(c.name), .text(d.name),
                                 table.segments(c, d).map { .number(Double($0), .integer) } ?? .empty,
                                 table.meanChange(c, d).map { .number($0, .decimal) } ?? .empty,
                                 .text(table.status(c, d).rawValue)])
                }
            }
        }
        return SheetTable(header: IndicatorWriter.matrixHeader, rows: rows)
    }

    /// The indicators, in catalogue order, with at least one row of `breakdowns` in the latest month.
    func indicators(in breakdowns: [Breakdown]) -> [IndicatorID] {
        var present = Set<IndicatorID>()
        for r in results.rows where r.asOf == latest && breakdowns.contains(r.breakdown) {
            if (r.scale, r.rater) == headlineKey(r.id) { present.insert(r.id) }
        }
        return IndicatorCatalogue.all.map(\.id).filter(present.contains)
    }

    /// The rows above a wide table's header: each indicator column's title, scale, rater, unit and better direction.
    func preamble(_ ids: [IndicatorID]) -> [(label: String, cells: [WorkbookCell])] {
        let defs = ids.map(IndicatorCatalogue.definition)
        return [
            ("title", defs.map { .text($0.title) }),
            ("scale", ids.map { .text(headlineKey($0).0) }),
            ("rated_by", ids.map { .text(headlineKey($0).1) }),
            ("unit", defs.map { .text($0.kind == .rate ? "rate (%)" : "mean") }),
            ("better", defs.map { .text($0.better) }),
        ]
    }

    /// The latest month, one row per team (natural order), one column per indicator.
    func teams() -> SheetTable {
        let ids = indicators(in: [.team])
        var teams = Set<String>()
        for r in results.rows where r.asOf == latest && r.breakdown == .team && ids.contains(r.id) { teams.insert(r.group) }
        let rows = teams.sorted(by: ReportPage.naturalOrder).map { team -> [WorkbookCell] in
            [.text(team)] + ids.map { Self.valueCell(row($0, .team, team)) }
        }
        return SheetTable(preamble: preamble(ids), header: ["team"] + ids.map(\.rawValue), rows: rows, frozenColumns: 1)
    }

    /// The latest month by the child's characteristics (age_band, sex,
    /// ethnicity_group, disability), groups in natural order, one column per indicator.
    func equity() -> SheetTable {
        let ids = indicators(in: Breakdown.childCharacteristics)
        var rows: [[WorkbookCell]] = []
        for b in Breakdown.childCharacteristics {
            var groups = Set<String>()
            for r in results.rows where r.asOf == latest && r.breakdown == b && ids.contains(r.id) { groups.insert(r.group) }
            for g in groups.sorted(by: ReportPage.naturalOrder) {
                let cells = ids.map { Self.valueCell(row($0, b, g)) }
                guard cells.contains(where: { $0 != .empty }) else { continue }
                rows.append([.text(b.name), .text(g)] + cells)
            }
        }
        return SheetTable(preamble: preamble(ids), header: ["breakdown", "group"] + ids.map(\.rawValue), rows: rows, frozenColumns: 2)
    }

    func quality(_ findings: [QualityFinding]) -> SheetTable {
        let rows = findings.map { f -> [WorkbookCell] in
            [.text(f.file), .text(f.reason), .number(Double(f.count), .integer), Self.text(f.firstLines.map(String.init).joined(separator: " ")),
             Self.text(f.columns.joined(separator: ";")), Self.text(f.explanation)]
        }
        return SheetTable(header: QualityReport.header, rows: rows)
    }
}
