import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators

/// Disclosure control (METHODS.md M11, M13.17, M13.18), applied to every
/// aggregate table before it is written: primary suppression of small
/// numbers, secondary suppression so that no suppressed cell can be recovered
/// by subtraction from its total, and the matrix links of I5 and I6.
public struct Disclosure: Sendable {
    public var smallCount: Int
    public var minDenominator: Int

    public init(smallCount: Int = 5, minDenominator: Int = 10) {
        self.smallCount = smallCount
        self.minDenominator = minDenominator
    }

    /// Primary rule for a rate cell: numerator, or denominator minus
    /// numerator, between 1 and `small_count`, or a denominator below
    /// `min_denominator`. Zero is never suppressed on its own.
    public func suppressesRate(numerator: Int, denominator: Int) -> Bool {
        suppressesCount(numerator) || suppressesCount(denominator - numerator) || (denominator > 0 && denominator < minDenominator)
    }

    /// Primary rule for a mean cell (I1, I8): a denominator from 1 to `min_denominator - 1`.
    public func suppressesMean(denominator: Int) -> Bool { denominator >= 1 && denominator < minDenominator }

    /// Primary rule for a count cell (a matrix cell): between 1 and `small_count`.
    public func suppressesCount(_ count: Int) -> Bool { count >= 1 && count <= smallCount }

    /// Applies all of M11 to a run's figures and returns what may be
    /// published: primary, secondary and the matrix links (``apply(_:)``),
    /// the distribution of change with its total, then the audit, which
    /// suppresses more until no protected quantity can be pinned from what is
    /// published. Throws when the audit cannot finish (nothing may then be published).
    public func protect(_ raw: RawIndicators) throws -> PublishedIndicators {
        var tables = DisclosureTables(apply(raw))
        if let d = raw.distribution {
            let total = tables.rows.firstIndex { $0.id == .i1 && $0.scale == d.scale && $0.rater == d.rater.rawValue && $0.asOf == d.asOf && $0.breakdown == .total }
            let shown = total.map { tables.rows[$0].status == .published && d.total >= minDenominator } ?? false
            if let total {
                tables.counts.append(CountTable(scale: d.scale, rater: d.rater, asOf: d.asOf, counts: d.counts,
                                                hidden: shown ? protect(counts: d.counts) : d.counts.map { _ in true }, totalRow: total, withheld: !shown))
            }
        }
        let before = Self.suppressedCells(tables)
        let report: DisclosureAudit.Report
        do {
            report = try DisclosureAudit(rule: self).run(&tables)
        } catch let e as DisclosureAuditError {
            throw e
        } catch {
            throw DisclosureAuditError.solver("\(error)")
        }
        let summary = AuditSummary(cellsSuppressedBefore: before, cellsAdded: report.cellsAdded, cellsFollowing: report.cellsFollowing,
                                   cellsSuppressedAfter: Self.suppressedCells(tables), protectedQuantities: report.protectedQuantities,
                                   linearPrograms: report.linearPrograms, additions: report.additions)
        return PublishedIndicators(tables, audit: summary)
    }

    /// Suppressed indicator rows and matrix cells.
    static func suppressedCells(_ t: DisclosureTables) -> Int {
        t.rows.filter { $0.status == .suppressed }.count + t.matrices.reduce(0) { $0 + $1.status.joined().filter { $0 == .suppressed }.count }
    }

    /// Applies M11's primary, secondary and link rules to a run's results (no audit).
    package func apply(_ input: RawIndicators) -> RawIndicators {
        var out = input
        // Primary, on every published row.
        for i in out.rows.indices where out.rows[i].status == .published {
            let row = out.rows[i]
            let suppress: Bool
            switch row.definition.kind {
            case .mean: suppress = suppressesMean(denominator: row.denominator)
            case .rate: suppress = suppressesRate(numerator: Int(row.numerator.rounded()), denominator: row.denominator)
            }
            if suppress { out.rows[i].status = .suppressed }
        }
        // The matrix, then the figures linked to its cells.
        /// An indicator's rows of one scale, rater and month end.
        struct Linked: Hashable { var id: IndicatorID; var scale: String; var rater: String; var asOf: Day }
        var linked: Set<Linked> = []
        for m in out.matrices.indices {
            out.matrices[m].status = protect(out.matrices[m].matrix)
            let table = out.matrices[m]
            if table.status[Int(SupportContext.noneOffered.rawValue)][Int(Direction.worsened.rawValue)] == .suppressed {
                linked.insert(Linked(id: .i5, scale: table.scale, rater: table.rater.rawValue, asOf: table.asOf))
            }
            if table.status[Int(SupportContext.engaged.rawValue)][Int(Direction.improved.rawValue)] == .suppressed {
                linked.insert(Linked(id: .i6, scale: table.scale, rater: table.rater.rawValue, asOf: table.asOf))
            }
        }
        for i in out.rows.indices where out.rows[i].status == .published {
            let r = out.rows[i]
            if linked.contains(Linked(id: r.id, scale: r.scale, rater: r.rater, asOf: r.asOf)) { out.rows[i].status = .suppressed }
        }
        secondary(&out.rows)
        return out
    }

    /// Secondary suppression within each breakdown whose total is published
    /// (M13.18): while exactly one group is suppressed, suppress the published
    /// group with the smallest denominator (ties by group name).
    func secondary(_ rows: inout [IndicatorRow]) {
        for block in Disclosure.blocks(rows) { secondary(&rows, block: block) }
    }

    /// Secondary suppression in one block (the rows of one indicator, scale,
    /// rater and month end: total first, then the groups of each breakdown).
    /// Returns the rows it suppressed.
    @discardableResult
    func secondary(_ rows: inout [IndicatorRow], block: Range<Int>) -> [Int] {
        var added: [Int] = []
        guard rows[block.lowerBound].status == .published else { return added }
        var b = block.lowerBound + 1
        while b < block.upperBound {
            var e = b + 1
            while e < block.upperBound && rows[e].breakdown == rows[b].breakdown { e += 1 }
            while (b..<e).filter({ rows[$0].status == .suppressed }).count == 1 {
                let candidates = (b..<e).filter { rows[$0].status == .published }
                guard let pick = candidates.min(by: { Disclosure.smaller(rows[$0], rows[$1]) }) else { break }
                rows[pick].status = .suppressed
                added.append(pick)
            }
            b = e
        }
        return added
    }

    /// The blocks of rows: one indicator, scale, rater and month end each,
    /// contiguous, total first.
    static func blocks(_ rows: [IndicatorRow]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < rows.count {
            var j = i + 1
            while j < rows.count && rows[j].breakdown != .total { j += 1 }
            out.append(i..<j)
            i = j
        }
        return out
    }

    /// A row of counts with a published total (such as the report's
    /// distribution of change): primary suppression of counts 1 to
    /// `small_count`, then, while exactly one is suppressed, the smallest
    /// published count (zeros included, ties by position). True = suppressed.
    public func protect(counts: [Int]) -> [Bool] {
        var hidden = counts.map(suppressesCount)
        while hidden.filter({ $0 }).count == 1 {
            guard let pick = counts.indices.filter({ !hidden[$0] }).min(by: { counts[$0] < counts[$1] }) else { break }
            hidden[pick] = true
        }
        return hidden
    }

    /// Smallest denominator first, ties by group name (bytes).
    static func smaller(_ a: IndicatorRow, _ b: IndicatorRow) -> Bool {
        a.denominator != b.denominator ? a.denominator < b.denominator : Array(a.group.utf8).lexicographicallyPrecedes(Array(b.group.utf8))
    }

    /// Primary and secondary suppression of one matrix (M13.17): rows in
    /// context order, then columns in direction order, each time suppressing
    /// the published cell with the smallest count (zero cells included, ties
    /// by order), until no row or column has exactly one suppressed cell.
    public func protect(_ m: SupportMatrix) -> [[CellStatus]] {
        var status = m.cells.map { row in row.map { suppressesCount($0.segments) ? CellStatus.suppressed : .published } }
        secondary(m, &status)
        return status
    }

    /// The matrix's secondary passes (M13.17) from a given state: rows in
    /// context order, then columns in direction order, each time suppressing
    /// the published cell with the smallest count, until no row or column
    /// has exactly one suppressed cell. Returns the cells added (context, direction).
    @discardableResult
    func secondary(_ m: SupportMatrix, _ status: inout [[CellStatus]]) -> [(Int, Int)] {
        let lines: [[(Int, Int)]] = (0..<5).map { c in (0..<3).map { (c, $0) } } + (0..<3).map { d in (0..<5).map { ($0, d) } }
        var added: [(Int, Int)] = []
        var changed = true
        while changed {
            changed = false
            for line in lines where line.filter({ status[$0.0][$0.1] == .suppressed }).count == 1 {
                var pick: (Int, Int)?
                for cell in line where status[cell.0][cell.1] == .published {
                    if pick == nil || m.cells[cell.0][cell.1].segments < m.cells[pick!.0][pick!.1].segments { pick = cell }
                }
                guard let p = pick else { continue }
                status[p.0][p.1] = .suppressed
                added.append(p)
                changed = true
            }
        }
        return added
    }
}


/// What the M11 audit did in a run: recorded in the manifest and stated in the report.
public struct AuditSummary: Sendable, Equatable {
    /// Suppressed cells (indicator rows and matrix cells) after primary, secondary and links.
    public var cellsSuppressedBefore: Int
    /// Cells the audit suppressed because a protected quantity could be pinned.
    public var cellsAdded: Int
    /// Cells that followed them: secondary suppression and the I5/I6 links (M13.17, M13.18).
    public var cellsFollowing: Int
    /// Suppressed cells after the audit.
    public var cellsSuppressedAfter: Int
    /// Protected quantities shown not to be pinned in the end.
    public var protectedQuantities: Int
    /// Linear programs solved.
    public var linearPrograms: Int
    /// Each added cell and the relation that pinned what.
    public var additions: [String]

    /// The rule, stated once for the report and the legend.
    public static let rule = "After primary and secondary suppression, an audit plays an attacker who holds every published figure: it uses the sums within each breakdown, the bounds every table implies, the units indicators share and the matrix margins (linear programming), and suppresses further cells until no protected small number can be worked out exactly."
}
