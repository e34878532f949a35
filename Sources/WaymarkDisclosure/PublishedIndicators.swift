import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators

/// Every figure a run may publish: indicator rows, matrices and the
/// distribution of change after M11 (primary, secondary, links and the
/// audit). Only `Disclosure.protect` can make one (its initialisers are not
/// visible outside WaymarkDisclosure), and a suppressed figure carries no
/// number, so nothing downstream can write or draw a raw figure.
public struct PublishedIndicators: Sendable {
    public let monthEnds: [Day]
    public let rows: [PublishedRow]
    public let matrices: [PublishedMatrix]
    /// The distance travelled, when its total (I1's denominator) is published.
    public let distribution: PublishedDistribution?
    /// Notes for the report: why figures are z or x.
    public let notes: [String]
    /// What the audit did.
    public let audit: AuditSummary

    init(_ t: DisclosureTables, audit: AuditSummary) {
        monthEnds = t.monthEnds
        rows = t.rows.map(PublishedRow.init)
        matrices = t.matrices.map(PublishedMatrix.init)
        notes = t.notes
        self.audit = audit
        distribution = t.counts.first.flatMap { c in
            c.withheld ? nil : PublishedDistribution(scale: c.scale, rater: c.rater, asOf: c.asOf, total: t.rows[c.totalRow].denominator,
                                                     counts: c.counts.indices.map { c.hidden[$0] ? nil : c.counts[$0] })
        }
    }

    /// Rows suppressed (status `c`).
    public var suppressedRows: Int { rows.filter { $0.status == .suppressed }.count }
}

/// One row of `indicators.csv` as published: figures only when its status is `published`.
public struct PublishedRow: Sendable, Equatable {
    public let id: IndicatorID
    public let scale: String
    public let rater: String
    public let asOf: Day
    public let breakdown: Breakdown
    public let group: String
    public let status: CellStatus
    /// Nil unless published.
    public let numerator: Double?
    /// Nil unless published.
    public let denominator: Int?
    /// Why the status is z or x.
    public let note: String?

    init(_ r: IndicatorRow) {
        id = r.id
        scale = r.scale
        rater = r.rater
        asOf = r.asOf
        breakdown = r.breakdown
        group = r.group
        status = r.status
        note = r.note
        numerator = r.status == .published ? r.numerator : nil
        denominator = r.status == .published ? r.denominator : nil
    }

    public var value: Double? {
        guard let n = numerator, let d = denominator, d > 0 else { return nil }
        return n / Double(d)
    }
    public var definition: IndicatorDefinition { IndicatorCatalogue.definition(id) }
}

/// One matrix (M9) as published: a cell's count and mean only when published.
public struct PublishedMatrix: Sendable, Equatable {
    public let scale: String
    public let rater: Rater
    public let asOf: Day
    private let cells: [[SupportMatrix.Cell?]]
    private let statuses: [[CellStatus]]

    init(_ m: MatrixTable) {
        scale = m.scale
        rater = m.rater
        asOf = m.asOf
        statuses = m.status
        cells = (0..<5).map { c in (0..<3).map { d in m.status[c][d] == .published ? m.matrix.cells[c][d] : nil } }
    }

    public func status(_ c: SupportContext, _ d: Direction) -> CellStatus { statuses[Int(c.rawValue)][Int(d.rawValue)] }
    /// Segments in the cell, nil unless published.
    public func segments(_ c: SupportContext, _ d: Direction) -> Int? { cells[Int(c.rawValue)][Int(d.rawValue)]?.segments }
    /// Mean change in the cell, nil unless published and non-empty.
    public func meanChange(_ c: SupportContext, _ d: Direction) -> Double? { cells[Int(c.rawValue)][Int(d.rawValue)]?.meanChange }
}

/// The distance travelled as published: each bin's count, nil where hidden.
public struct PublishedDistribution: Sendable, Equatable {
    public let scale: String
    public let rater: Rater
    public let asOf: Day
    /// Series in scope: I1's published denominator.
    public let total: Int
    /// Per bin of `ChangeDistribution.bins`; nil where suppressed.
    public let counts: [Int?]
}

/// The state disclosure control works on: every table with its cells'
/// statuses. Internal to WaymarkDisclosure.
struct DisclosureTables {
    var monthEnds: [Day]
    var rows: [IndicatorRow]
    var matrices: [MatrixTable]
    var notes: [String]
    /// Tables of counts that sum to a published row's denominator (the distribution of change).
    var counts: [CountTable] = []

    init(_ raw: RawIndicators) {
        monthEnds = raw.monthEnds
        rows = raw.rows
        matrices = raw.matrices
        notes = raw.notes
    }
}

/// A table of counts whose sum is the denominator of one indicator row (M11
/// primary and secondary apply; the audit adds the sum as a relation).
struct CountTable {
    var scale: String
    var rater: Rater
    var asOf: Day
    var counts: [Int]
    var hidden: [Bool]
    /// The row whose denominator the counts sum to.
    var totalRow: Int
    /// Not published at all (its total is not published, or below `min_denominator`).
    var withheld: Bool
}
