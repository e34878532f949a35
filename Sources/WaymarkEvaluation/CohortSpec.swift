import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators

/// A named filter over series that makes a cohort (METHODS.md M12), as
/// written under `evaluation.programme` or `evaluation.comparison` in a
/// pipeline file. Every condition given must hold; lists match any value.
public struct CohortFilter: Sendable, Equatable {
    public var name: String
    /// Series whose case (M4: the family, or this child) was offered an
    /// intervention of this type or approach between `from` and `to`
    /// (inclusive); entry is the first such offer day.
    public var offeredType: String?
    public var offeredApproach: Approach?
    /// The entry window: offer days (with `offered`) or, without it, the series' first day.
    public var from: Day?
    public var to: Day?
    public var teams: [String] = []
    public var ageBands: [String] = []
    public var sexes: [String] = []
    public var ethnicityGroups: [String] = []
    public var disability: [String] = []
    /// `family` (family-level series only), `child` (per-child series only), or nil for both.
    public var level: String?
    /// Conditions on the series' own fields (as in record-level/series.csv, as at `as_of`).
    public var series: [SeriesCondition] = []
    /// The comparison cohort only: every series of the scale and rater not in the programme.
    public var everyoneElse = false

    public init(name: String) { self.name = name }
    public var usesOffer: Bool { offeredType != nil || offeredApproach != nil }
}

/// The evaluation a pipeline file asks for (M12).
public struct EvaluationSpec: Sendable, Equatable {
    public var scale: String?
    public var rater: Rater?
    public var followUpDays = 180
    public var bootstrap = 2000
    public var seed: UInt64 = 2026
    public var programme = CohortFilter(name: "programme")
    public var comparison: CohortFilter = {
        var c = CohortFilter(name: "comparison")
        c.everyoneElse = true
        return c
    }()
    public init() {}

    /// The scale evaluated: the spec's, else the pipeline's headline scale, else its first.
    public func scaleName(_ options: EvaluationOptions) -> String { scale ?? options.headlineScale ?? options.scales[0].name }
    /// The rater evaluated: the spec's, else the pipeline's headline rater.
    public func rater(_ options: EvaluationOptions) -> Rater { rater ?? options.headlineRater }
}

/// A condition on one field of a series (record-level/series.csv): text
/// fields match any of the listed values; numeric fields lie in [min, max].
public enum SeriesCondition: Sendable, Equatable {
    case text(field: SeriesField, values: [String])
    case range(field: SeriesField, min: Double?, max: Double?)
}

/// The series fields a cohort can be filtered on.
public enum SeriesField: String, Sendable, CaseIterable {
    case team, exposure, reliable, sustained
    case nPoints = "n_points", baseline, latest, change
    case firstDay = "first_day", lastDay = "last_day"

    public var isText: Bool { self == .team || self == .exposure || self == .reliable || self == .sustained }
    public var isDay: Bool { self == .firstDay || self == .lastDay }
}
