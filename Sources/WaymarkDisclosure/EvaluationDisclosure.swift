import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkStats
import WaymarkEvaluation

/// A count as it may be shown in the evaluation's shared outputs: its value,
/// or suppressed (DfE symbol `c`; "fewer than N" on the page).
public enum ProtectedCount: Sendable, Equatable, CustomStringConvertible {
    case shown(Int)
    case suppressed

    public var value: Int? { if case .shown(let n) = self { return n } else { return nil } }
    public var isSuppressed: Bool { self == .suppressed }
    /// The number, or `c`.
    public var description: String { value.map(String.init) ?? "c" }
}

/// The Kaplan-Meier curve of one cohort as it may be shown: the exact
/// estimates and intervals, only at the times the rule of
/// ``EvaluationDisclosure`` allows, each with the counts of the block of
/// time that ends there.
public struct ProtectedCurve: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// Days since entry.
        public let time: Double
        public let survival: Double
        public let lower: Double?
        public let upper: Double?
        /// Series at risk at the start of the block (just after the previous shown time, or at entry).
        public let atRisk: Int
        /// Sustained scores (events) in the block, up to and including `time`.
        public let events: Int
        /// Censorings in the block, up to and including `time`.
        public let censored: Int
    }
    public let points: [Point]
    /// The median time to a sustained score, when it lies within the shown curve.
    public let median: Double?
}

/// What the evaluation's shared outputs (evaluation.html, .csv, .json) may
/// show: counts protected by M11's rules, statistics withheld where they
/// would reveal a protected count, Kaplan-Meier curves shown only at safe
/// times. Only ``EvaluationDisclosure/protect(_:smallCount:minDenominator:)``
/// builds one, so the page and the writers cannot render the raw counts.
public struct ProtectedEvaluation: Sendable {
    public let spec: EvaluationSpec
    public let scale: String
    public let rater: Rater
    public let asOf: Day
    public let smallCount: Int
    public let minDenominator: Int
    /// Per cohort (programme, comparison).
    public let series: [ProtectedCount]
    public let withOutcome: [ProtectedCount]
    /// Sustained events per cohort.
    public let events: [ProtectedCount]
    /// The change analyses (Welch, Hedges' g and its interval), nil when not computed or withheld.
    public let comparison: TwoSampleComparison?
    public let gInterval: (low: Double, high: Double)?
    public let survival: [ProtectedCurve]
    public let logRank: LogRankTest?
    public let model: ClusteredOLS?
    /// The baseline balance table (rule 5).
    public let balance: [ProtectedBalanceRow]
    /// Per cohort, per reason (MissingOutcome.allCases order): series without an outcome (rule 6).
    public let missingOutcome: [[ProtectedCount]]
    /// The numbers at risk under the Kaplan-Meier chart (rule 7).
    public let risk: ProtectedRiskTable
    /// Why a statistic could not be computed, then what disclosure control withheld and why.
    public let notes: [String]
    /// Figures withheld by disclosure control (a subset of `notes`).
    public let withheld: [String]

    fileprivate init(spec: EvaluationSpec, scale: String, rater: Rater, asOf: Day, smallCount: Int, minDenominator: Int,
                     series: [ProtectedCount], withOutcome: [ProtectedCount], events: [ProtectedCount],
                     comparison: TwoSampleComparison?, gInterval: (low: Double, high: Double)?, survival: [ProtectedCurve],
                     logRank: LogRankTest?, model: ClusteredOLS?, balance: [ProtectedBalanceRow], missingOutcome: [[ProtectedCount]],
                     risk: ProtectedRiskTable, notes: [String], withheld: [String]) {
        self.spec = spec; self.scale = scale; self.rater = rater; self.asOf = asOf
        self.smallCount = smallCount; self.minDenominator = minDenominator
        self.series = series; self.withOutcome = withOutcome; self.events = events
        self.comparison = comparison; self.gInterval = gInterval; self.survival = survival
        self.logRank = logRank; self.model = model; self.notes = notes; self.withheld = withheld
        self.balance = balance; self.missingOutcome = missingOutcome; self.risk = risk
    }

    /// "fewer than N" (N = small_count + 1), as the report pack shows a suppressed cell.
    public var fewer: String { "fewer than \(smallCount + 1)" }
}

/// Disclosure control for the evaluation's shared outputs (METHODS.md M11
/// applied to M12; the rules are stated in docs/evaluation.md):
///
/// 1. **Counts** (series, series with an outcome, sustained events, the
///    regression's cases) between 1 and `small_count` are suppressed; zero is
///    shown.
/// 2. **Complements**: a cohort's series with an outcome and its sustained
///    events are parts of its series count, which is shown; the other part
///    (without an outcome, not sustained) is never shown but follows by
///    subtraction, so a part is suppressed too when the total minus it is
///    1..`small_count` (DfE's rule for a rate cell). The Kaplan-Meier table
///    adds two more complements: the events and censorings after the last
///    shown time (see 4); when either is 1..`small_count` the events count is
///    suppressed.
/// 3. **Statistics that reveal counts**: Welch's t, its degrees of freedom,
///    Cohen's d and Hedges' g together determine n1 and n2 (d/g = J fixes
///    n1 + n2), and the regression shows its n and cases; so the change
///    analyses and the regression are shown only when both cohorts' counts of
///    series with an outcome are shown and at least `min_denominator` (M11's
///    rule for a mean), and the regression only when its case count is shown.
///    The total of series with an outcome is therefore never shown beside a
///    suppressed part, so a suppressed count cannot be recovered from it.
///    The log-rank test is shown only when both cohorts' series counts are.
/// 4. **Kaplan-Meier**: the curve is shown only at event times that close a
///    block of time in which at least `small_count` + 1 events happened,
///    with censorings in the block 0 or at least `small_count` + 1, and
///    leaving 0 or at least `small_count` + 1 at risk; the curve stops
///    there. Every count of the published risk table (at risk at the start
///    of each block, events and censorings in it, what remains) is thus 0
///    or at least `small_count` + 1; the estimates and intervals at the shown
///    times are the exact ones. A cohort with 1..`small_count` series has
///    no curve.
/// 5. **Balance table**: a cohort's mean and SD are shown only when they rest
///    on at least `min_denominator` series and more than `small_count` (M11's
///    mean cell); a level's share only when, besides, the series in the level
///    and those outside it are 0 or more than `small_count` (a rate cell); when
///    exactly one level of a covariate is withheld in a cohort, the next
///    smallest is withheld too (the shares sum to 100%). The standardised
///    difference is shown only when both cohorts' figures are.
/// 6. **Outcome availability**: the series with an outcome and those without
///    one, by reason, are parts of the cohort's series count: a part is
///    suppressed when 1..`small_count` or when the series count minus it is,
///    and, when the series count is shown and exactly one part is suppressed,
///    the next smallest is too (the series with an outcome included, before
///    rule 3 looks at it).
/// 7. **Numbers at risk** at the chart's ticks: see ``atRisk(_:series:curve:days:smallCount:)``.
public enum EvaluationDisclosure {

    public static func protect(_ r: EvaluationResult, smallCount s: Int, minDenominator: Int) -> ProtectedEvaluation {
        func small(_ n: Int) -> Bool { n >= 1 && n <= s }
        func primary(_ n: Int) -> ProtectedCount { small(n) ? .suppressed : .shown(n) }
        var withheld: [String] = []

        // 1 and 2: counts and their complements within each cohort.
        let series = r.counts.map { primary($0.series) }
        var withOutcome: [ProtectedCount] = []
        var events: [ProtectedCount] = []
        for k in r.counts.indices {
            let c = r.counts[k]
            let seriesShown = !series[k].isSuppressed
            withOutcome.append(small(c.withOutcome) || (seriesShown && small(c.series - c.withOutcome)) ? .suppressed : .shown(c.withOutcome))
            events.append(small(c.events) || (seriesShown && small(c.series - c.events)) ? .suppressed : .shown(c.events))
        }

        // 4: the curves, then the complements they add to the events count.
        var curves: [ProtectedCurve] = []
        for (k, km) in r.survival.enumerated() {
            let curve = series[k].isSuppressed ? ProtectedCurve(points: [], median: nil) : Self.curve(km, smallCount: s)
            curves.append(curve)
            let tailEvents = km.events - curve.points.reduce(0) { $0 + $1.events }
            let tailCensored = (km.n - km.events) - curve.points.reduce(0) { $0 + $1.censored }
            if !events[k].isSuppressed && (small(tailEvents) || small(tailCensored)) { events[k] = .suppressed }
        }

        // 6: outcome availability, which may suppress the series with an outcome too.
        let missingOutcome: [[ProtectedCount]] = (0..<2).map { k in
            let missing = k < r.missingOutcome.count ? r.missingOutcome[k] : MissingOutcome.allCases.map { _ in 0 }
            let parts = availability(series: series[k], total: r.counts[k].series, withOutcome: withOutcome[k],
                                     outcomes: r.counts[k].withOutcome, missing: missing, smallCount: s)
            withOutcome[k] = parts[0]
            return Array(parts.dropFirst())
        }

        // 7: the numbers at risk at the chart's ticks, up to the last shown time.
        let lastShown = curves.compactMap { $0.points.last?.time }.max() ?? Double(r.spec.followUpDays)
        let ticks = ProtectedRiskTable.ticks(through: lastShown)
        let tables = (0..<2).map { k in atRisk(r.survival[k], series: series[k], curve: curves[k], days: ticks.days, smallCount: s) }
        let risk = ProtectedRiskTable(monthsPerTick: ticks.monthsPerTick, days: ticks.days, atRisk: tables.map(\.counts),
                                      withheldByDifference: tables.map(\.byDifference))

        // 3: statistics that would reveal the counts.
        let names = [r.spec.programme.name, r.spec.comparison.name]
        let enough = (0..<2).allSatisfy { k in withOutcome[k].value.map { $0 >= minDenominator } ?? false }
        var comparison = r.comparison, gInterval = r.gInterval, model = r.model, logRank = r.logRank
        if comparison != nil && !enough {
            comparison = nil
            gInterval = nil
            withheld.append("the change analyses are not shown: each cohort needs at least \(minDenominator) series with an outcome, and its count shown, because the statistics would reveal the counts (disclosure control, docs/evaluation.md)")
        }
        if let m = model, !enough || small(m.clusters) {
            model = nil
            withheld.append("the regression is not shown: it needs at least \(minDenominator) series with an outcome in each cohort, with their counts shown, and more than \(s) cases (disclosure control, docs/evaluation.md)")
        }
        if logRank != nil && series.contains(.suppressed) {
            logRank = nil
            withheld.append("the log-rank test is not shown: a cohort has fewer than \(s + 1) series (disclosure control)")
        }
        for k in 0..<2 where r.survival[k].events > 0 && curves[k].points.isEmpty {
            withheld.append("the Kaplan-Meier curve of \(names[k]) is not shown: too few series or sustained scores to show any step safely (disclosure control)")
        }
        return ProtectedEvaluation(spec: r.spec, scale: r.scale, rater: r.rater, asOf: r.asOf, smallCount: s, minDenominator: minDenominator,
                                   series: series, withOutcome: withOutcome, events: events, comparison: comparison,
                                   gInterval: gInterval, survival: curves, logRank: logRank, model: model,
                                   balance: balance(r.balance, smallCount: s, minDenominator: minDenominator),
                                   missingOutcome: missingOutcome, risk: risk, notes: r.notes + withheld, withheld: withheld)
    }

    /// Rule 4 on one curve: the shown points (block ends) and the median when it lies within them.
    public static func curve(_ km: KaplanMeier, smallCount s: Int) -> ProtectedCurve {
        func safe(_ n: Int) -> Bool { n == 0 || n > s }
        guard km.n > s else { return ProtectedCurve(points: [], median: nil) }
        var points: [ProtectedCurve.Point] = []
        var start = km.n, e = 0, c = 0
        for step in km.steps {
            e += step.events
            c += step.censored
            let remaining = start - e - c
            guard step.events > 0, e > s, safe(c), safe(remaining) else { continue }
            points.append(.init(time: step.time, survival: step.survival, lower: step.lower, upper: step.upper,
                                atRisk: start, events: e, censored: c))
            start = remaining
            e = 0
            c = 0
            if remaining == 0 { break }
        }
        let median = km.median.flatMap { m in points.last.map { m <= $0.time } == true ? m : nil }
        return ProtectedCurve(points: points, median: median)
    }
}
