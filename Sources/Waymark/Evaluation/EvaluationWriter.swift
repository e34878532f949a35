import Foundation
import WaymarkCSV
import WaymarkStats

/// Writes an evaluation's outputs: `evaluation.json` (everything, full
/// precision), `evaluation.csv` (one row per statistic with n per cohort and
/// the parameters), `evaluation.html` and `record-level/cohorts.csv` (each
/// series' cohort, entry, baseline and outcome, so a researcher can redo it).
public enum EvaluationWriter {
    public static let csvHeader = ["analysis", "statistic", "term", "value", "n_programme", "n_comparison", "programme", "comparison",
                                   "scale", "rated_by", "as_of", "follow_up_days", "bootstrap", "seed"]
    public static let cohortsHeader = ["case_id", "child_id", "scale", "rated_by", "cohort", "entry", "baseline_day", "baseline",
                                       "outcome_day", "outcome", "change", "engaged_hours", "days_to_sustained_or_censoring", "sustained"]

    /// Every statistic as (analysis, statistic, term, value, n programme, n comparison).
    public static func statistics(_ r: EvaluationResult) -> [(String, String, String, Double?, Int, Int)] {
        var rows: [(String, String, String, Double?, Int, Int)] = []
        let nOut = (r.counts[0].withOutcome, r.counts[1].withOutcome), nAll = (r.counts[0].series, r.counts[1].series)
        rows.append(("cohorts", "series", "", nil, nAll.0, nAll.1))
        rows.append(("cohorts", "series_with_outcome", "", nil, nOut.0, nOut.1))
        if let c = r.comparison {
            for (name, v) in [("mean_change_programme", c.mean1), ("mean_change_comparison", c.mean2), ("difference", c.difference),
                              ("difference_ci_low", c.differenceLow), ("difference_ci_high", c.differenceHigh), ("welch_t", c.t),
                              ("welch_df", c.df), ("welch_p", c.p)] {
                rows.append(("change", name, "", v, nOut.0, nOut.1))
            }
            rows.append(("effect_size", "cohens_d", "", c.cohensD, nOut.0, nOut.1))
            rows.append(("effect_size", "hedges_g", "", c.hedgesG, nOut.0, nOut.1))
            if let ci = r.gInterval {
                rows.append(("effect_size", "hedges_g_ci_low", "bootstrap_percentile", ci.low, nOut.0, nOut.1))
                rows.append(("effect_size", "hedges_g_ci_high", "bootstrap_percentile", ci.high, nOut.0, nOut.1))
            }
        }
        for (k, km) in r.survival.enumerated() {
            let label = k == 0 ? "programme" : "comparison"
            rows.append(("survival", "sustained_events_\(label)", "", Double(km.events), nAll.0, nAll.1))
            rows.append(("survival", "median_days_to_sustained_\(label)", "", km.median, nAll.0, nAll.1))
        }
        if let lr = r.logRank {
            rows.append(("survival", "logrank_chi2", "", lr.statistic, nAll.0, nAll.1))
            rows.append(("survival", "logrank_p", "", lr.p, nAll.0, nAll.1))
        }
        if let m = r.model {
            for (i, term) in m.names.enumerated() {
                rows.append(("regression", "coefficient", term, m.coefficients[i], nOut.0, nOut.1))
                rows.append(("regression", "se_cr1", term, m.standardErrors[i], nOut.0, nOut.1))
                rows.append(("regression", "t", term, m.t[i], nOut.0, nOut.1))
                rows.append(("regression", "p", term, m.p[i], nOut.0, nOut.1))
            }
            rows.append(("regression", "r_squared", "", m.rSquared, nOut.0, nOut.1))
            rows.append(("regression", "clusters", "", Double(m.clusters), nOut.0, nOut.1))
        }
        return rows
    }

    public static func write(_ r: EvaluationResult, t: Trajectories, ingest: IngestResult, config: PipelineConfig, context: RunContext) throws {
        let spec = r.spec
        let params: [CSVCell] = [.text(spec.programme.name), .text(spec.comparison.name), .text(r.scale), .text(r.rater.rawValue),
                                 .text(r.asOf.description), .integer(spec.followUpDays), .integer(spec.bootstrap), .text(String(spec.seed))]
        let csv = try CSVWriter(path: try context.path("evaluation.csv"))
        try csv.write(header: csvHeader)
        for (analysis, statistic, term, value, n1, n2) in statistics(r) {
            try csv.write([.text(analysis), .text(statistic), .text(term), value.map { .number($0) } ?? .empty, .integer(n1), .integer(n2)] + params)
        }
        try csv.close()
        context.wrote("evaluation.csv")

        let json = JSON.object([
            ("tool", .string("waymark")), ("version", .string(WaymarkVersion.string)),
            ("design", .string(EvaluationPage.designText)),
            ("parameters", .object([
                ("scale", .string(r.scale)), ("rated_by", .string(r.rater.rawValue)), ("as_of", .string(r.asOf.description)),
                ("follow_up_days", .integer(spec.followUpDays)), ("bootstrap", .integer(spec.bootstrap)), ("seed", .string(String(spec.seed))),
                ("programme", describe(spec.programme)), ("comparison", describe(spec.comparison)),
            ])),
            ("cohorts", .array((0..<2).map { k in .object([
                ("name", .string(k == 0 ? spec.programme.name : spec.comparison.name)), ("series", .integer(r.counts[k].series)),
                ("series_with_outcome", .integer(r.counts[k].withOutcome)), ("sustained_events", .integer(r.counts[k].events)),
            ]) })),
            ("statistics", .array(statistics(r).map { s in .object([
                ("analysis", .string(s.0)), ("statistic", .string(s.1)), ("term", .string(s.2)), ("value", s.3.map { .number($0) } ?? .null),
                ("n_programme", .integer(s.4)), ("n_comparison", .integer(s.5)),
            ]) })),
            ("kaplan_meier", .array(r.survival.enumerated().map { k, km in .object([
                ("cohort", .string(k == 0 ? spec.programme.name : spec.comparison.name)),
                ("steps", .array(km.steps.map { s in .object([
                    ("day", .number(s.time)), ("at_risk", .integer(s.atRisk)), ("events", .integer(s.events)), ("censored", .integer(s.censored)),
                    ("survival", .number(s.survival)), ("lower", s.lower.map { .number($0) } ?? .null), ("upper", s.upper.map { .number($0) } ?? .null),
                ]) })),
            ]) })),
            ("notes", .array(r.notes.map { .string($0) })),
        ])
        try Data(json.serialised().utf8).write(to: URL(fileURLWithPath: try context.path("evaluation.json")))
        context.wrote("evaluation.json")

        let html = EvaluationPage(result: r, config: config).render()
        try Data(html.utf8).write(to: URL(fileURLWithPath: try context.path("evaluation.html")))
        context.wrote("evaluation.html")

        // Record-level: one row per series in a cohort, sorted by key text.
        let ids = ingest.ids
        let rows = r.members.sorted { a, b in
            let x = t.series[a.series], y = t.series[b.series]
            let kx = [ids.cases.string(x.caseID), ids.children.string(x.childID)], ky = [ids.cases.string(y.caseID), ids.children.string(y.childID)]
            return kx.lexicographicallyPrecedes(ky) { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        let file = try CSVWriter(path: try context.path("record-level/cohorts.csv"))
        try file.write(header: cohortsHeader)
        for m in rows {
            let s = t.series[m.series]
            try file.write([
                .text(ids.cases.string(s.caseID)), .text(ids.children.string(s.childID)), .text(r.scale), .text(r.rater.rawValue),
                .text(m.cohort == 0 ? spec.programme.name : spec.comparison.name), .text(Day(number: m.entry).description),
                .text(Day(number: m.baselineDay).description), .number(m.baseline),
                m.outcomeDay.map { .text(Day(number: $0).description) } ?? .empty, m.outcome.map { .number($0) } ?? .empty,
                m.change.map { .number($0) } ?? .empty, .number(m.engagedHours), .integer(Int(m.time)), .text(m.sustained ? "true" : "false"),
            ])
        }
        try file.close()
        context.wrote("record-level/cohorts.csv")
    }

    static func describe(_ f: CohortFilter) -> JSON {
        var fields: [(String, JSON)] = [("name", .string(f.name))]
        if f.everyoneElse { fields.append(("everyone_else", .bool(true))) }
        if let t = f.offeredType { fields.append(("offered_type", .string(t))) }
        if let a = f.offeredApproach { fields.append(("offered_approach", .string(a.rawValue))) }
        if let d = f.from { fields.append(("from", .string(d.description))) }
        if let d = f.to { fields.append(("to", .string(d.description))) }
        for (k, v) in [("teams", f.teams), ("age_bands", f.ageBands), ("sex", f.sexes), ("ethnicity_groups", f.ethnicityGroups),
                       ("disability", f.disability)] where !v.isEmpty {
            fields.append((k, .array(v.map { .string($0) })))
        }
        if let l = f.level { fields.append(("level", .string(l))) }
        if !f.series.isEmpty {
            fields.append(("series", .array(f.series.map { c -> JSON in
                switch c {
                case .text(let field, let values): return .object([("field", .string(field.rawValue)), ("any_of", .array(values.map { .string($0) }))])
                case .range(let field, let lo, let hi):
                    func bound(_ v: Double?) -> JSON { v.map { field.isDay ? .string(Day(number: Int32($0)).description) : .number($0) } ?? .null }
                    return .object([("field", .string(field.rawValue)), ("min", bound(lo)), ("max", bound(hi))])
                }
            })))
        }
        return .object(fields)
    }
}
