import Foundation
import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkEvaluation

/// Writes the record-level research exports (OUTPUTS.md): `record-level/`
/// with `README.txt` (first line the marker), `series.csv`, `segments.csv` and
/// `points.csv`. Rows are sorted by their key as text (case, child, scale,
/// rater, then day), so two runs diff cleanly whatever order the input had.
/// Never suppressed: these are for researchers inside the organisation, so
/// they go into the run's restricted folder (`RunContext.restrictedFolder`),
/// never into the shared report folder.
public enum RecordLevelWriter {
    public static let marker = "contains record-level pseudonymised data"
    public static let seriesHeader = ["case_id", "child_id", "scale", "rated_by", "team", "n_points", "first_day", "last_day",
                                      "baseline", "latest", "change", "slope_per_30d", "rci", "reliable", "sustained", "exposure"]
    public static let segmentsHeader = ["case_id", "child_id", "scale", "rated_by", "start", "end", "start_value", "end_value",
                                        "change", "direction", "context", "withdrawn", "planned_hours", "active_interventions"]
    public static let pointsHeader = ["case_id", "child_id", "scale", "rated_by", "day", "value", "raw_scores"]

    public static func write(_ t: Trajectories, ingest: IngestResult, scales: [String], pipeline name: String, folders: OutputFolders) throws {
        let ids = ingest.ids
        let caseRank = ranks(ids.cases)
        let childRank = ranks(ids.children)
        let scaleRank = ranksOf(scales)
        let raterRank = ranksOf(Rater.allCases.map(\.rawValue))
        let order = t.series.indices.sorted { a, b in
            let x = t.series[a], y = t.series[b]
            if x.caseID != y.caseID { return caseRank[Int(x.caseID)] < caseRank[Int(y.caseID)] }
            if x.childID != y.childID { return childRank[Int(x.childID)] < childRank[Int(y.childID)] }
            if x.scale != y.scale { return scaleRank[Int(x.scale)] < scaleRank[Int(y.scale)] }
            return raterRank[Int(x.rater.code) - 1] < raterRank[Int(y.rater.code) - 1]
        }
        let readme = """
        \(marker)
        Written by Waymark \(WaymarkVersion.string) for pipeline \(name), as at \(t.asOf).
        These files hold one row per series, segment or point: pseudonymised, never suppressed.
        Keep them inside the organisation. Column meanings: docs/outputs.md and docs/methods.md.

        """
        try Data(readme.utf8).write(to: URL(fileURLWithPath: try folders.restrictedPath("record-level/README.txt")))
        folders.wroteRestricted("record-level/README.txt")

        let seriesFile = try CSVWriter(path: try folders.restrictedPath("record-level/series.csv"))
        let segmentsFile = try CSVWriter(path: try folders.restrictedPath("record-level/segments.csv"))
        let pointsFile = try CSVWriter(path: try folders.restrictedPath("record-level/points.csv"))
        try seriesFile.write(header: seriesHeader)
        try segmentsFile.write(header: segmentsHeader)
        try pointsFile.write(header: pointsHeader)
        // Cell by cell into each writer's buffer (no array or string per cell);
        // the four key cells are escaped once per series and reused on its rows,
        // the words of the fixed vocabularies once per run, and every day in
        // the data's range is formatted once into a table.
        let days = DayCells(t.series.lazy.flatMap { [$0.firstDay, $0.lastDay] })
        let raterCells = Rater.allCases.map { CSVWriter.escaped($0.rawValue) }
        let scaleCells = scales.map(CSVWriter.escaped)
        let directionCells = Direction.allCases.map { CSVWriter.escaped($0.name) }
        let contextCells = SupportContext.allCases.map { CSVWriter.escaped($0.name) }
        let booleanCells = [CSVWriter.escaped("false"), CSVWriter.escaped("true")]
        func day(_ w: CSVWriter, _ number: Int32) { days.write(number, to: w) }
        for index in order {
            let s = t.series[index]
            let key = CSVWriter.escaped(ids.cases.string(s.caseID)) + [0x2C] + CSVWriter.escaped(ids.children.string(s.childID))
                + [0x2C] + scaleCells[Int(s.scale)] + [0x2C] + raterCells[Int(s.rater.code) - 1]
            seriesFile.raw(key)
            seriesFile.text(s.team == 0 ? GroupName.unknown : ids.teams.string(s.team))
            seriesFile.integer(s.n)
            day(seriesFile, s.firstDay)
            day(seriesFile, s.lastDay)
            seriesFile.number(s.baseline)
            seriesFile.number(s.latest)
            seriesFile.number(s.change)
            seriesFile.number(s.slopePer30Days)
            seriesFile.number(s.rci)
            if let r = s.reliable { seriesFile.text(r.name) } else { seriesFile.empty() }
            if let x = s.sustained { seriesFile.text(x ? "true" : "false") } else { seriesFile.empty() }
            if let e = s.exposure { seriesFile.text(e.name) } else { seriesFile.empty() }
            try seriesFile.endRow()
            for (j, k) in s.segments.enumerated() {
                let g = t.segments[k]
                let a = t.points[s.points.lowerBound + j], b = t.points[s.points.lowerBound + j + 1]
                segmentsFile.raw(key)
                day(segmentsFile, g.start)
                day(segmentsFile, g.end)
                segmentsFile.number(a.value)
                segmentsFile.number(b.value)
                segmentsFile.number(g.change)
                segmentsFile.raw(directionCells[Int(g.direction.rawValue)])
                segmentsFile.raw(contextCells[Int(g.context.rawValue)])
                segmentsFile.raw(booleanCells[g.withdrawn ? 1 : 0])
                segmentsFile.number(g.plannedHours)
                segmentsFile.integer(Int(g.activeInterventions))
                try segmentsFile.endRow()
            }
            for k in s.points {
                let p = t.points[k]
                pointsFile.raw(key)
                day(pointsFile, p.day)
                pointsFile.number(p.value)
                pointsFile.integer(Int(p.rawScores))
                try pointsFile.endRow()
            }
        }
        for (writer, name) in [(seriesFile, "series.csv"), (segmentsFile, "segments.csv"), (pointsFile, "points.csv")] {
            try writer.close()
            folders.wroteRestricted("record-level/\(name)")
        }
    }

    /// Every day from the earliest to the latest the files hold, formatted
    /// once as YYYY-MM-DD (ten bytes each); a day outside that range is
    /// formatted when written.
    struct DayCells {
        let first: Int32
        let text: [UInt8]

        init<S: Sequence>(_ days: S) where S.Element == Int32 {
            var lo = Int32.max, hi = Int32.min
            for d in days { lo = min(lo, d); hi = max(hi, d) }
            guard lo <= hi, hi - lo < 1 << 20 else { first = 0; text = []; return }
            first = lo
            var out: [UInt8] = []
            out.reserveCapacity(Int(hi - lo + 1) * 10)
            for d in lo...hi { out.append(contentsOf: Day(number: d).description.utf8) }
            // Years outside 1000-9999 are not ten bytes: then every day is formatted when written.
            text = out.count == Int(hi - lo + 1) * 10 ? out : []
        }

        func write(_ day: Int32, to w: CSVWriter) {
            let k = Int(day) - Int(first)
            if k >= 0 && (k + 1) * 10 <= text.count {
                text.withUnsafeBufferPointer { w.raw(UnsafeBufferPointer(rebasing: $0[(k * 10)..<(k * 10 + 10)])) }
            } else {
                let c = Day(number: day).components
                w.date(year: c.year, month: c.month, day: c.day)
            }
        }
    }

    /// Rank of each code when the pool's strings are sorted by their UTF-8 bytes.
    static func ranks(_ pool: Interner) -> [Int32] {
        let strings = (0..<pool.count).map { Array(pool.string(UInt32($0)).utf8) }
        let sorted = strings.indices.sorted { strings[$0].lexicographicallyPrecedes(strings[$1]) }
        var rank = [Int32](repeating: 0, count: strings.count)
        for (r, code) in sorted.enumerated() { rank[code] = Int32(r) }
        return rank
    }

    static func ranksOf(_ names: [String]) -> [Int] {
        let sorted = names.indices.sorted { Array(names[$0].utf8).lexicographicallyPrecedes(Array(names[$1].utf8)) }
        var rank = [Int](repeating: 0, count: names.count)
        for (r, k) in sorted.enumerated() { rank[k] = r }
        return rank
    }
}
