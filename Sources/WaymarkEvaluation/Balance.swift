import WaymarkStats
import WaymarkMethods

/// One row of the baseline balance table (docs/evaluation.md): a covariate's
/// mean and SD per cohort, or one level's share per cohort, and the
/// standardised mean difference (programme minus comparison, Austin 2009).
public struct BalanceRow: Sendable, Equatable {
    /// A mean (and SD) of a numeric covariate, or one level's share of a categorical one.
    public enum Kind: String, Sendable { case mean, proportion }
    /// `baseline`, `days_open_before_entry`, `level`, `team`, `age_band`, `sex`, `ethnicity_group`, `disability` or `engaged_hours`.
    public var covariate: String
    /// The level of a proportion row (a team, an age band, ...); empty for a mean.
    public var level: String
    public var kind: Kind
    /// Measured after entry (engaged hours): adjusting for it can hide part of the programme's effect.
    public var measuredAfterEntry: Bool
    /// Per cohort (programme, comparison): the series the figure rests on.
    public var n: [Int]
    /// Per cohort: series in the level (proportions); equal to `n` for a mean.
    public var count: [Int]
    /// Per cohort: the mean, or the level's share (NaN when n is 0).
    public var mean: [Double]
    /// Per cohort: the sample SD (NaN below 2 series, and for proportions).
    public var sd: [Double]
    /// The standardised mean difference; nil when undefined.
    public var smd: Double?

    /// |SMD| above 0.1 (StandardizedDifference.threshold).
    public var imbalanced: Bool { smd.map { abs($0) > StandardizedDifference.threshold } ?? false }
}

/// Builds the baseline balance table of two cohorts.
public enum BalanceTable {
    /// Rows in order: baseline score (every series), days open before entry
    /// (series whose case has an episode opened by entry), whole family or one
    /// child, team, the child's age band, sex, ethnicity group and disability (child series), then engaged
    /// hours (series with an outcome; measured after entry). A categorical
    /// covariate with fewer than two levels among the cohorts has no rows;
    /// without `traits` only the baseline and engaged hours are given.
    public static func rows(_ members: [CohortMember], traits: [MemberTraits]?) -> [BalanceRow] {
        var rows: [BalanceRow] = []
        func continuous(_ key: String, afterEntry: Bool = false, _ value: (Int) -> Double?) {
            var values: [[Double]] = [[], []]
            for (i, m) in members.enumerated() { if let v = value(i) { values[m.cohort].append(v) } }
            guard !values[0].isEmpty || !values[1].isEmpty else { return }
            let means = values.map(Descriptive.mean), variances = values.map(Descriptive.variance)
            rows.append(BalanceRow(covariate: key, level: "", kind: .mean, measuredAfterEntry: afterEntry, n: values.map(\.count),
                                   count: values.map(\.count), mean: means, sd: variances.map { $0.squareRoot() },
                                   smd: StandardizedDifference.means(means[0], variances[0], means[1], variances[1])))
        }
        func categorical(_ key: String, _ value: (Int) -> String?, order: ([String]) -> [String]) {
            var counts: [String: [Int]] = [:], n = [0, 0]
            for (i, m) in members.enumerated() {
                guard let v = value(i) else { continue }
                counts[v, default: [0, 0]][m.cohort] += 1
                n[m.cohort] += 1
            }
            guard counts.count >= 2 else { return }
            for level in order(Array(counts.keys)) {
                let c = counts[level]!
                let p = (0..<2).map { n[$0] > 0 ? Double(c[$0]) / Double(n[$0]) : .nan }
                rows.append(BalanceRow(covariate: key, level: level, kind: .proportion, measuredAfterEntry: false, n: n, count: c,
                                       mean: p, sd: [.nan, .nan], smd: p.allSatisfy(\.isFinite) ? StandardizedDifference.proportions(p[0], p[1]) : nil))
            }
        }
        continuous("baseline") { members[$0].baseline }
        if let traits {
            continuous("days_open_before_entry") { traits[$0].daysOpenBeforeEntry }
            categorical("level", { traits[$0].level }, order: { $0.sorted { ($0 == GroupName.family ? 0 : 1) < ($1 == GroupName.family ? 0 : 1) } })
            categorical("team", { traits[$0].team }, order: groupOrder)
            categorical("age_band", { traits[$0].ageBand }, order: groupOrder)
            categorical("sex", { traits[$0].sex }, order: groupOrder)
            categorical("ethnicity_group", { traits[$0].ethnicityGroup }, order: groupOrder)
            categorical("disability", { traits[$0].disability }, order: groupOrder)
        }
        continuous("engaged_hours", afterEntry: true) { members[$0].change == nil ? nil : members[$0].engagedHours }
        return rows
    }

    /// Natural order: by the leading number where both have one (age bands 0-4, 5-9, 10-15), else alphabetical; `unknown` last.
    static func groupOrder(_ levels: [String]) -> [String] {
        func leading(_ s: String) -> Int? { Int(s.prefix { $0.isNumber }) }
        return levels.sorted { a, b in
            if (a == GroupName.unknown) != (b == GroupName.unknown) { return b == GroupName.unknown }
            if let x = leading(a), let y = leading(b), x != y { return x < y }
            return a < b
        }
    }
}
