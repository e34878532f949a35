import WaymarkCore
import WaymarkMethods
import WaymarkIndicators
import WaymarkDisclosure

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
