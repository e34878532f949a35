import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// The units behind the indicators that are not series or segments, indexed
/// once so that every month end is a cheap walk (M7, M8): occasions (I7, I8),
/// each case's series, score days and episodes.
struct UnitIndex: Sendable {
    /// Distinct (case, scale, day) with a score from any rater (M8 "occasion").
    struct Occasions: Sendable {
        var caseID: [UInt32] = []
        var scale: [UInt16] = []
        var day: [Int32] = []
        /// The last non-blank team among that day's scores (file order), or 0.
        var team: [UInt32] = []
        var hasFamily: [Bool] = []
        var paired: [Bool] = []
        /// |mean practitioner value - mean family value| on a paired occasion (oriented).
        var gap: [Double] = []
    }

    var occasions = Occasions()
    /// Series of case c: `caseSeries[c]..<caseSeries[c + 1]` (the builder emits series by case).
    var caseSeries: [Int32]
    /// Distinct days with any score of case c, ascending: `scoreDays[scoreDayStart[c]..<scoreDayStart[c + 1]]`.
    var scoreDayStart: [Int32]
    var scoreDays: [Int32]
    /// Episodes of case c by opening day: `episodeOrder[episodeStart[c]..<episodeStart[c + 1]]`.
    var episodeStart: [Int32]
    var episodeOrder: [Int32]

    init(_ t: Trajectories, ingest: IngestResult) {
        let cases = ingest.ids.cases.count
        var caseSeries = [Int32](repeating: 0, count: cases + 1)
        for s in t.series { caseSeries[Int(s.caseID) + 1] += 1 }
        for c in 0..<cases { caseSeries[c + 1] += caseSeries[c] }
        self.caseSeries = caseSeries

        // Occasions and score days, case by case.
        struct Entry { var scale: UInt16; var day: Int32; var rater: Rater; var value: Double; var team: UInt32; var teamLine: UInt32 }
        var scoreDayStart = [Int32](repeating: 0, count: cases + 1)
        var scoreDays: [Int32] = []
        var entries: [Entry] = []
        var days: [Int32] = []
        for c in 0..<cases {
            entries.removeAll(keepingCapacity: true)
            for k in Int(caseSeries[c])..<Int(caseSeries[c + 1]) {
                let s = t.series[k]
                for p in s.points {
                    entries.append(Entry(scale: s.scale, day: t.points[p].day, rater: s.rater, value: t.points[p].value,
                                         team: t.pointTeams[p], teamLine: t.pointTeamLines[p]))
                }
            }
            entries.sort { ($0.scale, $0.day) < ($1.scale, $1.day) }
            days.removeAll(keepingCapacity: true)
            var i = 0
            while i < entries.count {
                var j = i
                var practitioner = 0.0, practitioners = 0, family = 0.0, families = 0
                var team: UInt32 = 0, teamLine: UInt32 = 0
                while j < entries.count && entries[j].scale == entries[i].scale && entries[j].day == entries[i].day {
                    let e = entries[j]
                    if e.rater == .practitioner { practitioner += e.value; practitioners += 1 }
                    if e.rater.isFamily { family += e.value; families += 1 }
                    if e.team != 0 && e.teamLine >= teamLine { team = e.team; teamLine = e.teamLine }
                    j += 1
                }
                let paired = practitioners > 0 && families > 0
                occasions.caseID.append(UInt32(c))
                occasions.scale.append(entries[i].scale)
                occasions.day.append(entries[i].day)
                occasions.team.append(team)
                occasions.hasFamily.append(families > 0)
                occasions.paired.append(paired)
                occasions.gap.append(paired ? abs(practitioner / Double(practitioners) - family / Double(families)) : 0)
                days.append(entries[i].day)
                i = j
            }
            days.sort()
            var last = Int32.min
            for d in days where d != last { scoreDays.append(d); last = d }
            scoreDayStart[c + 1] = Int32(scoreDays.count)
        }
        self.scoreDayStart = scoreDayStart
        self.scoreDays = scoreDays

        let e = ingest.episodes ?? EpisodeTable()
        var byCase = Grouping(rows: e.count, groups: cases) { Int(e.caseID[$0]) }
        for c in 0..<cases {
            let r = byCase.range(c)
            if r.count > 1 { byCase.order[r].sort { (e.opened[Int($0)], e.line[Int($0)]) < (e.opened[Int($1)], e.line[Int($1)]) } }
        }
        episodeStart = byCase.starts
        episodeOrder = byCase.order
    }

    /// Whether case c has a score in the days (from, to].
    func hasScore(case c: Int, after from: Int32, through to: Int32) -> Bool {
        UnitIndex.anyIn(scoreDays, Int(scoreDayStart[c])..<Int(scoreDayStart[c + 1]), after: from, through: to)
    }

    /// Whether a sorted slice holds a value in (from, to].
    static func anyIn(_ xs: [Int32], _ r: Range<Int>, after from: Int32, through to: Int32) -> Bool {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if xs[mid] <= from { lo = mid + 1 } else { hi = mid }
        }
        return lo < r.upperBound && xs[lo] <= to
    }
}

/// The month ends of a trend (M7, M13.3), oldest first: `as_of` and the last
/// days of the `months - 1` months before it.
public enum TrendCalendar {
    public static func monthEnds(asOf: Day, months: Int) -> [Day] {
        var out = [asOf]
        while out.count < max(1, months) { out.append(out[out.count - 1].endOfPreviousMonth) }
        return out.reversed()
    }
}
