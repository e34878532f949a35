import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkEvaluation

/// Writes the evaluation's record-level cohorts (`record-level/cohorts.csv`)
/// into the restricted folder: one row per series in a cohort, never suppressed.
public enum CohortsWriter {
    public static let cohortsHeader = ["case_id", "child_id", "scale", "rated_by", "cohort", "entry", "baseline_day", "baseline",
                                       "outcome_day", "outcome", "change", "engaged_hours", "days_to_sustained_or_censoring", "sustained"]

    public static func write(_ raw: EvaluationResult, t: Trajectories, ingest: IngestResult, folders: OutputFolders) throws {
        let spec = raw.spec
        let r = raw
        // One row per series in a cohort, sorted by key text.
        let ids = ingest.ids
        let rows = raw.members.sorted { a, b in
            let x = t.series[a.series], y = t.series[b.series]
            let kx = [ids.cases.string(x.caseID), ids.children.string(x.childID)], ky = [ids.cases.string(y.caseID), ids.children.string(y.childID)]
            return kx.lexicographicallyPrecedes(ky) { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        let file = try CSVWriter(path: try folders.restrictedPath("record-level/cohorts.csv"))
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
        folders.wroteRestricted("record-level/cohorts.csv")
    }
}
