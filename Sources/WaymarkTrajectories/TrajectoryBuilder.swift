import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// Builds every series, point and segment as at one day, with each segment's
/// support context and each series' summary (METHODS.md M1-M6, M13).
///
/// Cost: near-linear in rows. Scores are grouped by case with a counting
/// sort and sorted only within a case; interventions and responses are
/// indexed by case and intervention once (``SupportIndex``), so a segment
/// looks only at its own case's interventions.
public enum TrajectoryBuilder {
    /// The trajectories of the ingested rows as at `asOf`, built in two
    /// passes. The first reads the score rows: it writes the series, their
    /// points and each point's team. The second reads no score row (only the
    /// series, their points, the scales and the support index): it writes
    /// the segments and each series' exposure. With `releasingScoreRows` the
    /// score rows are let go between the two (``IngestResult/releaseScoreRows()``),
    /// so they are never held with the segments (at 10M rows the peak falls
    /// by their 310 MB). Only a caller that reads the score rows no more
    /// passes it.
    public static func build(_ ingest: IngestResult, options: TrajectoryOptions, asOf: Day,
                             releasingScoreRows: Bool = false) -> Trajectories {
        var first = writePoints(ingest, options: options, asOf: asOf.number)
        if releasingScoreRows { ingest.releaseScoreRows() }
        // Moved out, so the series are written in place below, not copied (180 MB at 10M rows).
        var built = first.output
        first.output = PointWriter.Output()
        let segments = options.scales.withUnsafeBufferPointer { specs in
            built.series.withUnsafeMutableBufferPointer { series in
                built.points.withUnsafeBufferPointer { points in
                    SegmentWriter.writeAll(parts: first.parts, offsets: first.offsets) { segments in
                        SegmentWriter(specs: specs, support: first.support, series: series, points: points, segments: segments)
                    }
                }
            }
        }
        // The arrays are handed over, not shared: applyRCI then writes the
        // series in place instead of copying them all (180 MB at 10M rows).
        let merges = built.merges
        let (series, points, pointTeams, pointTeamLines) = built.take()
        var result = Trajectories(asOf: asOf, series: consume series, points: consume points, segments: segments,
                                  sameDayMerges: merges, rciNotes: [], pointTeams: consume pointTeams,
                                  pointTeamLines: consume pointTeamLines, support: first.support, caseTeams: first.caseTeams)
        applyRCI(&result, options: options)
        return result
    }

    /// What the first pass gives the second: the indexes, the parts of the
    /// cases with each part's offsets, and the series and points.
    struct FirstPass {
        var support: SupportIndex
        var caseTeams: CaseTeams
        var parts: ContiguousParts
        var offsets: [PointWriter.Offsets]
        var output: PointWriter.Output
    }

    /// The first pass, the only one that reads the score rows: once it
    /// returns, nothing of the build holds them.
    static func writePoints(_ ingest: IngestResult, options: TrajectoryOptions, asOf e: Int32) -> FirstPass {
        let s = ingest.scores
        let caseCount = ingest.ids.cases.count

        // Three independent indexes, built at once: the offers and responses
        // as at E, each case's teams, and the scores dated by E grouped by case.
        let indexes = BuildIndexes()
        DispatchQueue.concurrentPerform(iterations: 3) { task in
            switch task {
            case 0: indexes.support = SupportIndex(ingest, asOf: e, offerLapseDays: options.offerLapseDays)
            case 1: indexes.caseTeams = CaseTeams(ingest)
            default: indexes.byCase = Grouping(rows: s.count, groups: caseCount) { s.day[$0] <= e ? Int(s.caseID[$0]) : nil }
            }
        }
        let support = indexes.support!, caseTeams = indexes.caseTeams!
        let starts = indexes.byCase!.starts
        var order = indexes.byCase!.order
        indexes.byCase = nil

        // Each part of the cases sorts its rows (by child, scale, rater, day,
        // line) and counts its series and points; then every part writes its
        // series and points at its own offsets, so the arrays are made once
        // at their exact size and the result is the same whatever the number
        // of parts.
        let parts = ContiguousParts(starts: starts, parts: ContiguousParts.perMachine)
        let offsets = sortAndCount(&order, starts: starts, parts: parts, scores: s)
        let output = order.withUnsafeBufferPointer { rows in
            options.scales.withUnsafeBufferPointer { specs in
                PointWriter.writeAll(parts: parts, offsets: offsets) { series, points, pointTeams, pointTeamLines in
                    PointWriter(scores: s, rows: rows, starts: starts, specs: specs, caseTeams: caseTeams, asOf: e,
                                series: series, points: points, pointTeams: pointTeams, pointTeamLines: pointTeamLines)
                }
            }
        }
        return FirstPass(support: support, caseTeams: caseTeams, parts: parts, offsets: offsets, output: output)
    }

    /// Sorts each case's rows into series order, part by part on every core,
    /// and returns where each part's output starts (the last entry: the totals).
    static func sortAndCount(_ order: inout [Int32], starts: [Int32], parts: ContiguousParts, scores s: ScoreTable) -> [PointWriter.Offsets] {
        var sizes = [PointWriter.Offsets](repeating: .init(), count: parts.count + 1)
        order.withUnsafeMutableBufferPointer { rows in
            sizes.withUnsafeMutableBufferPointer { sizes in
                parts.forEach { p in
                    var sorter = CaseSeriesOrder()
                    var n = PointWriter.Offsets()
                    for c in parts.groups(p) {
                        let r = UnsafeMutableBufferPointer(rebasing: rows[Int(starts[c])..<Int(starts[c + 1])])
                        sorter.sort(r, s)
                        let (series, points) = CaseSeriesOrder.count(r, s)
                        n.series += series
                        n.points += points
                    }
                    sizes[p + 1] = n
                }
            }
        }
        for p in 0..<parts.count { sizes[p + 1] = sizes[p] + sizes[p + 1] }
        return sizes
    }

    /// M6 without the RCI and the exposure: change, slope, sustained.
    static func summarise(_ entry: inout Series, points: UnsafeMutableBufferPointer<Point>, spec: ScaleSpec) {
        guard entry.n >= 2 else { return }
        entry.change = entry.latest - entry.baseline
        // Ordinary least squares of value on day, days counted from the first (same slope, better conditioned).
        let range = entry.points
        let n = Double(range.count)
        var meanX = 0.0, meanY = 0.0
        for k in range {
            meanX += Double(points[k].day - entry.firstDay)
            meanY += points[k].value
        }
        meanX /= n
        meanY /= n
        var sxy = 0.0, sxx = 0.0
        for k in range {
            let dx = Double(points[k].day - entry.firstDay) - meanX
            sxy += dx * (points[k].value - meanY)
            sxx += dx * dx
        }
        entry.slopePer30Days = sxy / sxx * 30
        let a = points[range.upperBound - 2], b = points[range.upperBound - 1]
        entry.sustained = spec.sustained(previous: (a.value, a.day), last: (b.value, b.day))
    }

    /// M6: the reliable change index, per scale and rater. With `sd: baseline`
    /// the SD is the sample SD of the baselines of the series in scope (M7:
    /// n >= 2 and last point inside the window ending on as_of).
    static func applyRCI(_ t: inout Trajectories, options: TrajectoryOptions) {
        let e = t.asOf.number
        let windowStart = e - Int32(options.windowDays)
        var notes: [String] = []
        // Series indices by (scale, rater), in one pass.
        let raters = Rater.allCases.count
        var groups = [[Int32]](repeating: [], count: options.scales.count * raters)
        for (k, s) in t.series.enumerated() { groups[Int(s.scale) * raters + Int(s.rater.code) - 1].append(Int32(k)) }
        for (scaleIndex, spec) in options.scales.enumerated() {
            for (r, rater) in Rater.allCases.enumerated() {
                let members = groups[scaleIndex * raters + r]
                if members.isEmpty { continue }
                let label = "\(spec.name)/\(rater.rawValue)"
                let baselines = {
                    members.compactMap { k in
                        let s = t.series[Int(k)]
                        return s.n >= 2 && s.lastDay > windowStart && s.lastDay <= e ? s.baseline : nil
                    }
                }
                switch spec.rciStandardError(baselines: baselines) {
                case .failure(let why):
                    notes.append("\(label): no rci (\(why.rawValue))")
                case .success(let se):
                    for m in members {
                        let k = Int(m)
                        guard let change = t.series[k].change else { continue }
                        let rci = change / se
                        t.series[k].rci = rci
                        t.series[k].reliable = ReliableChange(rci: rci)
                    }
                }
            }
        }
        t.rciNotes = notes
    }

}

/// The three indexes the build makes at once before it reads the series.
private final class BuildIndexes: @unchecked Sendable {
    var support: SupportIndex?
    var caseTeams: CaseTeams?
    var byCase: Grouping?
}

/// Writes the series and points of a run of cases at given offsets of the
/// output arrays (M1-M2, M6 without the RCI and the exposure): what one part
/// of the first pass does. The case rows must already be in series order.
/// Each series' segments are counted (one fewer than its points), not yet written.
struct PointWriter {
    /// Where a part's output starts in each array (or, summed, how long they are).
    struct Offsets {
        var series = 0, points = 0
        /// Each series has one segment fewer than points.
        var segments: Int { points - series }

        static func + (a: Offsets, b: Offsets) -> Offsets {
            Offsets(series: a.series + b.series, points: a.points + b.points)
        }
    }

    let scores: ScoreTable
    let rows: UnsafeBufferPointer<Int32>
    let starts: [Int32]
    let specs: UnsafeBufferPointer<ScaleSpec>
    let caseTeams: CaseTeams
    let asOf: Int32
    let series: UnsafeMutableBufferPointer<Series>
    let points: UnsafeMutableBufferPointer<Point>
    let pointTeams: UnsafeMutableBufferPointer<UInt32>
    let pointTeamLines: UnsafeMutableBufferPointer<UInt32>

    /// The arrays of the first pass, and how many scores were merged into a point with another.
    struct Output {
        var series: [Series] = []
        var points: [Point] = []
        var pointTeams: [UInt32] = []
        var pointTeamLines: [UInt32] = []
        var merges = 0

        /// The arrays, leaving this empty, so that the caller holds the only reference to each.
        mutating func take() -> ([Series], [Point], [UInt32], [UInt32]) {
            defer { self = Output() }
            return (series, points, pointTeams, pointTeamLines)
        }
    }

    /// Makes the arrays at their exact size and fills them in place, one
    /// writer per part on every core (`offsets`: each part's start, then the
    /// totals; `writer` makes a writer over the arrays).
    static func writeAll(parts: ContiguousParts, offsets: [Offsets],
                         writer: (UnsafeMutableBufferPointer<Series>, UnsafeMutableBufferPointer<Point>,
                                  UnsafeMutableBufferPointer<UInt32>, UnsafeMutableBufferPointer<UInt32>) -> PointWriter) -> Output {
        let total = offsets[parts.count]
        var out = Output()
        var merges = [Int](repeating: 0, count: parts.count)
        out.series = Array(unsafeUninitializedCapacity: total.series) { series, seriesCount in
            out.points = Array(unsafeUninitializedCapacity: total.points) { points, pointsCount in
                out.pointTeams = Array(unsafeUninitializedCapacity: total.points) { teams, teamsCount in
                    out.pointTeamLines = Array(unsafeUninitializedCapacity: total.points) { lines, linesCount in
                        let w = writer(series, points, teams, lines)
                        merges.withUnsafeMutableBufferPointer { merges in
                            parts.forEach { p in merges[p] = w.write(cases: parts.groups(p), at: offsets[p]) }
                        }
                        linesCount = total.points
                    }
                    teamsCount = total.points
                }
                pointsCount = total.points
            }
            seriesCount = total.series
        }
        out.merges = merges.reduce(0, +)
        return out
    }

    /// Writes the cases' output from `at` on; returns how many scores were merged into a point with another.
    func write(cases: Range<Int>, at start: Offsets) -> Int {
        // Local copies, once: the loops then touch no stored property (whose
        // every use could otherwise retain its arrays).
        let s = scores, rows = rows, starts = starts, specs = specs, caseTeams = caseTeams
        let points = points, series = series, pointTeams = pointTeams, pointTeamLines = pointTeamLines
        var out = start
        var merges = 0
        for c in cases {
            let lo = Int(starts[c]), hi = Int(starts[c + 1])
            var i = lo
            while i < hi {
                // One series: rows i..<j share child, scale and rater.
                let first = Int(rows[i])
                let key = CaseSeriesOrder.major(s, first)
                var j = i + 1
                while j < hi && CaseSeriesOrder.major(s, Int(rows[j])) == key { j += 1 }
                let spec = specs[Int(s.scale[first]) - 1]
                let pointStart = out.points
                var lastTeam: UInt32 = 0
                var p = i
                while p < j {
                    // One point: rows p..<q share the day; its value is their mean (oriented, M1-M2).
                    let day = s.day[Int(rows[p])]
                    var q = p
                    var sum = 0.0
                    var team: UInt32 = 0
                    var teamLine: UInt32 = 0
                    while q < j && s.day[Int(rows[q])] == day {
                        let k = Int(rows[q])
                        sum += spec.oriented(s.score[k])
                        if s.team[k] != 0 { team = s.team[k]; teamLine = s.line[k] }
                        q += 1
                    }
                    let count = q - p
                    merges += count - 1
                    (points.baseAddress! + out.points).initialize(to: Point(value: sum / Double(count), day: day, rawScores: Int32(count)))
                    (pointTeams.baseAddress! + out.points).initialize(to: team)
                    (pointTeamLines.baseAddress! + out.points).initialize(to: teamLine)
                    out.points += 1
                    lastTeam = team
                    p = q
                }
                // The series' segments (one per pair of consecutive points) are written by the second pass;
                // before them, one fewer than the points for each earlier series.
                let segmentStart = pointStart - out.series
                var entry = Series(caseID: UInt32(c), childID: s.childID[first], scale: s.scale[first] - 1,
                                   rater: Rater.from(code: s.rater[first]) ?? .practitioner,
                                   team: lastTeam != 0 ? lastTeam : caseTeams.team(UInt32(c), asOf: asOf), points: pointStart..<out.points,
                                   segments: segmentStart..<(out.points - out.series - 1), firstDay: points[pointStart].day,
                                   lastDay: points[out.points - 1].day, baseline: points[pointStart].value,
                                   latest: points[out.points - 1].value)
                TrajectoryBuilder.summarise(&entry, points: points, spec: spec)
                (series.baseAddress! + out.series).initialize(to: entry)
                out.series += 1
                i = j
            }
        }
        return merges
    }
}

/// Writes the segments of a run of series (M3-M5) and each series'
/// exposure (M6): what one part of the second pass does. Reads the points
/// and the support index only, never the score rows.
struct SegmentWriter {
    let specs: UnsafeBufferPointer<ScaleSpec>
    let support: SupportIndex
    let series: UnsafeMutableBufferPointer<Series>
    let points: UnsafeBufferPointer<Point>
    let segments: UnsafeMutableBufferPointer<Segment>

    /// Makes the segments at their exact size and fills them in place, one
    /// writer per part on every core: part p writes the segments of its own
    /// series, the series `offsets[p].series..<offsets[p + 1].series`.
    static func writeAll(parts: ContiguousParts, offsets: [PointWriter.Offsets],
                         writer: (UnsafeMutableBufferPointer<Segment>) -> SegmentWriter) -> [Segment] {
        let total = offsets[parts.count].segments
        return Array(unsafeUninitializedCapacity: total) { segments, count in
            let w = writer(segments)
            parts.forEach { p in w.write(series: offsets[p].series..<offsets[p + 1].series) }
            count = total
        }
    }

    /// Writes the segments of the given series, and their exposure.
    func write(series range: Range<Int>) {
        let specs = specs, support = support, series = series, points = points, segments = segments
        let stop = support.stop
        for k in range {
            let entry = series[k]
            let spec = specs[Int(entry.scale)]
            let c = Int(entry.caseID), child = entry.childID
            var out = entry.segments.lowerBound
            var exposure = SupportContext.noneOffered
            // Interventions that belong to this series (M4), active ones per segment (M5, M13.5).
            for p in entry.points.dropFirst() {
                let a = points[p - 1], b = points[p]
                let around = support.segmentSupport(case: c, child: child, start: a.day, end: b.day, stop: stop)
                let change = b.value - a.value
                let direction = spec.direction(ofChange: change)
                (segments.baseAddress! + out).initialize(to: Segment(
                    change: change, plannedHours: around.hours, start: a.day, end: b.day, activeInterventions: around.active,
                    direction: direction, context: around.context, withdrawn: around.withdrawn))
                exposure = max(exposure, around.context)
                out += 1
            }
            if entry.n >= 2 { series[k].exposure = exposure }
        }
    }
}

