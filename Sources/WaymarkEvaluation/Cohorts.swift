import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators

/// One series in an evaluation cohort (M12): its entry, baseline and
/// outcome, and its time to a sustained score.
public struct CohortMember: Sendable, Equatable {
    /// Index into `Trajectories.series`.
    public var series: Int
    /// 0 = programme, 1 = comparison.
    public var cohort: Int
    public var entry: Int32
    public var baselineDay: Int32
    public var baseline: Double
    /// The last point on or before entry + follow_up_days, later than the baseline; nil when there is none.
    public var outcomeDay: Int32?
    public var outcome: Double?
    public var change: Double? { outcome.map { $0 - baseline } }
    /// Planned hours of belonging help offered from entry to the outcome day and engaged by then.
    public var engagedHours: Double
    /// Days from entry to the first sustained point (event) or to the last point (censored).
    public var time: Int32
    public var sustained: Bool
    /// Why there is no outcome; nil when there is one.
    public var missingOutcome: MissingOutcome?

    /// A member without an outcome and without a stated reason (hand-made members) counts as having no score after its baseline.
    public init(series: Int, cohort: Int, entry: Int32, baselineDay: Int32, baseline: Double, outcomeDay: Int32?, outcome: Double?,
                engagedHours: Double, time: Int32, sustained: Bool, missingOutcome: MissingOutcome? = nil) {
        self.series = series; self.cohort = cohort; self.entry = entry; self.baselineDay = baselineDay; self.baseline = baseline
        self.outcomeDay = outcomeDay; self.outcome = outcome; self.engagedHours = engagedHours; self.time = time; self.sustained = sustained
        self.missingOutcome = outcome == nil ? (missingOutcome ?? .noScoreAfterBaseline) : nil
    }
}

/// Selects the programme and comparison cohorts among the series of one
/// scale and rater, as at the run's `as_of` (M12, with the readings in
/// docs/evaluation.md).
public enum CohortBuilder {
    public static func build(_ t: Trajectories, ingest: IngestResult, options: EvaluationOptions, spec: EvaluationSpec) -> [CohortMember] {
        let scaleName = spec.scaleName(options)
        guard let scaleIndex = options.scales.firstIndex(where: { $0.name == scaleName }) else { return [] }
        let support = t.support
        let scaleSpec = options.scales[scaleIndex]
        let rater = spec.rater(options)
        let iv = ingest.interventions
        let ids = ingest.ids
        let characteristics = ChildCharacteristics(ingest)

        /// The entry day of series `s` under filter `f`, or nil when it is not in the cohort.
        func entry(_ s: Series, _ f: CohortFilter) -> Int32? {
            if let l = f.level, (l == GroupName.family) != (s.childID == 0) { return nil }
            let team = s.team == 0 ? GroupName.unknown : ids.teams.string(s.team)
            if !f.teams.isEmpty && !f.teams.contains(team) { return nil }
            if !f.ageBands.isEmpty || !f.sexes.isEmpty || !f.ethnicityGroups.isEmpty || !f.disability.isEmpty {
                let c = characteristics.names(case: s.caseID, child: s.childID)   // age band, sex, ethnicity, disability
                for (k, wanted) in [f.ageBands, f.sexes, f.ethnicityGroups, f.disability].enumerated() where !wanted.isEmpty {
                    if !wanted.contains(c[k]) { return nil }
                }
            }
            for condition in f.series where !matches(s, condition) { return nil }
            let lo = f.from?.number ?? .min, hi = f.to?.number ?? .max
            guard f.usesOffer else { return s.firstDay >= lo && s.firstDay <= hi ? s.firstDay : nil }
            for idx in support.interventions(ofCase: Int(s.caseID)) {   // by offer day: the first match is the entry
                let v = Int(idx)
                let child = iv.childID[v]
                guard Belonging.interventionBelongs(interventionChild: child, seriesChild: s.childID) else { continue }
                guard iv.offered[v] >= lo && iv.offered[v] <= hi else { continue }
                if let type = f.offeredType, ids.texts.string(iv.type[v]) != type { continue }
                if let a = f.offeredApproach, iv.approach[v] != a.code { continue }
                return iv.offered[v]
            }
            return nil
        }

        func matches(_ s: Series, _ condition: SeriesCondition) -> Bool {
            switch condition {
            case .text(let field, let values):
                let text: String
                switch field {
                case .team: text = s.team == 0 ? GroupName.unknown : ids.teams.string(s.team)
                case .exposure: text = s.exposure?.name ?? ""
                case .reliable: text = s.reliable?.name ?? ""
                default: text = s.sustained.map { $0 ? "true" : "false" } ?? ""
                }
                return values.contains(text)
            case .range(let field, let lo, let hi):
                let value: Double?
                switch field {
                case .nPoints: value = Double(s.n)
                case .baseline: value = s.baseline
                case .latest: value = s.latest
                case .change: value = s.change
                case .firstDay: value = Double(s.firstDay)
                default: value = Double(s.lastDay)
                }
                guard let v = value else { return false }
                return (lo.map { v >= $0 } ?? true) && (hi.map { v <= $0 } ?? true)
            }
        }

        var members: [CohortMember] = []
        for (k, s) in t.series.enumerated() where Int(s.scale) == scaleIndex && s.rater == rater {
            var cohort = 0
            var e = entry(s, spec.programme)
            if e == nil {
                if spec.comparison.everyoneElse {
                    // Everyone else: entry at the series' first score, inside the programme's window.
                    let lo = spec.programme.from?.number ?? .min, hi = spec.programme.to?.number ?? .max
                    e = s.firstDay >= lo && s.firstDay <= hi ? s.firstDay : nil
                } else {
                    e = entry(s, spec.comparison)
                }
                cohort = 1
            }
            guard let entryDay = e, let member = measure(t, k, entry: entryDay, cohort: cohort, spec: spec, scale: scaleSpec,
                                                          support: support, ingest: ingest) else { continue }
            members.append(member)
        }
        return members
    }

    /// Baseline, outcome, engaged hours and time to a sustained point of one series from its entry day.
    static func measure(_ t: Trajectories, _ k: Int, entry: Int32, cohort: Int, spec: EvaluationSpec, scale: ScaleSpec,
                        support: SupportIndex, ingest: IngestResult) -> CohortMember? {
        let s = t.series[k]
        let points = t.points[s.points]
        guard let first = points.firstIndex(where: { $0.day >= entry }) else { return nil }
        let base = points[first]
        let limit = entry + Int32(spec.followUpDays)
        var outcome: Point?
        for p in points[(first + 1)...] where p.day <= limit { outcome = p }
        // Time to the first sustained point: both points of the pair on or after entry (M6's rule).
        var time = points[points.endIndex - 1].day - entry
        var sustained = false
        var j = first + 1
        while j < points.endIndex, scale.sustainedThreshold != nil {
            let a = points[j - 1], b = points[j]
            if scale.sustained(previous: (a.value, a.day), last: (b.value, b.day)) == true {
                time = b.day - entry
                sustained = true
                break
            }
            j += 1
        }
        var hours = 0.0
        if let end = outcome?.day {
            let iv = ingest.interventions
            for idx in support.interventions(ofCase: Int(s.caseID)) {
                let v = Int(idx)
                let child = iv.childID[v]
                guard Belonging.interventionBelongs(interventionChild: child, seriesChild: s.childID) else { continue }
                guard iv.offered[v] >= entry && iv.offered[v] < end, support.level(v, at: end) == .engaged else { continue }
                if !iv.plannedHours[v].isNaN { hours += iv.plannedHours[v] }
            }
        }
        let missing = outcome != nil ? nil : MissingOutcome.reason(entry: entry, baselineDay: base.day, lastDay: points[points.endIndex - 1].day,
                                                                  followUpDays: spec.followUpDays, asOf: t.asOf.number)
        return CohortMember(series: k, cohort: cohort, entry: entry, baselineDay: base.day, baseline: base.value,
                            outcomeDay: outcome?.day, outcome: outcome?.value, engagedHours: hours, time: time, sustained: sustained,
                            missingOutcome: missing)
    }
}
