import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// The support-response matrix (METHODS.md M9): segments in scope counted by
/// support context and direction, with the mean change in each cell. The
/// picture of the practice problem: how scores moved given the help offered
/// and the family's response.
public struct SupportMatrix: Sendable, Equatable {
    /// One cell: how many segments, and the sum of their changes.
    public struct Cell: Sendable, Equatable {
        public var segments = 0
        public var sumOfChange = 0.0
        /// The mean change, or nil for an empty cell.
        public var meanChange: Double? { segments > 0 ? sumOfChange / Double(segments) : nil }

        public init(segments: Int = 0, sumOfChange: Double = 0) {
            self.segments = segments
            self.sumOfChange = sumOfChange
        }
    }

    public init() {}

    /// `cells[context.rawValue][direction.rawValue]`: 5 x 3.
    public var cells: [[Cell]] = Array(repeating: Array(repeating: Cell(), count: 3), count: 5)

    public subscript(context: SupportContext, direction: Direction) -> Cell {
        cells[Int(context.rawValue)][Int(direction.rawValue)]
    }

    /// The matrix of one scale and rater over the segments whose end lies in
    /// the window (asOf - windowDays, asOf] (M7).
    public static func compute(_ t: Trajectories, scale: Int, rater: Rater, asOf: Day, windowDays: Int) -> SupportMatrix {
        var m = SupportMatrix()
        let e = asOf.number
        let from = e - Int32(windowDays)
        for s in t.series where Int(s.scale) == scale && s.rater == rater {
            for k in s.segments {
                let g = t.segments[k]
                guard g.end > from && g.end <= e else { continue }
                m.cells[Int(g.context.rawValue)][Int(g.direction.rawValue)].segments += 1
                m.cells[Int(g.context.rawValue)][Int(g.direction.rawValue)].sumOfChange += g.change
            }
        }
        return m
    }
}
