import WaymarkStats
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators

/// The results of a programme evaluation (M12): the cohorts and every statistic.
public struct EvaluationResult: Sendable {
    public var spec: EvaluationSpec
    public var scale: String
    public var rater: Rater
    public var asOf: Day
    public var members: [CohortMember]
    /// Per cohort (programme, comparison): series, series with an outcome, sustained events.
    public var counts: [(series: Int, withOutcome: Int, events: Int)]
    /// Change from baseline to outcome, programme against comparison.
    public var comparison: TwoSampleComparison?
    public var gInterval: (low: Double, high: Double)?
    public var survival: [KaplanMeier]
    public var logRank: LogRankTest?
    public var model: ClusteredOLS?
    /// The baseline balance table (BalanceTable).
    public var balance: [BalanceRow] = []
    /// Per cohort, per reason (MissingOutcome.allCases order): series without an outcome.
    public var missingOutcome: [[Int]] = []
    /// Why a statistic could not be computed.
    public var notes: [String]
}

/// Runs M12 on built trajectories: cohorts, Welch's test and Hedges' g with
/// a percentile bootstrap interval, Kaplan-Meier curves and the log-rank
/// test of time to a sustained score, and OLS of change on baseline, cohort
/// and engaged planned hours with case-clustered (CR1) errors.
public enum EvaluationEngine {
    public static func run(_ t: Trajectories, ingest: IngestResult, options: EvaluationOptions, spec: EvaluationSpec) -> EvaluationResult {
        let members = CohortBuilder.build(t, ingest: ingest, options: options, spec: spec)
        let scale = spec.scaleName(options)
        return statistics(members, clusterOf: { Int(t.series[$0.series].caseID) }, spec: spec, scale: scale,
                          rater: spec.rater(options), asOf: t.asOf, hasThreshold: options.scale(named: scale)?.sustainedThreshold != nil,
                          traits: MemberTraits.of(members, t, ingest: ingest))
    }

    /// The statistics of M12 on cohort members already selected (on `scale` by
    /// `rater` as at `asOf`); `clusterOf` gives each member's case; `traits`
    /// (one per member) the balance table's covariates beyond the scores.
    public static func statistics(_ members: [CohortMember], clusterOf: (CohortMember) -> Int, spec: EvaluationSpec,
                                  scale: String, rater: Rater, asOf: Day, hasThreshold: Bool,
                                  traits: [MemberTraits]? = nil) -> EvaluationResult {
        var notes: [String] = []
        let byCohort = [members.filter { $0.cohort == 0 }, members.filter { $0.cohort == 1 }]
        let counts = byCohort.map { m in (m.count, m.filter { $0.change != nil }.count, m.filter(\.sustained).count) }
        let changes = byCohort.map { $0.compactMap(\.change) }
        let comparison = TwoSampleComparison(changes[0], changes[1])
        var interval: (Double, Double)?
        if comparison != nil {
            interval = TwoSampleComparison.bootstrapG(changes[0], changes[1], resamples: spec.bootstrap, seed: spec.seed)
        } else {
            notes.append("the change analyses need at least 2 series with an outcome in each cohort")
        }
        let survival = byCohort.map { KaplanMeier(durations: $0.map { Double($0.time) }, observed: $0.map(\.sustained)) }
        if !hasThreshold { notes.append("the scale declares no sustained_threshold: no sustained events, so no survival analysis") }
        let logRank = LogRankTest(durations1: byCohort[0].map { Double($0.time) }, observed1: byCohort[0].map(\.sustained),
                                  durations2: byCohort[1].map { Double($0.time) }, observed2: byCohort[1].map(\.sustained))
        if logRank == nil { notes.append("the log-rank test needs at least one sustained event") }
        let measured = members.filter { $0.change != nil }
        let model = ClusteredOLS(names: ["const", "baseline", "programme", "engaged_hours"],
                                 rows: measured.map { [1, $0.baseline, $0.cohort == 0 ? 1 : 0, $0.engagedHours] },
                                 y: measured.map { $0.change! }, cluster: measured.map(clusterOf))
        if model == nil { notes.append("the regression could not be fitted (too few series or cases, or collinear terms)") }
        let missing = byCohort.map { m in MissingOutcome.allCases.map { reason in m.filter { $0.missingOutcome == reason }.count } }
        return EvaluationResult(spec: spec, scale: scale, rater: rater, asOf: asOf, members: members,
                                counts: counts, comparison: comparison, gInterval: interval, survival: survival, logRank: logRank,
                                model: model, balance: BalanceTable.rows(members, traits: traits), missingOutcome: missing, notes: notes)
    }
}
