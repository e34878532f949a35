import Foundation
import WaymarkCSV
import WaymarkStats
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// Writes an evaluation's outputs. Into the report folder, meant for sharing
/// and rendered only from a ``ProtectedEvaluation`` (EvaluationDisclosure):
/// `evaluation.json` (every figure shown, full precision), `evaluation.csv`
/// (one row per statistic with n per cohort and the parameters; a suppressed
/// count or withheld statistic is `c`) and `evaluation.html`. Into the
/// restricted folder: `record-level/cohorts.csv` (each series' cohort, entry,
/// baseline and outcome, so a researcher can redo the analysis).
public enum EvaluationWriter {
    public static let csvHeader = ["analysis", "statistic", "term", "value", "n_programme", "n_comparison", "programme", "comparison",
                                   "scale", "rated_by", "as_of", "follow_up_days", "bootstrap", "seed"]

    /// A statistic's value as written: a number, empty (not computed) or
    /// suppressed (`c`: a protected count, or withheld by disclosure control).
    public enum Value: Sendable, Equatable {
        case number(Double)
        case empty
        case suppressed
    }

    /// Every statistic as (analysis, statistic, term, value, n programme, n comparison).
    public static func statistics(_ r: ProtectedEvaluation) -> [(String, String, String, Value, ProtectedCount, ProtectedCount)] {
        var rows: [(String, String, String, Value, ProtectedCount, ProtectedCount)] = []
        let nOut = (r.withOutcome[0], r.withOutcome[1]), nAll = (r.series[0], r.series[1])
        func v(_ x: Double?) -> Value { x.map { .number($0) } ?? .empty }
        rows.append(("cohorts", "series", "", .empty, nAll.0, nAll.1))
        rows.append(("cohorts", "series_with_outcome", "", .empty, nOut.0, nOut.1))
        if let c = r.comparison {
            for (name, v) in [("mean_change_programme", c.mean1), ("mean_change_comparison", c.mean2), ("difference", c.difference),
                              ("difference_ci_low", c.differenceLow), ("difference_ci_high", c.differenceHigh), ("welch_t", c.t),
                              ("welch_df", c.df), ("welch_p", c.p)] {
                rows.append(("change", name, "", .number(v), nOut.0, nOut.1))
            }
            rows.append(("effect_size", "cohens_d", "", .number(c.cohensD), nOut.0, nOut.1))
            rows.append(("effect_size", "hedges_g", "", .number(c.hedgesG), nOut.0, nOut.1))
            if let ci = r.gInterval {
                rows.append(("effect_size", "hedges_g_ci_low", "bootstrap_percentile", .number(ci.low), nOut.0, nOut.1))
                rows.append(("effect_size", "hedges_g_ci_high", "bootstrap_percentile", .number(ci.high), nOut.0, nOut.1))
            }
        }
        for (k, curve) in r.survival.enumerated() {
            let label = k == 0 ? "programme" : "comparison"
            rows.append(("survival", "sustained_events_\(label)", "", r.events[k].value.map { .number(Double($0)) } ?? .suppressed, nAll.0, nAll.1))
            rows.append(("survival", "median_days_to_sustained_\(label)", "", v(curve.median), nAll.0, nAll.1))
        }
        if let lr = r.logRank {
            rows.append(("survival", "logrank_chi2", "", .number(lr.statistic), nAll.0, nAll.1))
            rows.append(("survival", "logrank_p", "", .number(lr.p), nAll.0, nAll.1))
        }
        if let m = r.model {
            for (i, term) in m.names.enumerated() {
                rows.append(("regression", "coefficient", term, .number(m.coefficients[i]), nOut.0, nOut.1))
                rows.append(("regression", "se_cr1", term, .number(m.standardErrors[i]), nOut.0, nOut.1))
                rows.append(("regression", "t", term, .number(m.t[i]), nOut.0, nOut.1))
                rows.append(("regression", "p", term, .number(m.p[i]), nOut.0, nOut.1))
            }
            rows.append(("regression", "r_squared", "", .number(m.rSquared), nOut.0, nOut.1))
            rows.append(("regression", "clusters", "", .number(Double(m.clusters)), nOut.0, nOut.1))
        }
        // Added after the original rows (never reorder): outcome availability, balance, numbers at risk.
        for (i, reason) in MissingOutcome.allCases.enumerated() {
            rows.append(("outcome_availability", "without_outcome", reason.rawValue, .empty, r.missingOutcome[0][i], r.missingOutcome[1][i]))
        }
        for b in r.balance {
            let term = b.level.isEmpty ? b.covariate : b.covariate + ":" + b.level
            func cell(_ x: Double?, _ k: Int) -> Value { x.map { .number($0) } ?? (b.withheld[k] ? .suppressed : .empty) }
            let stat = b.kind == .mean ? "mean" : "proportion"
            rows.append(("balance", "\(stat)_programme", term, cell(b.mean[0], 0), nAll.0, nAll.1))
            rows.append(("balance", "\(stat)_comparison", term, cell(b.mean[1], 1), nAll.0, nAll.1))
            if b.kind == .mean {
                rows.append(("balance", "sd_programme", term, cell(b.sd[0], 0), nAll.0, nAll.1))
                rows.append(("balance", "sd_comparison", term, cell(b.sd[1], 1), nAll.0, nAll.1))
            }
            rows.append(("balance", b.measuredAfterEntry ? "smd_measured_after_entry" : "smd", term,
                         b.smd.map { .number($0) } ?? (b.withheld.contains(true) ? .suppressed : .empty), nAll.0, nAll.1))
        }
        for (i, day) in r.risk.days.enumerated() {
            rows.append(("survival", "at_risk", "month_\(i * r.risk.monthsPerTick)", .number(day), r.risk.atRisk[0][i], r.risk.atRisk[1][i]))
        }
        return rows
    }

    static func cell(_ c: ProtectedCount) -> CSVCell { c.value.map { .integer($0) } ?? .text("c") }
    static func cell(_ v: Value) -> CSVCell {
        switch v {
        case .number(let x): return .number(x)
        case .empty: return .empty
        case .suppressed: return .text("c")
        }
    }
    static func jsonCell(_ c: ProtectedCount) -> JSON { c.value.map { .integer($0) } ?? .string("c") }
    static func jsonCell(_ v: Value) -> JSON {
        switch v {
        case .number(let x): return .number(x)
        case .empty: return .null
        case .suppressed: return .string("c")
        }
    }

    /// Writes the shared outputs (evaluation.csv, evaluation.json,
    /// evaluation.html) of a protected evaluation into the report folder.
    public static func write(_ r: ProtectedEvaluation, pipeline name: String, folders: OutputFolders) throws {
        let spec = r.spec
        let params: [CSVCell] = [.text(spec.programme.name), .text(spec.comparison.name), .text(r.scale), .text(r.rater.rawValue),
                                 .text(r.asOf.description), .integer(spec.followUpDays), .integer(spec.bootstrap), .text(String(spec.seed))]
        let csv = try CSVWriter(path: try folders.path("evaluation.csv"))
        try csv.write(header: csvHeader)
        for (analysis, statistic, term, value, n1, n2) in statistics(r) {
            try csv.write([.text(analysis), .text(statistic), .text(term), cell(value), cell(n1), cell(n2)] + params)
        }
        try csv.close()
        folders.wrote("evaluation.csv")

        let cohorts: [JSON] = (0..<2).map { k in
            .object([("name", .string(k == 0 ? spec.programme.name : spec.comparison.name)), ("series", jsonCell(r.series[k])),
                     ("series_with_outcome", jsonCell(r.withOutcome[k])), ("sustained_events", jsonCell(r.events[k]))])
        }
        let statisticRows: [JSON] = statistics(r).map { s in
            .object([("analysis", .string(s.0)), ("statistic", .string(s.1)), ("term", .string(s.2)), ("value", jsonCell(s.3)),
                     ("n_programme", jsonCell(s.4)), ("n_comparison", jsonCell(s.5))])
        }
        let curves: [JSON] = r.survival.enumerated().map { k, curve in
            let steps: [JSON] = curve.points.map { s in
                let lower: JSON = s.lower.map { .number($0) } ?? .null, upper: JSON = s.upper.map { .number($0) } ?? .null
                return .object([("day", .number(s.time)), ("at_risk", .integer(s.atRisk)), ("events", .integer(s.events)),
                                ("censored", .integer(s.censored)), ("survival", .number(s.survival)), ("lower", lower), ("upper", upper)])
            }
            return .object([("cohort", .string(k == 0 ? spec.programme.name : spec.comparison.name)), ("steps", .array(steps))])
        }
        let json = JSON.object([
            ("tool", .string("waymark")), ("version", .string(WaymarkVersion.string)),
            ("design", .string(EvaluationPage.designText)),
            ("parameters", .object([
                ("scale", .string(r.scale)), ("rated_by", .string(r.rater.rawValue)), ("as_of", .string(r.asOf.description)),
                ("follow_up_days", .integer(spec.followUpDays)), ("bootstrap", .integer(spec.bootstrap)), ("seed", .string(String(spec.seed))),
                ("programme", describe(spec.programme)), ("comparison", describe(spec.comparison)),
            ])),
            ("cohorts", .array(cohorts)), ("statistics", .array(statisticRows)), ("kaplan_meier", .array(curves)),
            ("notes", .array(r.notes.map { .string($0) })),
            ("outcome_availability", .array((0..<2).map { k in
                .object([("cohort", .string(k == 0 ? spec.programme.name : spec.comparison.name)), ("series_with_outcome", jsonCell(r.withOutcome[k]))]
                        + MissingOutcome.allCases.enumerated().map { i, reason in (reason.rawValue, jsonCell(r.missingOutcome[k][i])) })
            })),
            ("balance", .array(r.balance.map(balanceJSON))),
            ("numbers_at_risk", .object([
                ("days_per_month", .number(ProtectedRiskTable.daysPerMonth)), ("months_per_tick", .integer(r.risk.monthsPerTick)),
                ("days", .array(r.risk.days.map { .number($0) })),
                ("programme", .array(r.risk.atRisk[0].map(jsonCell))), ("comparison", .array(r.risk.atRisk[1].map(jsonCell))),
            ])),
        ])
        try Data(json.serialised().utf8).write(to: URL(fileURLWithPath: try folders.path("evaluation.json")))
        folders.wrote("evaluation.json")

        let html = EvaluationPage(result: r, pipeline: name).render()
        try Data(html.utf8).write(to: URL(fileURLWithPath: try folders.path("evaluation.html")))
        folders.wrote("evaluation.html")

    }

    /// One balance row in evaluation.json: a withheld figure is `"c"`, one not computable is null.
    static func balanceJSON(_ b: ProtectedBalanceRow) -> JSON {
        func value(_ x: Double?, _ k: Int) -> JSON { x.map { .number($0) } ?? (b.withheld[k] ? .string("c") : .null) }
        var fields: [(String, JSON)] = [("covariate", .string(b.covariate)), ("level", b.level.isEmpty ? .null : .string(b.level)),
                                        ("kind", .string(b.kind.rawValue)), ("measured_after_entry", .bool(b.measuredAfterEntry))]
        for (k, name) in ["programme", "comparison"].enumerated() {
            var cohort: [(String, JSON)] = [(b.kind == .mean ? "mean" : "proportion", value(b.mean[k], k))]
            if b.kind == .mean { cohort.append(("sd", value(b.sd[k], k))) }
            fields.append((name, .object(cohort)))
        }
        fields.append(("smd", b.smd.map { .number($0) } ?? (b.withheld.contains(true) ? .string("c") : .null)))
        fields.append(("imbalanced", b.smd == nil ? .null : .bool(b.imbalanced)))
        return .object(fields)
    }

    public static func describe(_ f: CohortFilter) -> JSON {
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
