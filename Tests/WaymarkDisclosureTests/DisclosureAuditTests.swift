import Testing
import WaymarkTestSupport
@testable import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
@testable import WaymarkIndicators
@testable import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// The M11 audit on hand-built tables: in each, one relation an attacker
/// holds pins a protected quantity of a suppressed cell, worked out by hand
/// in the comment; the audit must find it and hide the cell named.
@Suite struct DisclosureAuditTests {
    let rule = Disclosure(smallCount: 5, minDenominator: 10)
    let day = Day(iso: "2026-10-31")!

    func row(_ id: IndicatorID, _ n: Double, _ d: Int, _ status: CellStatus = .published, rater: String = "practitioner",
             scale: String = "safety", _ b: Breakdown = .total, _ g: String = "total") -> IndicatorRow {
        IndicatorRow(id: id, scale: scale, rater: rater, asOf: day, breakdown: b, group: g, numerator: n, denominator: d, status: status)
    }

    func row(_ id: IndicatorID, _ n: Double, _ d: Int, _ b: Breakdown, _ g: String) -> IndicatorRow {
        row(id, n, d, .published, b, g)
    }

    func audit(_ rows: [IndicatorRow], matrices: [MatrixTable] = []) throws -> (DisclosureTables, DisclosureAudit.Report) {
        var r = DisclosureTables(RawIndicators(monthEnds: [day], rows: rows, matrices: matrices, notes: []))
        let report = try DisclosureAudit(rule: rule).run(&r)
        return (r, report)
    }

    func status(_ r: DisclosureTables, _ id: IndicatorID, _ group: String = "total") -> CellStatus? {
        r.rows.first { $0.id == id && $0.group == group }?.status
    }

    /// Subtraction: the total (20/40) and team A (12/30) are published, B (2/10) alone is hidden:
    /// B = total - A = 8/10 exactly, so its complement 2 is pinned. The only published cells in its
    /// relation are A (30) and the total (40): A, the smaller, is hidden.
    @Test func subtractionWithinABreakdown() throws {
        let (r, report) = try audit([row(.i2, 20, 40), row(.i2, 12, 30, .team, "A"), row(.i2, 8, 10, .suppressed, .team, "B")])
        #expect(status(r, .i2, "A") == .suppressed)
        #expect(status(r, .i2) == .published)
        #expect(report.cellsAdded == 1)
    }

    /// Bounds: total 15/30 and team C 14/28 published; A (0/1) and B (1/1) hidden. Their
    /// denominators sum to 2 and each listed group has at least 1, so both are pinned at 1.
    /// Hiding C (28, smaller than the total's 30) lets A run from 1 to 28.
    @Test func boundsOfListedGroups() throws {
        let (r, report) = try audit([row(.i2, 15, 30), row(.i2, 0, 1, .suppressed, .team, "A"), row(.i2, 1, 1, .suppressed, .team, "B"),
                                     row(.i2, 14, 28, .team, "C")])
        #expect(status(r, .i2, "C") == .suppressed)
        #expect(report.cellsAdded == 1)
        #expect(report.additions[0].contains("the denominator"))
    }

    /// Without a pin the audit adds nothing: A and B (both 3/12) share 6/24 of the total with C published;
    /// A's numerator ranges over [0, 6], its denominator over [1, 23].
    @Test func nothingPinnedNothingAdded() throws {
        let rows = [row(.i2, 16, 50), row(.i2, 3, 12, .suppressed, .team, "A"), row(.i2, 3, 12, .suppressed, .team, "B"),
                    row(.i2, 10, 26, .team, "C")]
        let (r, report) = try audit(rows)
        #expect(r.rows.map { $0.status } as [CellStatus] == rows.map(\.status))
        #expect(report.cellsAdded == 0 && report.protectedQuantities == 2)
    }

    /// I14's denominator is I14u's denominator minus its numerator: I14u's 6/13 published
    /// pins the hidden I14 total's denominator at 7 (< 10, protected). I14u's total goes.
    @Test func withdrawalsSharedWithI14u() throws {
        let (r, _) = try audit([row(.i14, 3, 7, .suppressed), row(.i14u, 6, 13)])
        #expect(status(r, .i14u) == .suppressed)
    }

    /// I15 likewise from I15u.
    @Test func closuresSharedWithI15u() throws {
        let (r, _) = try audit([row(.i15, 4, 8, .suppressed), row(.i15u, 20, 28)])
        #expect(status(r, .i15u) == .suppressed)
    }

    /// I1 and I4 count the same series: I1's published denominator 8 pins I4's (8 < 10).
    @Test func seriesSharedByI1AndI4() throws {
        let (r, _) = try audit([row(.i1, 9.5, 8), row(.i4, 3, 8, .suppressed)])
        #expect(status(r, .i1) == .suppressed)
    }

    /// I2 and I3 count the same series: I3's denominator 9 pins I2's.
    @Test func seriesSharedByI2AndI3() throws {
        let (r, _) = try audit([row(.i2, 2, 9, .suppressed), row(.i3, 1, 9)])
        #expect(status(r, .i3) == .suppressed)
    }

    /// I9's denominator is I10's numerator, and I10 and I13 count the same offers:
    /// with I9 (40/48) and I13 (20/50) published, the hidden I10 total is 48/50, complement 2.
    @Test func offersSharedByI9I10AndI13() throws {
        let rows = [row(.i9, 40, 48, rater: "all", scale: "all"), row(.i10, 48, 50, .suppressed, rater: "all", scale: "all"),
                    row(.i13, 20, 50, rater: "all", scale: "all")]
        let (r, report) = try audit(rows)
        // Hiding I9 (48) frees I10's numerator; its denominator stays known through I13, which is not protected.
        #expect(status(r, .i9) == .suppressed)
        #expect(status(r, .i13) == .published)
        #expect(report.cellsAdded == 1)
    }

    /// A paired occasion has a family score: I8's denominator is at most I7's numerator.
    /// With I7's numerator 1 published, the hidden I8 denominator (>= 1) is pinned at 1.
    @Test func pairedOccasionsBoundedByFamilyScores() throws {
        let (r, _) = try audit([row(.i7, 1, 40, rater: "all"), row(.i8, 2.5, 1, .suppressed, rater: "all")])
        #expect(status(r, .i7) == .suppressed)
    }

    /// The matrix: I5's published 30/33 gives none_offered x worsened = 33 - 30 = 3, a protected
    /// count, even though the matrix hides it (with its row and column partners). The audit hides I5.
    @Test func matrixCellFromI5() throws {
        var m = SupportMatrix()
        let counts = [[3, 20, 30], [8, 40, 50], [12, 60, 70], [5, 80, 90], [5, 100, 110]]
        for c in 0..<5 { for d in 0..<3 { m.cells[c][d] = .init(segments: counts[c][d], sumOfChange: 0) } }
        let table = MatrixTable(scale: "safety", rater: .practitioner, asOf: day, matrix: m, status: rule.protect(m))
        #expect(table.status[0][0] == .suppressed)
        let (r, _) = try audit([row(.i5, 30, 33)], matrices: [table])
        #expect(status(r, .i5) == .suppressed)
    }

    /// An added cell is an ordinary suppressed cell: I4's team X (3/8, hidden) is pinned by I1's
    /// team X (denominator 8). Hiding I1's X leaves it the only hidden team of I1, so secondary
    /// suppression takes I1's next smallest team, Y, with it.
    @Test func secondarySuppressionFollowsAnAddedCell() throws {
        let rows = [row(.i1, 40, 38), row(.i1, 10, 8, .team, "X"), row(.i1, 30, 30, .team, "Y"),
                    row(.i4, 20, 38), row(.i4, 3, 8, .suppressed, .team, "X"), row(.i4, 17, 30, .suppressed, .team, "Y")]
        let (r, report) = try audit(rows)
        #expect(r.rows.filter { $0.id == .i1 }.map { $0.status } as [CellStatus] == [.published, .suppressed, .suppressed])
        #expect(report.cellsAdded == 1 && report.cellsFollowing == 1)
    }

    /// When the pinned cell's own relations hold no published cell, the search moves out through
    /// the hidden cells. I4 (3/8) and its teams X (1/4) and Y (2/4) are hidden; I1 (the same series)
    /// publishes 8, X 4 and Y 4. I4's denominator is pinned by I1's total, the only published cell in
    /// its relations: hiding it does not help alone (I1's teams still add up to 8), so it goes first;
    /// then I4's relations hold nothing published and I1's team X (4, before Y by position) goes,
    /// which frees I4's total; last, I4's team Y is pinned by I1's Y, which goes too.
    @Test func theSearchWidensThroughHiddenCells() throws {
        let rows = [row(.i1, 4, 8), row(.i1, 2, 4, .team, "X"), row(.i1, 2, 4, .team, "Y"),
                    row(.i4, 3, 8, .suppressed), row(.i4, 1, 4, .suppressed, .team, "X"), row(.i4, 2, 4, .suppressed, .team, "Y")]
        let (r, report) = try audit(rows)
        #expect(r.rows.filter { $0.id == .i1 }.map { $0.status } as [CellStatus] == [.suppressed, .suppressed, .suppressed])
        #expect(report.cellsAdded == 3)
        #expect(report.additions.count == 3 && report.additions[1].hasPrefix("I1 safety/practitioner 2026-10-31 team=X"))
    }

    /// The whole chain on the demo: after primary, secondary, links and the audit, the
    /// audit itself finds nothing pinned when run again, and it added at least one cell.
    @Test func theDemoIsStableUnderASecondAudit() throws {
        let (config, _, ingest, t) = try demo("monthly")
        let raw = IndicatorEngine.compute(t, ingest: ingest, config: config)
        let disclosure = Disclosure(smallCount: config.smallCount, minDenominator: config.minDenominator)
        let summary = try disclosure.protect(raw).audit
        #expect(summary.cellsAdded > 0)
        #expect(summary.cellsSuppressedAfter == summary.cellsSuppressedBefore + summary.cellsAdded + summary.cellsFollowing)
        var tables = DisclosureTables(disclosure.apply(raw))
        let first = try DisclosureAudit(rule: disclosure).run(&tables)
        #expect(first.cellsAdded == summary.cellsAdded)
        let again = try DisclosureAudit(rule: disclosure).run(&tables)
        #expect(again.cellsAdded == 0)
    }

    /// The distribution of change sums to I1's denominator, which is published: with one bin of 3
    /// hidden and its secondary partner (the next smallest, 4), the two hidden bins add up to 7 and
    /// each lies in [0, 7]: nothing pinned. The published distribution carries no number for them.
    @Test func theDistributionOfChangeIsProtectedWithItsTotal() throws {
        let counts = [0, 0, 3, 4, 10, 20, 12, 8, 6, 0, 0]
        let rows = [row(.i1, 70, 63)]
        let raw = RawIndicators(monthEnds: [day], rows: rows, matrices: [], notes: [],
                                distribution: ChangeDistribution(scale: "safety", rater: .practitioner, asOf: day, counts: counts))
        let published = try rule.protect(raw)
        let d = try #require(published.distribution)
        #expect(d.total == 63)
        #expect(d.counts == [0, 0, nil, nil, 10, 20, 12, 8, 6, 0, 0])
        #expect(published.audit.cellsAdded == 0)
    }

    /// A distribution whose total is not published is not published at all.
    @Test func aDistributionWithoutAPublishedTotalIsWithheld() throws {
        let raw = RawIndicators(monthEnds: [day], rows: [row(.i1, 7, 8, .suppressed)], matrices: [], notes: [],
                                distribution: ChangeDistribution(scale: "safety", rater: .practitioner, asOf: day, counts: [0, 0, 0, 0, 2, 3, 3, 0, 0, 0, 0]))
        #expect(try rule.protect(raw).distribution == nil)
    }
}
