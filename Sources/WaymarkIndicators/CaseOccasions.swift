import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// One case's occasions (M8: distinct scale and day with a score from any
/// rater, I7 and I8), worked out from its series' points in buffers that
/// are reused from case to case.
struct CaseOccasions {
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

    /// A point of the case: scale and day packed (`scale << 32 | day`, as
    /// unsigned), and its place in series-then-point order, which breaks ties
    /// exactly as the stable sort by scale and day did.
    private struct Entry {
        var key: UInt64
        var index: Int32
    }

    private var entries: [Entry] = []
    private var packed: [UInt64] = []
    private var point: [Int32] = []
    private var rater: [Rater] = []
    private(set) var occasions: [Occasion] = []

    /// Sorts the entries by key, ties in entry order. With fewer than 65,536
    /// entries, key and index are packed into one integer (the scale in the
    /// top 16 bits of the key is never used), so the sort compares integers.
    private mutating func sortEntries() {
        guard entries.count < 1 << 16 else {
            entries.sort { ($0.key, $0.index) < ($1.key, $1.index) }
            return
        }
        packed.removeAll(keepingCapacity: true)
        for e in entries { packed.append(e.key << 16 | UInt64(e.index)) }
        packed.sort()
        for (j, p) in packed.enumerated() { entries[j] = Entry(key: p >> 16, index: Int32(p & 0xFFFF)) }
    }

    /// The occasions of case `c`, by scale, then day.
    mutating func collect(_ c: Int, _ t: Trajectories, series: Range<Int>) {
        entries.removeAll(keepingCapacity: true)
        point.removeAll(keepingCapacity: true)
        rater.removeAll(keepingCapacity: true)
        occasions.removeAll(keepingCapacity: true)
        for k in series {
            let s = t.series[k]
            for p in s.points {
                let day = UInt64(UInt32(bitPattern: t.points[p].day) ^ 0x8000_0000)
                entries.append(Entry(key: UInt64(s.scale) << 32 | day, index: Int32(entries.count)))
                point.append(Int32(p))
                rater.append(s.rater)
            }
        }
        sortEntries()
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
            occasions.append(Occasion(gap: paired ? abs(practitioner / Double(practitioners) - family / Double(families)) : 0,
                                      caseID: UInt32(c), day: t.points[first].day, team: team,
                                      scale: UInt16(entries[i].key >> 32), hasFamily: families > 0, paired: paired))
            i = j
        }
    }
}
