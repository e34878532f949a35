import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// The units behind the indicators that are not series or segments, indexed
/// once so that every month end is a cheap walk (M7, M8): each case's series
/// and episodes. A case's occasions are not stored: they are worked out
/// case by case where they are counted (``CaseOccasions``).
struct UnitIndex: Sendable {
    /// Series of case c: `caseSeries[c]..<caseSeries[c + 1]` (the builder emits series by case).
    var caseSeries: [Int32]
    /// Episodes of case c by opening day: `episodeOrder[episodeStart[c]..<episodeStart[c + 1]]`.
    var episodeStart: [Int32]
    var episodeOrder: [Int32]

    init(_ t: Trajectories, ingest: IngestResult) {
        let cases = ingest.ids.cases.count
        var caseSeries = [Int32](repeating: 0, count: cases + 1)
        for s in t.series { caseSeries[Int(s.caseID) + 1] += 1 }
        for c in 0..<cases { caseSeries[c + 1] += caseSeries[c] }
        self.caseSeries = caseSeries

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
