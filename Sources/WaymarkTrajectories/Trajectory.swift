import WaymarkCore
import WaymarkMethods
import WaymarkIngest

extension SupportContext {
    /// The response level of one response (M5): engaged and completed are
    /// `engaged`; partially engaged and accepted `partial`; declined and
    /// disengaged `declined`.
    public static func level(of response: ResponseKind) -> SupportContext {
        switch response {
        case .engaged, .completed: return .engaged
        case .partiallyEngaged, .accepted: return .partial
        case .declined, .disengaged: return .declined
        }
    }
}

/// One point of a series (M2): a day and the mean oriented value of that day's scores.
public struct Point: Sendable, Equatable {
    public var value: Double
    public var day: Int32
    /// How many scores were merged into the point.
    public var rawScores: Int32
    // 16 bytes: the double first, so no padding.
}

/// One segment (M3, M5): two consecutive points and the support around them.
/// Segment k of a series joins its points k and k + 1 (the values are there).
public struct Segment: Sendable, Equatable {
    public var change: Double
    public var plannedHours: Double
    public var start: Int32
    public var end: Int32
    public var activeInterventions: Int32
    public var direction: Direction
    public var context: SupportContext
    public var withdrawn: Bool
    // 32 bytes.
}

/// One series (M2) and its summary (M6). Optional fields are empty for a
/// one-point series or when the scale lacks the parameters they need.
///
/// Held in 80 bytes (1.5M series at 10M score rows): point and segment
/// ranges as 32-bit starts and a count (a series' segments are one fewer
/// than its points), and the optional numbers as values with a flag each.
public struct Series: Sendable, Equatable {
    public var caseID: UInt32
    public var childID: UInt32
    /// Team code (`IdentifierSpace.teams`), or 0 for `unknown` (M13.7).
    public var team: UInt32
    public var firstDay: Int32
    public var lastDay: Int32
    private var pointStart: UInt32
    private var pointCount: UInt32
    private var segmentStart: UInt32
    public var baseline: Double
    public var latest: Double
    private var changeValue = 0.0
    private var slopeValue = 0.0
    private var rciValue = 0.0
    public var scale: UInt16          // index into the pipeline's scales
    public var rater: Rater
    /// Which of change, slope and rci are set.
    private var present: UInt8 = 0
    public var reliable: ReliableChange?
    public var sustained: Bool?
    public var exposure: SupportContext?

    /// `segments` must be empty for one point, else one fewer than `points`.
    public init(caseID: UInt32, childID: UInt32, scale: UInt16, rater: Rater, team: UInt32, points: Range<Int>, segments: Range<Int>,
                firstDay: Int32, lastDay: Int32, baseline: Double, latest: Double) {
        precondition(points.upperBound <= Int(UInt32.max) && segments.upperBound <= Int(UInt32.max),
                     "more than 4,294,967,295 points: partition the export by case")
        precondition(segments.count == max(0, points.count - 1), "a series has one segment fewer than points")
        self.caseID = caseID
        self.childID = childID
        self.team = team
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.pointStart = UInt32(points.lowerBound)
        self.pointCount = UInt32(points.count)
        self.segmentStart = UInt32(segments.lowerBound)
        self.baseline = baseline
        self.latest = latest
        self.scale = scale
        self.rater = rater
    }

    /// Range of this series' points in `Trajectories.points`.
    public var points: Range<Int> { Int(pointStart)..<(Int(pointStart) + Int(pointCount)) }
    /// Range of this series' segments in `Trajectories.segments`.
    public var segments: Range<Int> { Int(segmentStart)..<(Int(segmentStart) + max(0, Int(pointCount) - 1)) }
    public var n: Int { Int(pointCount) }

    public var change: Double? {
        get { present & 1 != 0 ? changeValue : nil }
        set { changeValue = newValue ?? 0; present = newValue == nil ? present & ~1 : present | 1 }
    }
    public var slopePer30Days: Double? {
        get { present & 2 != 0 ? slopeValue : nil }
        set { slopeValue = newValue ?? 0; present = newValue == nil ? present & ~2 : present | 2 }
    }
    public var rci: Double? {
        get { present & 4 != 0 ? rciValue : nil }
        set { rciValue = newValue ?? 0; present = newValue == nil ? present & ~4 : present | 4 }
    }
}

/// Every series, point and segment of a run as at one day, with the support
/// context of each segment: the record-level result of M1-M6.
public struct Trajectories: Sendable {
    public var asOf: Day
    public var series: [Series]
    public var points: [Point]
    public var segments: [Segment]
    /// Scores merged into a point with another score of the same series and day.
    public var sameDayMerges: Int
    /// (scale, rater) pairs whose RCI could not be computed, and why.
    public var rciNotes: [String]
    /// Per point: the team of its last score (file order) that names one, or 0;
    /// and that score's line (M13.7: occasions take the last team of their day).
    public var pointTeams: [UInt32]
    public var pointTeamLines: [UInt32]
    /// The offers and responses indexed by case as at `asOf`, with each
    /// offer's stop day (M4, M5): month-end evaluation (M7) reuses it.
    public var support: SupportIndex
    /// Each case's team over time (M13.7).
    public var caseTeams: CaseTeams

    public init(asOf: Day, series: [Series], points: [Point], segments: [Segment], sameDayMerges: Int, rciNotes: [String],
                pointTeams: [UInt32], pointTeamLines: [UInt32], support: SupportIndex, caseTeams: CaseTeams) {
        self.asOf = asOf
        self.series = series
        self.points = points
        self.segments = segments
        self.sameDayMerges = sameDayMerges
        self.rciNotes = rciNotes
        self.pointTeams = pointTeams
        self.pointTeamLines = pointTeamLines
        self.support = support
        self.caseTeams = caseTeams
    }
}
