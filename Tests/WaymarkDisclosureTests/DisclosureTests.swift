import Foundation
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

/// An attacker's view of published tables: it tries to recover every
/// suppressed cell from what was published.
enum RecoveryChecker {
    /// Breakdowns: within one indicator, scale, rater and month end, each
    /// breakdown's groups add up to the published total, so a breakdown with
    /// exactly one suppressed group gives that group away by subtraction.
    /// Returns a description of every cell recovered.
    static func recover(_ rows: [IndicatorRow]) -> [String] {
        var found: [String] = []
        var tables: [String: [IndicatorRow]] = [:]
        for r in rows { tables["\(r.id)|\(r.scale)|\(r.rater)|\(r.asOf)", default: []].append(r) }
        for (key, table) in tables {
            guard let total = table.first(where: { $0.breakdown == .total }), total.status == .published else { continue }
            for b in Breakdown.allCases where b != .total {
                let groups = table.filter { $0.breakdown == b }
                let hidden = groups.filter { $0.status == .suppressed }
                guard hidden.count == 1 else { continue }
                let num = total.numerator - groups.filter { $0.status == .published }.reduce(0) { $0 + $1.numerator }
                let den = total.denominator - groups.filter { $0.status == .published }.reduce(0) { $0 + $1.denominator }
                found.append("\(key) \(b.name)=\(hidden[0].group): \(num)/\(den)")
            }
        }
        return found
    }

    /// The matrix with every row and column total known (they are published
    /// as I5 and I6 denominators and can be summed from the other figures):
    /// a suppressed cell is determined exactly when it is a bridge of the
    /// bipartite graph whose edges are the suppressed cells (rows and columns
    /// as vertices); cells on a cycle can be shifted around the cycle.
    static func recover(_ status: [[CellStatus]]) -> [(Int, Int)] {
        var edges: [(Int, Int)] = []
        for c in 0..<5 { for d in 0..<3 where status[c][d] == .suppressed { edges.append((c, d)) } }
        return edges.filter { e in
            // Is `e` a bridge? Search from its row to its column without it.
            let others = edges.filter { $0 != e }
            var seenRows: Set<Int> = [e.0], seenColumns: Set<Int> = []
            var frontier = [(true, e.0)]
            while let (isRow, v) = frontier.popLast() {
                for o in others {
                    if isRow && o.0 == v && !seenColumns.contains(o.1) { seenColumns.insert(o.1); frontier.append((false, o.1)) }
                    if !isRow && o.1 == v && !seenRows.contains(o.0) { seenRows.insert(o.0); frontier.append((true, o.0)) }
                }
            }
            return !seenColumns.contains(e.1)
        }
    }
}

@Suite struct DisclosureTests {
    let rule = Disclosure(smallCount: 5, minDenominator: 10)

    @Test func primaryThresholds() {
        // Counts: 0 is never suppressed alone; 1-5 are; 6 is not.
        #expect(!rule.suppressesCount(0))
        #expect(rule.suppressesCount(1) && rule.suppressesCount(5))
        #expect(!rule.suppressesCount(6))
        // Rates (denominator 20): numerator 0, 6 and 14 published; 1, 5 and 15 (20 - 15 = 5) suppressed.
        #expect(!rule.suppressesRate(numerator: 0, denominator: 20))
        #expect(rule.suppressesRate(numerator: 1, denominator: 20))
        #expect(rule.suppressesRate(numerator: 5, denominator: 20))
        #expect(!rule.suppressesRate(numerator: 6, denominator: 20))
        #expect(!rule.suppressesRate(numerator: 14, denominator: 20))
        #expect(rule.suppressesRate(numerator: 15, denominator: 20))
        // Denominators 9 and 10: below min_denominator is suppressed; a rate of 1 on 10 is published.
        #expect(rule.suppressesRate(numerator: 0, denominator: 9))
        #expect(!rule.suppressesRate(numerator: 10, denominator: 10))
        #expect(!rule.suppressesRate(numerator: 0, denominator: 10))
        #expect(rule.suppressesRate(numerator: 6, denominator: 10))   // 10 - 6 = 4
        // Means: denominators 1-9 suppressed, 0 and 10 not.
        #expect(!rule.suppressesMean(denominator: 0))
        #expect(rule.suppressesMean(denominator: 1) && rule.suppressesMean(denominator: 9))
        #expect(!rule.suppressesMean(denominator: 10))
    }

    /// A small result table: a published total and one team breakdown.
    func table(_ id: IndicatorID = .i2, total: (Double, Int), teams: [(String, Double, Int)]) -> RawIndicators {
        let day = Day(iso: "2026-10-31")!
        var rows = [IndicatorRow(id: id, scale: "safety", rater: "practitioner", asOf: day, breakdown: .total, group: "total",
                                 numerator: total.0, denominator: total.1, status: .published)]
        for (name, n, d) in teams {
            rows.append(IndicatorRow(id: id, scale: "safety", rater: "practitioner", asOf: day, breakdown: .team, group: name,
                                     numerator: n, denominator: d, status: .published))
        }
        return RawIndicators(monthEnds: [day], rows: rows, matrices: [], notes: [])
    }

    func statuses(_ r: RawIndicators) -> [String: CellStatus] {
        Dictionary(uniqueKeysWithValues: r.rows.map { ($0.group, $0.status) })
    }

    @Test func oneSmallTeamAmongLargeOnesTakesTheNextSmallestWithIt() {
        // C has 1 of 3 (primary). The next smallest denominator, A (40), goes too; B stays.
        let out = rule.apply(table(total: (31, 88), teams: [("A", 10, 40), ("B", 20, 45), ("C", 1, 3)]))
        #expect(statuses(out) == ["total": .published, "A": .suppressed, "B": .published, "C": .suppressed])
        #expect(RecoveryChecker.recover(out.rows).isEmpty)
    }

    @Test func twoSmallTeamsProtectEachOther() {
        let out = rule.apply(table(total: (32, 100), teams: [("A", 10, 40), ("B", 20, 52), ("C", 1, 3), ("D", 1, 5)]))
        #expect(statuses(out) == ["total": .published, "A": .published, "B": .published, "C": .suppressed, "D": .suppressed])
        #expect(RecoveryChecker.recover(out.rows).isEmpty)
    }

    @Test func aSmallTotalIsSuppressedWithItsGroups() {
        let out = rule.apply(table(total: (3, 8), teams: [("A", 1, 4), ("B", 2, 4)]))
        #expect(statuses(out) == ["total": .suppressed, "A": .suppressed, "B": .suppressed])
        #expect(RecoveryChecker.recover(out.rows).isEmpty)
    }

    @Test func tiesOnTheDenominatorGoByGroupName() {
        // C is primary; A and B tie at 40: A (by name) is taken.
        let out = rule.apply(table(total: (41, 83), teams: [("B", 20, 40), ("A", 20, 40), ("C", 1, 3)]))
        #expect(statuses(out) == ["total": .published, "A": .suppressed, "B": .published, "C": .suppressed])
    }

    @Test func meansUseTheirOwnRule() {
        // I1 is a mean: only the denominator matters. C has 4 series (< 10): suppressed; A (12) goes with it.
        let out = rule.apply(table(.i1, total: (9, 46), teams: [("A", 1, 12), ("B", 5, 30), ("C", 3, 4)]))
        #expect(statuses(out) == ["total": .published, "A": .suppressed, "B": .published, "C": .suppressed])
    }

    /// A matrix whose none_offered x worsened cell has 3 segments: primary;
    /// its row's smallest published cell (steady, 20) and its column's (the
    /// unrecorded x worsened cell, 8) follow; then those lines each have one,
    /// and so on until every row and column has none or at least two.
    @Test func matrixSecondarySuppressionLeavesNothingRecoverable() {
        var m = SupportMatrix()
        let counts = [[3, 20, 30], [8, 40, 50], [12, 60, 70], [25, 80, 90], [35, 100, 110]]
        for c in 0..<5 { for d in 0..<3 { m.cells[c][d] = .init(segments: counts[c][d], sumOfChange: 0) } }
        let status = rule.protect(m)
        let hidden = (0..<5).flatMap { c in (0..<3).compactMap { d in status[c][d] == .suppressed ? "\(c)\(d)" : nil } }
        // Rows: row 0 has 00 -> takes 01 (20). Columns: column 0 has 00 -> takes 10 (8); column 1 has 01 -> takes 11 (40).
        // Then row 1 has 10 and 11: two. Done.
        #expect(hidden == ["00", "01", "10", "11"])
        #expect(RecoveryChecker.recover(status).isEmpty)
    }

    @Test func aZeroCellCanBeTheSecondarySuppression() {
        var m = SupportMatrix()
        let counts = [[2, 0, 30], [40, 40, 50], [12, 60, 70], [25, 80, 90], [35, 100, 110]]
        for c in 0..<5 { for d in 0..<3 { m.cells[c][d] = .init(segments: counts[c][d], sumOfChange: 0) } }
        let status = rule.protect(m)
        #expect(status[0][1] == .suppressed)   // the zero beside the 2 is the smallest in its row
        #expect(RecoveryChecker.recover(status).isEmpty)
    }

    /// The demo's indicators and matrices, after disclosure control: nothing
    /// suppressed can be recovered, I5 and I6 follow their matrix cells, and
    /// no published rate has a small numerator or complement.
    @Test func theDemoOutputsGiveNothingAway() throws {
        let (config, _, ingest, t) = try demo("monthly")
        let raw = IndicatorEngine.compute(t, ingest: ingest, config: config)
        let out = Disclosure(smallCount: config.smallCount, minDenominator: config.minDenominator).apply(raw)
        #expect(out.rows.contains { $0.status == .suppressed && $0.breakdown != .total })
        #expect(RecoveryChecker.recover(out.rows).isEmpty)
        for table in out.matrices { #expect(RecoveryChecker.recover(table.status).isEmpty) }
        for r in out.rows where r.status == .published && r.definition.kind == .rate {
            let n = Int(r.numerator.rounded())
            #expect(!(1...5).contains(n) && !(1...5).contains(r.denominator - n) && r.denominator >= 10)
        }
        for table in out.matrices {
            let key = { (r: IndicatorRow) in r.scale == table.scale && r.rater == table.rater.rawValue && r.asOf == table.asOf }
            if table.status[0][0] == .suppressed { #expect(out.rows.filter { $0.id == .i5 && key($0) }.allSatisfy { $0.status != .published }) }
            if table.status[4][2] == .suppressed { #expect(out.rows.filter { $0.id == .i6 && key($0) }.allSatisfy { $0.status != .published }) }
        }
    }
}
