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
        let order = sortedSeries(t, ids: ids, scales: scales)
        let readme = """
        \(marker)
        Written by Waymark \(WaymarkVersion.string) for pipeline \(name), as at \(t.asOf).
        These files hold one row per series, segment or point: pseudonymised, never suppressed.
        Keep them inside the organisation. Column meanings: docs/outputs.md and docs/methods.md.

        """
        try Data(readme.utf8).write(to: URL(fileURLWithPath: try folders.restrictedPath("record-level/README.txt")))
        folders.wroteRestricted("record-level/README.txt")

        let files = [("series.csv", seriesHeader), ("segments.csv", segmentsHeader), ("points.csv", pointsHeader)]
        let writers = OnePerThread(try files.map { name, header in
            let w = try CSVWriter(path: try folders.restrictedPath("record-level/\(name)"))
            try w.write(header: header)
            return w
        })
        // The three files are formatted at once, one per thread, each walking the
        // series in the same order (the segments file is about half the bytes, so
        // it sets the pace); each writer's full buffers go to the kernel on a
        // thread of their own (CSVWriter).
        let cells = FixedCells(t, scales: scales)
        let failures = ThreadSlots<Error>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { k in
            do {
                let w = writers.items[k]
                for index in order {
                    let s = t.series[index]
                    let key = cells.key(s, ids: ids)
                    switch k {
                    case 0: try writeSeries(s, key: key, t: t, ids: ids, cells: cells, to: w)
                    case 1: try writeSegments(s, key: key, t: t, cells: cells, to: w)
                    default: try writePoints(s, key: key, t: t, cells: cells, to: w)
                    }
                }
                try w.close()
            } catch {
                failures.set(k, error)
            }
        }
        // A failure stops the run; with several, the first file's (series, segments, points) is named.
        if let error = failures.first { throw error }
        for (name, _) in files { folders.wroteRestricted("record-level/\(name)") }
    }

    /// The series in the files' order: by case, child, scale and rater, each
    /// as its text sorts (byte order), through ranks packed into two integers.
    static func sortedSeries(_ t: Trajectories, ids: IdentifierSpace, scales: [String]) -> [Int] {
        let caseRank = ranks(ids.cases)
        let childRank = ranks(ids.children)
        let scaleRank = ranksOf(scales)
        let raterRank = ranksOf(Rater.allCases.map(\.rawValue))
        var keys = t.series.indices.map { i -> (UInt64, UInt32, Int32) in
            let x = t.series[i]
            let primary = UInt64(UInt32(caseRank[Int(x.caseID)])) << 32 | UInt64(UInt32(childRank[Int(x.childID)]))
            let secondary = UInt32(scaleRank[Int(x.scale)]) << 8 | UInt32(raterRank[Int(x.rater.code) - 1])
            return (primary, secondary, Int32(i))
        }
        // Series keys are unique, so an unstable sort gives one order.
        keys.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return keys.map { Int($0.2) }
    }

    /// Cells that repeat: every day of the data's range, the fixed words
    /// (escaped once per run), and each series' four key cells.
    struct FixedCells: Sendable {
        let days: DayCells
        let raters: [[UInt8]]
        let scales: [[UInt8]]
        let directions: [[UInt8]]
        let contexts: [[UInt8]]
        let booleans: [[UInt8]]

        init(_ t: Trajectories, scales: [String]) {
            days = DayCells(t.series.lazy.flatMap { [$0.firstDay, $0.lastDay] })
            raters = Rater.allCases.map { CSVWriter.escaped($0.rawValue) }
            self.scales = scales.map(CSVWriter.escaped)
            directions = Direction.allCases.map { CSVWriter.escaped($0.name) }
            contexts = SupportContext.allCases.map { CSVWriter.escaped($0.name) }
            booleans = [CSVWriter.escaped("false"), CSVWriter.escaped("true")]
        }

        /// case_id,child_id,scale,rated_by of a series, escaped.
        func key(_ s: Series, ids: IdentifierSpace) -> [UInt8] {
            CSVWriter.escaped(ids.cases.string(s.caseID)) + [0x2C] + CSVWriter.escaped(ids.children.string(s.childID))
                + [0x2C] + scales[Int(s.scale)] + [0x2C] + raters[Int(s.rater.code) - 1]
        }
    }

    static func writeSeries(_ s: Series, key: [UInt8], t: Trajectories, ids: IdentifierSpace, cells: FixedCells, to w: CSVWriter) throws {
        w.raw(key)
        w.text(s.team == 0 ? GroupName.unknown : ids.teams.string(s.team))
        w.integer(s.n)
        cells.days.write(s.firstDay, to: w)
        cells.days.write(s.lastDay, to: w)
        w.number(s.baseline)
        w.number(s.latest)
        w.number(s.change)
        w.number(s.slopePer30Days)
        w.number(s.rci)
        if let r = s.reliable { w.text(r.name) } else { w.empty() }
        if let x = s.sustained { w.text(x ? "true" : "false") } else { w.empty() }
        if let e = s.exposure { w.text(e.name) } else { w.empty() }
        try w.endRow()
    }

    static func writeSegments(_ s: Series, key: [UInt8], t: Trajectories, cells: FixedCells, to w: CSVWriter) throws {
        for (j, k) in s.segments.enumerated() {
            let g = t.segments[k]
            let a = t.points[s.points.lowerBound + j], b = t.points[s.points.lowerBound + j + 1]
            w.raw(key)
            cells.days.write(g.start, to: w)
            cells.days.write(g.end, to: w)
            w.number(a.value)
            w.number(b.value)
            w.number(g.change)
            w.raw(cells.directions[Int(g.direction.rawValue)])
            w.raw(cells.contexts[Int(g.context.rawValue)])
            w.raw(cells.booleans[g.withdrawn ? 1 : 0])
            w.number(g.plannedHours)
            w.integer(Int(g.activeInterventions))
            try w.endRow()
        }
    }

    static func writePoints(_ s: Series, key: [UInt8], t: Trajectories, cells: FixedCells, to w: CSVWriter) throws {
        for k in s.points {
            let p = t.points[k]
            w.raw(key)
            cells.days.write(p.day, to: w)
            w.number(p.value)
            w.integer(Int(p.rawScores))
            try w.endRow()
        }
    }

    /// Every day from the earliest to the latest the files hold, formatted
    /// once as YYYY-MM-DD (ten bytes each); a day outside that range is
    /// formatted when written.
    struct DayCells: Sendable {
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

/// Writers each used by one thread only (thread k takes item k).
struct OnePerThread<T>: @unchecked Sendable {
    let items: [T]
    init(_ items: [T]) { self.items = items }
}
