import CXLSXWriter
import Foundation
import WaymarkCore

/// One cell of a workbook sheet: text, a number shown in a number format (the
/// value itself is stored at full precision), a date, or nothing.
enum WorkbookCell: Sendable, Equatable {
    case text(String)
    case number(Double, NumberStyle)
    case date(Day)
    case empty
}

/// How a numeric cell is displayed; the stored value is never rounded.
enum NumberStyle: Sendable, Equatable {
    /// Excel's General format.
    case general
    /// A whole number: `0`.
    case integer
    /// A proportion shown as a percentage: `0.0%`.
    case percent
    /// Two decimals: `0.00`.
    case decimal
}

/// A thin wrapper over libxlsxwriter's workbook (the C API, nothing more):
/// sheets of cells with a bold header style, number formats, frozen panes,
/// autofilters and column widths. Its bytes depend only on what is written
/// and `created`: the document's created and modified times are set from it,
/// and libxlsxwriter stamps every zip entry with 1980-01-01 (as Excel does).
final class XLSXWorkbook {
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    let path: String
    private var formats: [NumberStyle: UnsafeMutablePointer<lxw_format>] = [:]
    private var dateFormat: UnsafeMutablePointer<lxw_format>?
    private var headerFormat: UnsafeMutablePointer<lxw_format>?

    /// Opens a new workbook at `path` (written at ``close()``), its created time `created` at 00:00 UTC.
    init(path: String, created: Day, title: String) throws {
        guard let wb = workbook_new(path) else {
            throw RunError.output("\(path): cannot start the workbook (out of memory)")
        }
        workbook = wb
        self.path = path
        var properties = lxw_doc_properties()
        properties.created = time_t(created.number) * 86_400
        let ownedTitle = strdup(title)
        defer { free(ownedTitle) }
        properties.title = ownedTitle
        try check(workbook_set_properties(wb, &properties), "setting its properties")

        let header = workbook_add_format(wb)
        format_set_bold(header)
        format_set_bottom(header, UInt8(LXW_BORDER_THIN.rawValue))
        headerFormat = header
        for (style, code) in [(NumberStyle.integer, "0"), (.percent, "0.0%"), (.decimal, "0.00")] {
            let f = workbook_add_format(wb)
            format_set_num_format(f, code)
            formats[style] = f
        }
        let date = workbook_add_format(wb)
        format_set_num_format(date, "yyyy-mm-dd")
        dateFormat = date
    }

    deinit {
        // A workbook abandoned after an error is freed without being written.
        if let workbook { lxw_workbook_free(workbook) }
    }

    /// Adds a sheet after the others (names: at most 31 characters, none of `[]:*?/\`).
    func addSheet(_ name: String) throws -> XLSXSheet {
        guard let wb = workbook, let ws = workbook_add_worksheet(wb, name) else {
            throw RunError.output("\(path): cannot add the sheet \(name)")
        }
        return XLSXSheet(sheet: ws, name: name, workbook: self)
    }

    /// Writes the file and releases the workbook.
    func close() throws {
        guard let wb = workbook else { return }
        workbook = nil
        try check(workbook_close(wb), "writing it")
    }

    func format(_ style: NumberStyle) -> UnsafeMutablePointer<lxw_format>? { formats[style] }
    var date: UnsafeMutablePointer<lxw_format>? { dateFormat }
    var header: UnsafeMutablePointer<lxw_format>? { headerFormat }

    func check(_ error: lxw_error, _ doing: @autoclosure () -> String) throws {
        guard error != LXW_NO_ERROR else { return }
        throw RunError.output("\(path): cannot write the workbook, \(doing()) (\(String(cString: lxw_strerror(error)))). Choose another folder with --out.")
    }
}

/// One sheet of an ``XLSXWorkbook``: rows and columns count from 0.
final class XLSXSheet {
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    let name: String
    private unowned let workbook: XLSXWorkbook

    init(sheet: UnsafeMutablePointer<lxw_worksheet>, name: String, workbook: XLSXWorkbook) {
        self.sheet = sheet
        self.name = name
        self.workbook = workbook
    }

    /// Writes one cell; `.empty` leaves it blank.
    func write(_ cell: WorkbookCell, row: Int, column: Int) throws {
        let r = lxw_row_t(row), c = lxw_col_t(column)
        let error: lxw_error
        switch cell {
        case .text(let s): error = worksheet_write_string(sheet, r, c, s, nil)
        case .number(let v, let style): error = worksheet_write_number(sheet, r, c, v, workbook.format(style))
        case .date(let d):
            let parts = d.components
            var when = lxw_datetime(year: Int32(parts.year), month: Int32(parts.month), day: Int32(parts.day), hour: 0, min: 0, sec: 0)
            error = worksheet_write_datetime(sheet, r, c, &when, workbook.date)
        case .empty: return
        }
        try workbook.check(error, "sheet \(name), row \(row + 1), column \(column + 1)")
    }

    /// Writes a row of cells from `column` on.
    func write(_ cells: [WorkbookCell], row: Int, column: Int = 0) throws {
        for (k, cell) in cells.enumerated() { try write(cell, row: row, column: column + k) }
    }

    /// Writes a header row (bold, underlined) from `column` on.
    func writeHeader(_ names: [String], row: Int, column: Int = 0) throws {
        for (k, text) in names.enumerated() {
            try workbook.check(worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column + k), text, workbook.header),
                               "sheet \(name), row \(row + 1), column \(column + k + 1)")
        }
    }

    /// Keeps the first `rows` rows and `columns` columns in view when scrolling.
    func freeze(rows: Int, columns: Int = 0) {
        worksheet_freeze_panes(sheet, lxw_row_t(rows), lxw_col_t(columns))
    }

    /// An autofilter on the table whose header is `headerRow` (columns 0 to `lastColumn`, down to `lastRow`).
    func autofilter(headerRow: Int, lastRow: Int, lastColumn: Int) throws {
        try workbook.check(worksheet_autofilter(sheet, lxw_row_t(headerRow), 0, lxw_row_t(max(lastRow, headerRow)), lxw_col_t(lastColumn)),
                           "the filter of sheet \(name)")
    }

    /// Sets a column's width, in characters of the default font.
    func setWidth(_ width: Double, column: Int) throws {
        try workbook.check(worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), width, nil), "the widths of sheet \(name)")
    }
}
