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
        let teamOfScore = s.team, caseOfScore = s.caseID
        (scoreStart, scoreKey, scoreTeam) = CaseTeams.timeline(rows: s.count, cases: cases, caseOf: { teamOfScore[$0] != 0 ? Int(caseOfScore[$0]) : nil },
                                                               day: s.day, line: s.line, team: s.team)
        let iv = ingest.interventions
        let teamOfOffer = iv.team, caseOfOffer = iv.caseID
        (offerStart, offerKey, offerTeam) = CaseTeams.timeline(rows: iv.count, cases: cases, caseOf: { teamOfOffer[$0] != 0 ? Int(caseOfOffer[$0]) : nil },
                                                               day: iv.offered, line: iv.line, team: iv.team)
    }

    /// The rows with a team grouped by case, each case's by day then line:
    /// the group starts, the rows' keys (day << 32 | line) and their teams.
    /// The cases are sorted in parts on every core.
    private static func timeline(rows: Int, cases: Int, caseOf: (Int) -> Int?, day: [Int32], line: [UInt32],
                                 team: [UInt32]) -> ([Int32], [Int64], [UInt32]) {
        let g = Grouping(rows: rows, groups: cases, key: caseOf)
        var key = [Int64](repeating: 0, count: g.order.count)
        var teams = [UInt32](repeating: 0, count: g.order.count)
        let parts = ContiguousParts(starts: g.starts, parts: ContiguousParts.perMachine)
        key.withUnsafeMutableBufferPointer { key in
            teams.withUnsafeMutableBufferPointer { teams in
                parts.forEach { p in
                    var pairs: [(Int64, UInt32)] = []
                    for c in parts.groups(p) {
                        let r = g.range(c)
                        var sorted = true
                        for j in r {
                            let row = Int(g.order[j])
                            key[j] = Int64(day[row]) << 32 | Int64(line[row])
                            teams[j] = team[row]
                            if j > r.lowerBound && key[j - 1] > key[j] { sorted = false }
                        }
                        // Swift's sort is stable, so rows already in order stay as they are.
                        guard !sorted else { continue }
                        pairs.removeAll(keepingCapacity: true)
                        for j in r { pairs.append((key[j], teams[j])) }
                        pairs.sort { $0.0 < $1.0 }
                        for (j, pair) in pairs.enumerated() { key[r.lowerBound + j] = pair.0; teams[r.lowerBound + j] = pair.1 }
                    }
                }
            }
        }
        return compacted(starts: g.starts, key: key, teams: teams)
    }

    /// Keeps, of each run of rows with the same team in a case, its first
    /// row: a query (the team of the latest row on or before a day) gives the
    /// same answer, and a case that keeps its team holds one row, not one per
    /// score (120 MB less at 10M score rows).
    private static func compacted(starts: [Int32], key: [Int64], teams: [UInt32]) -> ([Int32], [Int64], [UInt32]) {
        var newStarts = [Int32](repeating: 0, count: starts.count)
        var keptKey: [Int64] = [], keptTeam: [UInt32] = []
        for c in 0..<(starts.count - 1) {
            newStarts[c] = Int32(keptKey.count)
            for j in Int(starts[c])..<Int(starts[c + 1]) where j == Int(starts[c]) || teams[j] != teams[j - 1] {
                keptKey.append(key[j])
                keptTeam.append(teams[j])
            }
        }
        newStarts[starts.count - 1] = Int32(keptKey.count)
        return (newStarts, keptKey, keptTeam)
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
