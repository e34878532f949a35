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
    public static func build(_ ingest: IngestResult, options: TrajectoryOptions, asOf: Day) -> Trajectories {
        let e = asOf.number
        let support = SupportIndex(ingest, asOf: e, offerLapseDays: options.offerLapseDays)
        let s = ingest.scores
        let caseCount = ingest.ids.cases.count
        let caseTeams = CaseTeams(ingest)

        // Scores dated on or before E, grouped by case (counting sort).
        let byCase = Grouping(rows: s.count, groups: caseCount) { s.day[$0] <= e ? Int(s.caseID[$0]) : nil }
        let starts = byCase.starts
        var order = byCase.order

        var series: [Series] = []
        var points: [Point] = []
        var segments: [Segment] = []
        var merges = 0
        var pointTeams: [UInt32] = []
        var pointTeamLines: [UInt32] = []
        pointTeams.reserveCapacity(order.count)
        pointTeamLines.reserveCapacity(order.count)
        series.reserveCapacity(order.count / 4)
        points.reserveCapacity(order.count)
        segments.reserveCapacity(order.count)

        for c in 0..<caseCount {
            let lo = Int(starts[c]), hi = Int(starts[c + 1])
            if lo == hi { continue }
            // Within a case: by child, scale, rater, day, then file order.
            order[lo..<hi].sort { a, b in
                let x = Int(a), y = Int(b)
                if s.childID[x] != s.childID[y] { return s.childID[x] < s.childID[y] }
                if s.scale[x] != s.scale[y] { return s.scale[x] < s.scale[y] }
                if s.rater[x] != s.rater[y] { return s.rater[x] < s.rater[y] }
                if s.day[x] != s.day[y] { return s.day[x] < s.day[y] }
                return s.line[x] < s.line[y]
            }
            var i = lo
            while i < hi {
                // One series: rows i..<j share child, scale and rater.
                let first = Int(order[i])
                var j = i + 1
                while j < hi {
                    let k = Int(order[j])
                    if s.childID[k] != s.childID[first] || s.scale[k] != s.scale[first] || s.rater[k] != s.rater[first] { break }
                    j += 1
                }
                let spec = options.scales[Int(s.scale[first]) - 1]
                let pointStart = points.count
                var lastTeam: UInt32 = 0
                var p = i
                while p < j {
                    // One point: rows p..<q share the day; its value is their mean (oriented, M1-M2).
                    let day = s.day[Int(order[p])]
                    var q = p
                    var sum = 0.0
                    var team: UInt32 = 0
                    var teamLine: UInt32 = 0
                    while q < j && s.day[Int(order[q])] == day {
                        let k = Int(order[q])
                        sum += spec.oriented(s.score[k])
                        if s.team[k] != 0 { team = s.team[k]; teamLine = s.line[k] }
                        q += 1
                    }
                    let count = q - p
                    merges += count - 1
                    points.append(Point(value: sum / Double(count), day: day, rawScores: Int32(count)))
                    pointTeams.append(team)
                    pointTeamLines.append(teamLine)
                    lastTeam = team
                    p = q
                }
                let child = s.childID[first]
                let segmentStart = segments.count
                // Interventions that belong to this series (M4), active ones per segment (M5, M13.5).
                for k in (pointStart + 1)..<max(pointStart + 1, points.count) {
                    let a = points[k - 1], b = points[k]
                    let support = support.segmentSupport(case: c, child: child, start: a.day, end: b.day, stop: support.stop)
                    let change = b.value - a.value
                    let direction = spec.direction(ofChange: change)
                    segments.append(Segment(change: change, plannedHours: support.hours, start: a.day, end: b.day,
                                            activeInterventions: support.active, direction: direction, context: support.context,
                                            withdrawn: support.withdrawn))
                }
                var entry = Series(caseID: UInt32(c), childID: child, scale: s.scale[first] - 1,
                                   rater: Rater.from(code: s.rater[first]) ?? .practitioner,
                                   team: lastTeam != 0 ? lastTeam : caseTeams.team(UInt32(c), asOf: e), points: pointStart..<points.count,
                                   segments: segmentStart..<segments.count, firstDay: points[pointStart].day,
                                   lastDay: points[points.count - 1].day, baseline: points[pointStart].value,
                                   latest: points[points.count - 1].value)
                summarise(&entry, points: points, segments: segments, spec: spec)
                series.append(entry)
                i = j
            }
        }
        var result = Trajectories(asOf: asOf, series: series, points: points, segments: segments, sameDayMerges: merges, rciNotes: [],
                                  pointTeams: pointTeams, pointTeamLines: pointTeamLines, support: support, caseTeams: caseTeams)
        applyRCI(&result, options: options)
        return result
    }

    /// M6 without the RCI: change, slope, sustained, exposure.
    static func summarise(_ entry: inout Series, points: [Point], segments: [Segment], spec: ScaleSpec) {
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
        var exposure = SupportContext.noneOffered
        for k in entry.segments { exposure = max(exposure, segments[k].context) }
        entry.exposure = exposure
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
        var groups = [[Int]](repeating: [], count: options.scales.count * raters)
        for (k, s) in t.series.enumerated() { groups[Int(s.scale) * raters + Int(s.rater.code) - 1].append(k) }
        for (scaleIndex, spec) in options.scales.enumerated() {
            for (r, rater) in Rater.allCases.enumerated() {
                let members = groups[scaleIndex * raters + r]
                if members.isEmpty { continue }
                let label = "\(spec.name)/\(rater.rawValue)"
                let baselines = {
                    members.filter { t.series[$0].n >= 2 && t.series[$0].lastDay > windowStart && t.series[$0].lastDay <= e }.map { t.series[$0].baseline }
                }
                switch spec.rciStandardError(baselines: baselines) {
                case .failure(let why):
                    notes.append("\(label): no rci (\(why.rawValue))")
                case .success(let se):
                    for k in members {
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
