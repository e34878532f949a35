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
