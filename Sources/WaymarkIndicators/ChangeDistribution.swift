import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// The distance travelled (the report's distribution of change): the series
/// in scope of one scale and rater at a month end (M7: two or more points,
/// the last in the window), counted by their change from first to latest
/// score rounded to whole points, with everything at or below -5 and at or
/// above +5 in the end bins. Its total is I1's denominator for that scale,
/// rater and month end, which the disclosure audit uses.
public struct ChangeDistribution: Sendable, Equatable {
    /// The bins: -5 (and below) ... +5 (and above).
    public static let bins = Array(-5...5)
    public var scale: String
    public var rater: Rater
    public var asOf: Day
    /// Series per bin, in `bins` order.
    public var counts: [Int]

    public var total: Int { counts.reduce(0, +) }

    public static func compute(_ t: Trajectories, scaleIndex: Int, scale: String, rater: Rater, asOf: Day, windowDays: Int) -> ChangeDistribution {
        let e = asOf.number, from = e - Int32(windowDays)
        var counts = [Int](repeating: 0, count: bins.count)
        for s in t.series where Int(s.scale) == scaleIndex && s.rater == rater {
            guard let change = s.change, s.lastDay > from && s.lastDay <= e else { continue }
            counts[Int(max(-5, min(5, change.rounded()))) + 5] += 1
        }
        return ChangeDistribution(scale: scale, rater: rater, asOf: asOf, counts: counts)
    }
}
