import GRDB
import WaymarkCore

/// A figure for a month end that a later run published differently from an
/// earlier run with the same parameters: its status changed, or its value
/// moved by more than 1e-9 (OUTPUTS.md "History").
public struct Restatement: Sendable {
    public var key: SeriesKey
    public var asOf: Day
    public var earlier: RunSummary
    public var later: RunSummary
    public var before: HistoryFigure
    public var after: HistoryFigure
    /// The likely cause, in words (``HistoryStore/cause(earlier:laterRows:monthEnd:)``).
    public var cause: String

    /// Disclosure over time: a change in value is shown only when both figures were published.
    public var showsValues: Bool { before.isPublished && after.isPublished }
}

/// A run whose parameters differ from the run before it: its figures are a
/// method change, never restatements.
public struct MethodChange: Sendable {
    public var run: RunSummary
    public var previous: RunSummary
}

extension HistoryStore {
    /// Every restatement among a pipeline's published runs, in run order: each
    /// figure compared with the same series and month end in the latest
    /// earlier run with the same parameters' hash that published it.
    public func restatements(pipeline: String, series: Set<SeriesKey>? = nil) throws -> [Restatement] {
        let runs = Dictionary(uniqueKeysWithValues: try self.runs(pipeline: pipeline).map { ($0.id, $0) })
        let rows: [Row] = try pool.read { db in
            try Row.fetchAll(db, sql: """
                WITH f AS (
                    SELECT f.series_id, f.as_of, f.run_id, f.status, f.numerator, f.denominator, f.value, r.parameters_hash AS ph
                    FROM figure f JOIN run r ON r.id = f.run_id
                    WHERE r.pipeline = ? AND r.kind = 'published'
                ), l AS (
                    SELECT f.*, LAG(run_id) OVER w AS p_run, LAG(status) OVER w AS p_status, LAG(numerator) OVER w AS p_numerator,
                           LAG(denominator) OVER w AS p_denominator, LAG(value) OVER w AS p_value
                    FROM f WINDOW w AS (PARTITION BY ph, series_id, as_of ORDER BY run_id)
                )
                SELECT l.series_id, l.as_of, l.run_id, l.status, l.numerator, l.denominator, l.value,
                       l.p_run, l.p_status, l.p_numerator, l.p_denominator, l.p_value,
                       s.kind, s.indicator_id, s.scale, s.rated_by, s.breakdown, s.grp
                FROM l JOIN series s ON s.id = l.series_id
                WHERE l.p_run IS NOT NULL
                  AND (l.status <> l.p_status OR (l.value IS NULL) <> (l.p_value IS NULL) OR ABS(l.value - l.p_value) > 1e-9
                       OR l.denominator IS NOT l.p_denominator)
                ORDER BY l.run_id, l.series_id, l.as_of
                """, arguments: [pipeline])
        }
        var causes: [String: String] = [:]
        var out: [Restatement] = []
        for r in rows {
            let key = SeriesKey(r, from: 12)
            if let series, !series.contains(key) { continue }
            let day = Day(number: r[1])
            guard let later = runs[r[2]], let earlier = runs[r[7]] else { continue }
            let after = HistoryFigure(key: key, asOf: day, status: r[3], numerator: r[4], denominator: r[5], value: r[6])
            let before = HistoryFigure(key: key, asOf: day, status: r[8], numerator: r[9], denominator: r[10], value: r[11])
            let causeKey = "\(earlier.id)/\(later.id)/\(day.number)"
            if causes[causeKey] == nil {
                causes[causeKey] = try cause(earlier: earlier.id, laterRows: try rowsDated(onOrBefore: day, run: later.id), monthEnd: day)
            }
            out.append(Restatement(key: key, asOf: day, earlier: earlier, later: later, before: before, after: after, cause: causes[causeKey]!))
        }
        return out
    }

    /// Runs whose parameters' hash differs from the previous run of the same pipeline and kind.
    public func methodChanges(pipeline: String) throws -> [MethodChange] {
        var out: [MethodChange] = []
        var last: [String: RunSummary] = [:]
        for run in try runs(pipeline: pipeline) {
            if let p = last[run.kind], p.parametersHash != run.parametersHash { out.append(MethodChange(run: run, previous: p)) }
            last[run.kind] = run
        }
        return out
    }

    /// The likely cause of a change at `monthEnd` between a recorded run and a
    /// later one that read `laterRows` (accepted rows per file dated on or
    /// before the month end): late-recorded data when the later run has more
    /// such rows, in words naming the files and counts.
    public func cause(earlier: Int64, laterRows: [String: Int], monthEnd: Day) throws -> String {
        let before = try rowsDated(onOrBefore: monthEnd, run: earlier)
        var late: [String] = []
        var fewer: [String] = []
        for file in Set(before.keys).union(laterRows.keys).sorted() {
            let delta = (laterRows[file] ?? 0) - (before[file] ?? 0)
            if delta > 0 { late.append("\(delta) \(file) row\(delta == 1 ? "" : "s")") }
            if delta < 0 { fewer.append("\(-delta) \(file) row\(delta == -1 ? "" : "s")") }
        }
        if !late.isEmpty {
            return "late-recorded data: \(late.joined(separator: ", ")) dated on or before \(monthEnd) that the earlier run did not have"
        }
        if !fewer.isEmpty { return "rows removed or rejected since: \(fewer.joined(separator: ", ")) fewer dated on or before \(monthEnd)" }
        return "rows dated on or before \(monthEnd) were corrected (the counts are unchanged)"
    }

    /// For a run not yet recorded: each of its `figures` that an earlier run
    /// with the same parameters first published differently, with the first
    /// publication and the likely cause (`rows`: the new run's accepted rows
    /// per file and month end).
    public func revisions(of figures: [HistoryFigure], pipeline: String, parametersHash: String,
                          rows: [String: [Day: Int]]) throws -> [(first: HistoryFigure, firstRun: RunSummary, now: HistoryFigure, cause: String)] {
        let runs = try self.runs(pipeline: pipeline).filter { $0.kind == RunRecord.Kind.published.rawValue && $0.parametersHash == parametersHash }
        guard !runs.isEmpty else { return [] }
        let keys = Set(figures.map(\.key))
        let byID = Dictionary(uniqueKeysWithValues: runs.map { ($0.id, $0) })
        struct At: Hashable { var key: SeriesKey; var day: Int32 }
        var first: [At: (HistoryFigure, RunSummary)] = [:]
        let earlier = try pool.read { db in try self.figures(db, runs: runs.map(\.id), series: keys) }
        for (id, f) in earlier {
            let k = At(key: f.key, day: f.asOf.number)
            if first[k] == nil, let run = byID[id] { first[k] = (f, run) }
        }
        var out: [(first: HistoryFigure, firstRun: RunSummary, now: HistoryFigure, cause: String)] = []
        for f in figures {
            guard let (was, run) = first[At(key: f.key, day: f.asOf.number)], f.differs(from: was) else { continue }
            var dated: [String: Int] = [:]
            for (file, months) in rows { dated[file] = months.filter { $0.key <= f.asOf }.reduce(0) { $0 + $1.value } }
            out.append((was, run, f, try cause(earlier: run.id, laterRows: dated, monthEnd: f.asOf)))
        }
        return out
    }
}
