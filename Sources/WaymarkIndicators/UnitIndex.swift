import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// The units behind the indicators that are not series or segments, indexed
/// once so that every month end is a cheap walk (M7, M8): occasions (I7, I8),
/// each case's series, score days and episodes. Built on every core: each
/// part of the cases counts its occasions and days, then writes them at its
/// offsets into arrays made at their exact size.
struct UnitIndex: Sendable {
    /// One distinct (case, scale, day) with a score from any rater (M8 "occasion").
    struct Occasion: Sendable {
        /// |mean practitioner value - mean family value| on a paired occasion (oriented), else 0.
        var gap: Double
        var caseID: UInt32
        var day: Int32
        /// The last non-blank team among that day's scores (file order), or 0.
        var team: UInt32
        var scale: UInt16
        var hasFamily: Bool
        var paired: Bool
    }

    /// Every occasion, by case, then scale and day.
    var occasions: [Occasion]
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

        // Occasions and score days, case by case: counted, then written.
        let parts = ContiguousParts(starts: caseSeries, parts: ContiguousParts.perMachine)
        var occasionStart = [Int32](repeating: 0, count: cases + 1)
        var scoreDayStart = [Int32](repeating: 0, count: cases + 1)
        occasionStart.withUnsafeMutableBufferPointer { occasionStart in
            scoreDayStart.withUnsafeMutableBufferPointer { scoreDayStart in
                parts.forEach { p in
                    var one = CaseOccasions()
                    for c in parts.groups(p) {
                        one.collect(c, t, series: Int(caseSeries[c])..<Int(caseSeries[c + 1]))
                        occasionStart[c + 1] = Int32(one.occasions.count)
                        scoreDayStart[c + 1] = Int32(one.days.count)
                    }
                }
            }
        }
        for c in 0..<cases {
            occasionStart[c + 1] += occasionStart[c]
            scoreDayStart[c + 1] += scoreDayStart[c]
        }
        let starts = (occasions: occasionStart, days: scoreDayStart)
        var scoreDays: [Int32] = []
        occasions = Array(unsafeUninitializedCapacity: Int(occasionStart[cases])) { occasionsOut, occasionCount in
            scoreDays = Array(unsafeUninitializedCapacity: Int(starts.days[cases])) { daysOut, dayCount in
                parts.forEach { p in
                    var one = CaseOccasions()
                    for c in parts.groups(p) {
                        one.collect(c, t, series: Int(caseSeries[c])..<Int(caseSeries[c + 1]))
                        (occasionsOut.baseAddress! + Int(starts.occasions[c])).initialize(from: one.occasions, count: one.occasions.count)
                        (daysOut.baseAddress! + Int(starts.days[c])).initialize(from: one.days, count: one.days.count)
                    }
                }
                dayCount = Int(starts.days[cases])
            }
            occasionCount = Int(starts.occasions[cases])
        }
        self.scoreDayStart = scoreDayStart
        self.scoreDays = scoreDays

        let e = ingest.episodes ?? EpisodeTable()
        let episodeCase = e.caseID, opened = e.opened, lines = e.line
        var byCase = Grouping(rows: e.count, groups: cases) { Int(episodeCase[$0]) }
        for c in 0..<cases {
            let r = byCase.range(c)
            if r.count > 1 { byCase.order[r].sort { (opened[Int($0)], lines[Int($0)]) < (opened[Int($1)], lines[Int($1)]) } }
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

/// One case's occasions and distinct score days, worked out in buffers that
/// are reused from case to case.
struct CaseOccasions {
    /// A point of the case: scale and day packed (`scale << 32 | day`, as
    /// unsigned), and its place in series-then-point order, which breaks ties
    /// exactly as the stable sort by scale and day did.
    private struct Entry {
        var key: UInt64
        var index: Int32
    }

    private var entries: [Entry] = []
    private var point: [Int32] = []
    private var rater: [Rater] = []
    private(set) var occasions: [UnitIndex.Occasion] = []
    private(set) var days: [Int32] = []

    /// The occasions of case `c` (by scale, then day) and its distinct score days, ascending.
    mutating func collect(_ c: Int, _ t: Trajectories, series: Range<Int>) {
        entries.removeAll(keepingCapacity: true)
        point.removeAll(keepingCapacity: true)
        rater.removeAll(keepingCapacity: true)
        occasions.removeAll(keepingCapacity: true)
        days.removeAll(keepingCapacity: true)
        for k in series {
            let s = t.series[k]
            for p in s.points {
                let day = UInt64(UInt32(bitPattern: t.points[p].day) ^ 0x8000_0000)
                entries.append(Entry(key: UInt64(s.scale) << 32 | day, index: Int32(entries.count)))
                point.append(Int32(p))
                rater.append(s.rater)
            }
        }
        entries.sort { ($0.key, $0.index) < ($1.key, $1.index) }
        var i = 0
        while i < entries.count {
            var j = i
            var practitioner = 0.0, practitioners = 0, family = 0.0, families = 0
            var team: UInt32 = 0, teamLine: UInt32 = 0
            while j < entries.count && entries[j].key == entries[i].key {
                let x = Int(entries[j].index), p = Int(point[x])
                let value = t.points[p].value
                if rater[x] == .practitioner { practitioner += value; practitioners += 1 }
                if rater[x].isFamily { family += value; families += 1 }
                if t.pointTeams[p] != 0 && t.pointTeamLines[p] >= teamLine { team = t.pointTeams[p]; teamLine = t.pointTeamLines[p] }
                j += 1
            }
            let paired = practitioners > 0 && families > 0
            let first = Int(point[Int(entries[i].index)])
            occasions.append(UnitIndex.Occasion(gap: paired ? abs(practitioner / Double(practitioners) - family / Double(families)) : 0,
                                                caseID: UInt32(c), day: t.points[first].day, team: team,
                                                scale: UInt16(entries[i].key >> 32), hasFamily: families > 0, paired: paired))
            days.append(t.points[first].day)
            i = j
        }
        days.sort()
        var kept = 0
        for d in days where kept == 0 || d != days[kept - 1] { days[kept] = d; kept += 1 }
        days.removeLast(days.count - kept)
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
