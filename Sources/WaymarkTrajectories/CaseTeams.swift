import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// Each case's team as at any day (METHODS.md M13.7): the team of its latest
/// score with a team dated on or before the day, else of its latest offer with
/// a team, else 0 (`unknown`). Built once with a counting sort; a query is a
/// binary search in the case's own rows, so month ends and closure days cost
/// no re-sort.
public struct CaseTeams: Sendable {
    @usableFromInline package var scoreStart: [Int32]
    @usableFromInline package var scoreKey: [Int64]      // day << 32 | line, sorted within a case
    @usableFromInline package var scoreTeam: [UInt32]
    @usableFromInline package var offerStart: [Int32]
    @usableFromInline package var offerKey: [Int64]
    @usableFromInline package var offerTeam: [UInt32]

    init(_ ingest: IngestResult) {
        let cases = ingest.ids.cases.count
        let s = ingest.scores
        (scoreStart, scoreKey, scoreTeam) = CaseTeams.timeline(rows: s.count, cases: cases, caseOf: { s.team[$0] != 0 ? Int(s.caseID[$0]) : nil },
                                                               day: { s.day[$0] }, line: { s.line[$0] }, team: { s.team[$0] })
        let iv = ingest.interventions
        (offerStart, offerKey, offerTeam) = CaseTeams.timeline(rows: iv.count, cases: cases, caseOf: { iv.team[$0] != 0 ? Int(iv.caseID[$0]) : nil },
                                                               day: { iv.offered[$0] }, line: { iv.line[$0] }, team: { iv.team[$0] })
    }

    private static func timeline(rows: Int, cases: Int, caseOf: (Int) -> Int?, day: (Int) -> Int32, line: (Int) -> UInt32,
                                 team: (Int) -> UInt32) -> ([Int32], [Int64], [UInt32]) {
        let g = Grouping(rows: rows, groups: cases, key: caseOf)
        var key = g.order.map { Int64(day(Int($0))) << 32 | Int64(line(Int($0))) }
        var teams = g.order.map { team(Int($0)) }
        for c in 0..<cases {
            let r = g.range(c)
            guard r.count > 1 else { continue }
            let pairs = zip(key[r], teams[r]).sorted { $0.0 < $1.0 }
            for (j, p) in pairs.enumerated() { key[r.lowerBound + j] = p.0; teams[r.lowerBound + j] = p.1 }
        }
        return (g.starts, key, teams)
    }

    /// The case's team as at day `d`, or 0 for unknown.
    @inlinable package func team(_ c: UInt32, asOf d: Int32) -> UInt32 {
        let limit = Int64(d) << 32 | 0xFFFF_FFFF
        if let t = CaseTeams.latest(scoreKey, scoreTeam, Int(scoreStart[Int(c)])..<Int(scoreStart[Int(c) + 1]), limit) { return t }
        return CaseTeams.latest(offerKey, offerTeam, Int(offerStart[Int(c)])..<Int(offerStart[Int(c) + 1]), limit) ?? 0
    }

    @inlinable package static func latest(_ key: [Int64], _ team: [UInt32], _ r: Range<Int>, _ limit: Int64) -> UInt32? {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if key[mid] <= limit { lo = mid + 1 } else { hi = mid }
        }
        return lo > r.lowerBound ? team[lo - 1] : nil
    }
}
