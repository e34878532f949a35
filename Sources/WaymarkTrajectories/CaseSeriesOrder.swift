import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// The order of one case's scores inside the trajectory build: by child,
/// scale, rater, day, then file line (M2). Each row's sort key is packed
/// into two integers and sorted in a scratch buffer, so a comparison reads
/// 16 contiguous bytes instead of five columns of the score table.
struct CaseSeriesOrder {
    /// One row's key: child, scale and rater in `major`; day and line in `minor`.
    struct Entry {
        var major: UInt64
        var minor: UInt64
        var row: Int32
    }

    private var scratch: [Entry] = []

    /// The series key (child, scale, rater) of score row `k`.
    @inline(__always)
    static func major(_ s: ScoreTable, _ k: Int) -> UInt64 {
        UInt64(s.childID[k]) << 24 | UInt64(s.scale[k]) << 8 | UInt64(s.rater[k])
    }

    /// The day and line of score row `k`, ordered as unsigned integers.
    @inline(__always)
    static func minor(_ s: ScoreTable, _ k: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: s.day[k]) ^ 0x8000_0000) << 32 | UInt64(s.line[k])
    }

    /// Sorts the row indices of one case in place. The sort is Swift's
    /// stable sort with the same order as before, so ties keep file order.
    mutating func sort(_ rows: UnsafeMutableBufferPointer<Int32>, _ s: ScoreTable) {
        guard rows.count > 1 else { return }
        scratch.removeAll(keepingCapacity: true)
        var sorted = true
        for r in rows {
            let k = Int(r)
            let entry = Entry(major: CaseSeriesOrder.major(s, k), minor: CaseSeriesOrder.minor(s, k), row: r)
            if let last = scratch.last, (last.major, last.minor) > (entry.major, entry.minor) { sorted = false }
            scratch.append(entry)
        }
        if sorted { return }
        scratch.sort { ($0.major, $0.minor) < ($1.major, $1.minor) }
        for (j, entry) in scratch.enumerated() { rows[j] = entry.row }
    }

    /// How many series and points the sorted rows of one case make.
    static func count(_ rows: UnsafeMutableBufferPointer<Int32>, _ s: ScoreTable) -> (series: Int, points: Int) {
        guard !rows.isEmpty else { return (0, 0) }
        var series = 1, points = 1
        var k = Int(rows[0])
        for j in 1..<rows.count {
            let next = Int(rows[j])
            if major(s, next) != major(s, k) { series += 1; points += 1 } else if s.day[next] != s.day[k] { points += 1 }
            k = next
        }
        return (series, points)
    }
}
