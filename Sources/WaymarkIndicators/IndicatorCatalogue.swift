import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// What an indicator counts: the unit behind its numerator and denominator.
/// It decides which breakdowns apply (M10, M13.9) and which team a unit takes (M13.7).
public enum IndicatorUnit: String, Sendable {
    case series, segments, occasions, offers, endings, cases, withdrawals, closures

    /// Child characteristics (age band, sex, ethnicity, disability) apply to
    /// units that belong to a child or to the family; not to case-level units
    /// or case-day occasions (M13.9).
    public var hasChildBreakdowns: Bool {
        switch self {
        case .series, .segments, .offers, .endings, .withdrawals: return true
        case .occasions, .cases, .closures: return false
        }
    }
}

/// Which (scale, rated_by) rows an indicator has (M13.8).
public enum IndicatorRows: Sendable {
    /// Per declared scale and per rater with a score on it.
    case perScaleAndRater
    /// Per declared scale, `rated_by` = `all`.
    case perScale
    /// Per declared scale, the headline rater.
    case perScaleHeadlineRater
    /// `scale` = `all`, `rated_by` = `all`.
    case overall
}

/// How a value is formed and therefore how it is protected (M11).
public enum IndicatorKind: Sendable {
    /// numerator / denominator of counts.
    case rate
    /// a sum of values over a count of units (I1, I8).
    case mean
}

/// One indicator's definition (METHODS.md M8): the single source of its
/// metadata in `indicators.csv`, of the methods appendix of the report and of
/// `docs/indicators.md`, so the words can never drift from the code.
public struct IndicatorDefinition: Sendable {
    public var id: IndicatorID
    public var key: String
    public var title: String
    public var numerator: String
    public var denominator: String
    public var higherIsBetter: Bool
    public var reason: String
    public var unit: IndicatorUnit
    public var rows: IndicatorRows
    public var kind: IndicatorKind
    /// Optional inputs it cannot be computed without (status `x` when absent).
    public var needs: [InputFile]

    public var better: String { higherIsBetter ? "higher" : "lower" }
}

/// The catalogue of M8 with M13.10's companion rows, in the order rows are written.
public enum IndicatorCatalogue {
    public static let all: [IndicatorDefinition] = [
        .init(id: .i1, key: "distance_travelled", title: "Mean change since first score",
              numerator: "sum of change (latest minus first oriented score) over the series in scope",
              denominator: "series in scope (two or more points, last point in the window)", higherIsBetter: true,
              reason: "Measures how far families have moved, not how many cases were closed.",
              unit: .series, rows: .perScaleAndRater, kind: .mean, needs: []),
        .init(id: .i2, key: "reliable_improvement", title: "Reliable improvement",
              numerator: "series in scope whose change is a reliable improvement (RCI >= 1.96)",
              denominator: "series in scope with an RCI", higherIsBetter: true,
              reason: "Counts change bigger than the scale's measurement noise, so real progress is credited.",
              unit: .series, rows: .perScaleAndRater, kind: .rate, needs: []),
        .init(id: .i3, key: "reliable_deterioration", title: "Reliable deterioration",
              numerator: "series in scope whose change is a reliable deterioration (RCI <= -1.96)",
              denominator: "series in scope with an RCI", higherIsBetter: false,
              reason: "Shows where things got reliably worse, so help can be reviewed rather than blame assigned.",
              unit: .series, rows: .perScaleAndRater, kind: .rate, needs: []),
        .init(id: .i4, key: "sustained_safety", title: "Sustained at or above threshold",
              numerator: "series in scope whose last two points are at or above the scale's sustained threshold and at least the minimum gap apart",
              denominator: "series in scope", higherIsBetter: true,
              reason: "Rewards safety that holds over time, not a one-off good score.",
              unit: .series, rows: .perScaleAndRater, kind: .rate, needs: []),
        .init(id: .i5, key: "help_before_worsening", title: "Help was on offer when things got worse",
              numerator: "worsened segments in scope whose support context is not none_offered",
              denominator: "worsened segments in scope", higherIsBetter: true,
              reason: "Risk that rose while no help was on offer points at the service, not the family.",
              unit: .segments, rows: .perScaleAndRater, kind: .rate, needs: [.interventions]),
        .init(id: .i6, key: "improved_when_engaged", title: "Improvement while help was taken up",
              numerator: "improved segments in scope whose support context is engaged",
              denominator: "segments in scope whose support context is engaged", higherIsBetter: true,
              reason: "Credits the family's engagement and the help that was given when things improved.",
              unit: .segments, rows: .perScaleAndRater, kind: .rate, needs: [.interventions, .responses]),
        .init(id: .i7, key: "family_voice", title: "Family's own score recorded",
              numerator: "occasions in the window with a parent, child or carer score",
              denominator: "occasions in the window (distinct case and day with a score on the scale)", higherIsBetter: true,
              reason: "Co-production: the family's own view of its situation is asked for and written down.",
              unit: .occasions, rows: .perScale, kind: .rate, needs: []),
        .init(id: .i8, key: "perspective_gap", title: "Gap between family and practitioner",
              numerator: "sum over paired occasions of |mean practitioner value - mean family value|",
              denominator: "paired occasions in the window (a practitioner and a family score the same day)", higherIsBetter: false,
              reason: "Converging views mean the family and practitioner are working toward shared goals.",
              unit: .occasions, rows: .perScale, kind: .mean, needs: []),
        .init(id: .i9, key: "offer_acceptance", title: "Offers accepted",
              numerator: "offers in scope whose first day of responses reaches partial or engaged",
              denominator: "offers in scope with any response by the month end", higherIsBetter: true,
              reason: "Help that families accept is help that fits what they want.",
              unit: .offers, rows: .overall, kind: .rate, needs: [.interventions, .responses]),
        .init(id: .i10, key: "response_recorded", title: "Family response recorded",
              numerator: "offers in scope with a response recorded by the month end",
              denominator: "offers in scope (offered in the window)", higherIsBetter: true,
              reason: "A trajectory can only be read in context if the family's response to help is known.",
              unit: .offers, rows: .overall, kind: .rate, needs: [.interventions, .responses]),
        .init(id: .i11, key: "help_completed", title: "Help completed",
              numerator: "interventions ended in the window with end reason completed",
              denominator: "interventions ended in the window (a blank end reason counts here only)", higherIsBetter: true,
              reason: "Help carried through to the end is help given, not just offered.",
              unit: .endings, rows: .overall, kind: .rate, needs: [.interventions]),
        .init(id: .i12, key: "network_reach", title: "Families offered network-based help",
              numerator: "cases in scope offered a network approach in the window",
              denominator: "cases in scope (a score or an offer in the window)", higherIsBetter: true,
              reason: "Draws on the family's own network (family group conferences, network meetings).",
              unit: .cases, rows: .overall, kind: .rate, needs: [.interventions]),
        .init(id: .i13, key: "community_reach", title: "Help from community and voluntary providers",
              numerator: "offers in scope from a community or voluntary provider",
              denominator: "offers in scope (a blank provider counts here only)", higherIsBetter: true,
              reason: "Community resources around the family, not only professional services.",
              unit: .offers, rows: .overall, kind: .rate, needs: [.interventions]),
        .init(id: .i14, key: "withdrawal_without_improvement", title: "Support withdrawn or reduced and no improvement followed",
              numerator: "known withdrawals whose mean change across them is below the scale's step",
              denominator: "known withdrawals (support ended as service_withdrawn or reduced in the window, with a score before and one within after_days after)",
              higherIsBetter: false,
              reason: "A guardrail: strengths-based practice is not a reason to cut support.",
              unit: .withdrawals, rows: .perScaleHeadlineRater, kind: .rate, needs: [.interventions]),
        .init(id: .i14u, key: "withdrawal_effect_unknown", title: "Withdrawals whose effect is not yet known",
              numerator: "withdrawals in the window without a score before and one within after_days after",
              denominator: "withdrawals in the window", higherIsBetter: false,
              reason: "Shown beside I14 so that unmeasured withdrawals are not hidden.",
              unit: .withdrawals, rows: .perScaleHeadlineRater, kind: .rate, needs: [.interventions]),
        .init(id: .i15, key: "closure_with_improvement", title: "Closures that followed measured improvement",
              numerator: "measured closures whose every series is reliable_improvement or sustained as at the closure",
              denominator: "measured closures in the window (at least one series with two points by the closure)", higherIsBetter: true,
              reason: "Closures are context: a closure counts as a good outcome only after measured improvement.",
              unit: .closures, rows: .perScaleHeadlineRater, kind: .rate, needs: [.episodes]),
        .init(id: .i15u, key: "closure_unmeasured", title: "Closures without a measured outcome",
              numerator: "closures in the window without a series of two points by the closure",
              denominator: "closures in the window", higherIsBetter: false,
              reason: "Shown beside I15 so that closures nobody measured are not hidden.",
              unit: .closures, rows: .perScaleHeadlineRater, kind: .rate, needs: [.episodes]),
        .init(id: .i16, key: "re_referral_12m", title: "Re-referred within 12 months of closure",
              numerator: "closures between two years and one year before the month end whose case opened again within 365 days",
              denominator: "closures between two years and one year before the month end", higherIsBetter: false,
              reason: "Durability: families who do not need to come back within a year.",
              unit: .closures, rows: .overall, kind: .rate, needs: [.episodes]),
    ]

    /// The definition of an indicator (the catalogue is in `IndicatorID` order; a test checks it).
    public static func definition(_ id: IndicatorID) -> IndicatorDefinition { all[id.order] }

    /// The methodology page (`docs/indicators.md`), generated from the catalogue.
    public static func markdown() -> String {
        var out = """
        # Indicator catalogue

        Generated from `Sources/Waymark/Indicators/IndicatorCatalogue.swift` by
        `waymark catalogue`; do not edit by hand (a test checks it matches).
        Definitions: METHODS.md M7, M8, M13. Windows, scope and suppression:
        docs/indicators-method.md.

        | id | key | title | better | unit | rows |
        |---|---|---|---|---|---|

        """
        for d in all {
            out += "| \(d.id) | `\(d.key)` | \(d.title) | \(d.better) | \(d.unit.rawValue) | \(rowsText(d.rows)) |\n"
        }
        for d in all {
            out += "\n## \(d.id) \(d.title)\n\n"
            out += "- **Numerator:** \(d.numerator).\n"
            out += "- **Denominator:** \(d.denominator).\n"
            out += "- **Value:** \(d.kind == .mean ? "numerator / denominator, a mean" : "numerator / denominator, a proportion 0-1"); \(d.better) is better.\n"
            out += "- **Why:** \(d.reason)\n"
            out += "- **Breakdowns:** total, team\(d.unit.hasChildBreakdowns ? ", age_band, sex, ethnicity_group, disability (with children.csv)" : "").\n"
            if !d.needs.isEmpty {
                out += "- **Needs:** \(d.needs.map(\.fileName).joined(separator: ", ")); without it the indicator has status `x`.\n"
            }
        }
        return out
    }

    static func rowsText(_ r: IndicatorRows) -> String {
        switch r {
        case .perScaleAndRater: return "per scale and rater"
        case .perScale: return "per scale, all raters"
        case .perScaleHeadlineRater: return "per scale, headline rater"
        case .overall: return "all scales, all raters"
        }
    }
}
