import WaymarkStats
import WaymarkEvaluation

/// A row of the baseline balance table as it may be shown (rule 5 of
/// ``EvaluationDisclosure``): a figure resting on too few series is withheld,
/// and the standardised difference is shown only when both cohorts' are.
public struct ProtectedBalanceRow: Sendable, Equatable {
    public let covariate: String
    /// The level of a proportion row; empty for a mean.
    public let level: String
    public let kind: BalanceRow.Kind
    public let measuredAfterEntry: Bool
    /// Per cohort: the mean or the level's share; nil when withheld or not computable.
    public let mean: [Double?]
    /// Per cohort: the SD of a mean row; nil for proportions, when withheld or not computable.
    public let sd: [Double?]
    /// Per cohort: withheld by disclosure control.
    public let withheld: [Bool]
    public let smd: Double?

    /// |SMD| above 0.1 (Austin 2009).
    public var imbalanced: Bool { smd.map { abs($0) > StandardizedDifference.threshold } ?? false }
}

/// The at-risk counts of the Kaplan-Meier chart's numbers-at-risk table.
public struct ProtectedRiskTable: Sendable, Equatable {
    /// Months between ticks (3, 6 or 12), a month being 30.4375 days.
    public let monthsPerTick: Int
    /// Tick times in days since entry: 0, monthsPerTick x 30.4375, ...
    public let days: [Double]
    /// Per cohort, per tick: series still followed and not yet sustained at that time.
    public let atRisk: [[ProtectedCount]]
    /// Per cohort, per tick: suppressed although not 1..small_count, because its
    /// difference from a neighbouring published count is (so the page does not
    /// say "fewer than N" of it).
    public let withheldByDifference: [[Bool]]

    /// The days in a month of the chart's axis (365.25 / 12).
    public static let daysPerMonth = 30.4375

    /// Ticks every 3 months up to 2 years, every 6 up to 4 years, else every 12, up to the first tick at or after `lastDay`.
    public static func ticks(through lastDay: Double) -> (monthsPerTick: Int, days: [Double]) {
        let months = max(lastDay, 1) / daysPerMonth
        let step = months <= 24 ? 3 : months <= 48 ? 6 : 12
        let count = max(1, Int((months / Double(step)).rounded(.up)))
        return (step, (0...count).map { Double($0 * step) * daysPerMonth })
    }
}

extension EvaluationDisclosure {
    /// Rule 5 on the balance table.
    public static func balance(_ rows: [BalanceRow], smallCount s: Int, minDenominator: Int) -> [ProtectedBalanceRow] {
        func small(_ n: Int) -> Bool { n >= 1 && n <= s }
        // withheld[row][cohort], by the primary rule (a mean cell, or a rate cell for a level's share).
        var withheld = rows.map { r in (0..<2).map { k in
            let thin = r.n[k] < minDenominator || small(r.n[k])
            return r.kind == .mean ? thin : thin || small(r.count[k]) || small(r.n[k] - r.count[k])
        } }
        // Secondary: the levels of a covariate sum to 100%, so one withheld level alone is never left.
        let covariates = Set(rows.filter { $0.kind == .proportion }.map(\.covariate))
        for covariate in covariates {
            let levels = rows.indices.filter { rows[$0].covariate == covariate }
            for k in 0..<2 {
                // Also while the withheld levels together hold 1 to small_count series (their sum
                // follows from the total); the partner is the smallest level that is not zero,
                // since hiding a zero beside a small count hides nothing.
                func exposed() -> Bool {
                    let hidden = levels.filter { withheld[$0][k] }
                    return hidden.count == 1 || small(hidden.reduce(0) { $0 + rows[$1].count[k] })
                }
                while exposed() {
                    let open = levels.filter { !withheld[$0][k] }
                    guard let next = (open.filter { rows[$0].count[k] > 0 }.isEmpty ? open : open.filter { rows[$0].count[k] > 0 })
                        .min(by: { rows[$0].count[k] < rows[$1].count[k] }) else { break }
                    withheld[next][k] = true
                }
            }
        }
        return rows.enumerated().map { i, r in
            func value(_ x: Double, _ k: Int) -> Double? { withheld[i][k] || !x.isFinite ? nil : x }
            let mean = (0..<2).map { value(r.mean[$0], $0) }
            let sd = r.kind == .mean ? (0..<2).map { value(r.sd[$0], $0) } : [nil, nil]
            return ProtectedBalanceRow(covariate: r.covariate, level: r.level, kind: r.kind, measuredAfterEntry: r.measuredAfterEntry,
                                       mean: mean, sd: sd, withheld: withheld[i], smd: mean.contains(nil) ? nil : r.smd)
        }
    }

    /// Rule 6: the series with an outcome and without one, by reason, are
    /// parts of the cohort's series count. Returns the parts as shown, the
    /// first being the series with an outcome (which this rule may suppress too).
    public static func availability(series: ProtectedCount, total: Int, withOutcome: ProtectedCount, outcomes: Int, missing: [Int],
                             smallCount s: Int) -> [ProtectedCount] {
        func small(_ n: Int) -> Bool { n >= 1 && n <= s }
        let values = [outcomes] + missing
        var shown = [withOutcome] + missing.map { m in small(m) || (!series.isSuppressed && small(total - m)) ? ProtectedCount.suppressed : .shown(m) }
        // With the series count shown, one suppressed part alone would follow by subtraction.
        // When the parts add up to the series count, the suppressed parts' sum follows from the
        // shown ones: it may not be 1 to small_count either, and the partner is the smallest part
        // that is not zero (hiding a zero beside a small count hides nothing). When some series
        // fall in no part, that sum is not known, and the smallest part is partner as before.
        let partition = values.reduce(0, +) == total
        func exposed() -> Bool {
            let hidden = shown.indices.filter { shown[$0].isSuppressed }
            return hidden.count == 1 || (partition && small(hidden.reduce(0) { $0 + values[$1] }))
        }
        while !series.isSuppressed, exposed() {
            let open = shown.indices.filter { !shown[$0].isSuppressed }
            let nonZero = open.filter { values[$0] > 0 }
            guard let next = (partition && !nonZero.isEmpty ? nonZero : open).min(by: { values[$0] < values[$1] }) else { break }
            shown[next] = .suppressed
        }
        return shown
    }

    /// Rule 7: the at-risk counts at the chart's ticks. A count is shown when it
    /// is 0 or more than `small_count` and differs from the neighbouring counts
    /// already published for the cohort (its series count, the risk table's
    /// block starts and what the last block leaves, the other shown ticks) by 0
    /// or more than `small_count`, so no small number of series leaving
    /// observation between two published times can be worked out.
    public static func atRisk(_ km: KaplanMeier, series: ProtectedCount, curve: ProtectedCurve, days: [Double], smallCount s: Int)
        -> (counts: [ProtectedCount], byDifference: [Bool]) {
        func small(_ n: Int) -> Bool { n >= 1 && n <= s }
        func safe(_ d: Int) -> Bool { d == 0 || d > s }
        var known: [(position: Double, value: Int)] = []
        if let n = series.value { known.append((-1, n)) }
        var previous = -1.0
        for p in curve.points {
            known.append((previous == -1 ? -1 : previous + 0.5, p.atRisk))
            previous = p.time
        }
        if let last = curve.points.last { known.append((last.time + 0.5, last.atRisk - last.events - last.censored)) }
        var out: [ProtectedCount] = [], byDifference: [Bool] = []
        for day in days {
            let v = km.atRisk(at: day)
            let before = known.last { $0.position <= day }, after = known.first { $0.position > day }
            let differs = !(before.map { safe(abs($0.value - v)) } ?? true) || !(after.map { safe(abs($0.value - v)) } ?? true)
            byDifference.append(!small(v) && differs)
            if small(v) || differs {
                out.append(.suppressed)
                continue
            }
            out.append(.shown(v))
            known.append((day, v))
            known.sort { $0.position < $1.position }
        }
        return (out, byDifference)
    }
}
