import WaymarkCore
import WaymarkMethods
import WaymarkIndicators
import WaymarkDisclosure

/// What a published figure is of, without its month end: an indicator row's
/// key, a matrix cell, or a bin of the distribution of change.
public struct SeriesKey: Hashable, Sendable {
    /// `indicator`, `matrix` or `distribution`.
    public var kind: String
    public var indicatorID: String
    public var scale: String
    public var ratedBy: String
    public var breakdown: String
    public var group: String

    public init(kind: String, indicatorID: String, scale: String, ratedBy: String, breakdown: String, group: String) {
        self.kind = kind
        self.indicatorID = indicatorID
        self.scale = scale
        self.ratedBy = ratedBy
        self.breakdown = breakdown
        self.group = group
    }

    /// An indicator row's series.
    public static func indicator(_ id: IndicatorID, scale: String, ratedBy: String, breakdown: String = "total", group: String = "total") -> SeriesKey {
        SeriesKey(kind: "indicator", indicatorID: id.rawValue, scale: scale, ratedBy: ratedBy, breakdown: breakdown, group: group)
    }
}

/// One figure exactly as published (or as reconstructed by a backfill): its
/// status, and its numbers only when the status is `published`.
public struct HistoryFigure: Sendable, Equatable {
    public var key: SeriesKey
    public var asOf: Day
    public var status: String
    public var numerator: Double?
    public var denominator: Int?
    public var value: Double?

    public init(key: SeriesKey, asOf: Day, status: String, numerator: Double?, denominator: Int?, value: Double?) {
        self.key = key
        self.asOf = asOf
        self.status = status
        self.numerator = numerator
        self.denominator = denominator
        self.value = value
    }

    public var isPublished: Bool { status == CellStatus.published.rawValue }

    /// True when `other` (the same series and month end, from another run)
    /// differs: its status changed, or its value moved by more than 1e-9.
    public func differs(from other: HistoryFigure) -> Bool {
        if status != other.status { return true }
        switch (value, other.value) {
        case (nil, nil): return numerator != other.numerator || denominator != other.denominator
        case (let a?, let b?): return abs(a - b) > 1e-9 || denominator != other.denominator
        default: return true
        }
    }

    /// Every figure of a run's published results: indicator rows, matrix cells
    /// and the distribution's bins. Only published results can be recorded,
    /// so the history holds exactly what was published.
    public static func all(from results: PublishedIndicators) -> [HistoryFigure] {
        var out: [HistoryFigure] = []
        out.reserveCapacity(results.rows.count + results.matrices.count * 15 + 11)
        for r in results.rows {
            out.append(HistoryFigure(key: SeriesKey(kind: "indicator", indicatorID: r.id.rawValue, scale: r.scale, ratedBy: r.rater,
                                                    breakdown: r.breakdown.name, group: r.group),
                                     asOf: r.asOf, status: r.status.rawValue, numerator: r.numerator, denominator: r.denominator, value: r.value))
        }
        for m in results.matrices {
            for c in SupportContext.allCases {
                for d in Direction.allCases {
                    out.append(HistoryFigure(key: SeriesKey(kind: "matrix", indicatorID: "M9", scale: m.scale, ratedBy: m.rater.rawValue,
                                                            breakdown: c.name, group: d.name),
                                             asOf: m.asOf, status: m.status(c, d).rawValue, numerator: nil,
                                             denominator: m.segments(c, d), value: m.meanChange(c, d)))
                }
            }
        }
        if let dist = results.distribution {
            for (k, bin) in ChangeDistribution.bins.enumerated() {
                let count = dist.counts[k]
                out.append(HistoryFigure(key: SeriesKey(kind: "distribution", indicatorID: "I1", scale: dist.scale, ratedBy: dist.rater.rawValue,
                                                        breakdown: "change", group: String(bin)),
                                         asOf: dist.asOf, status: count == nil ? CellStatus.suppressed.rawValue : CellStatus.published.rawValue,
                                         numerator: count.map(Double.init), denominator: count == nil ? nil : dist.total,
                                         value: count.map { dist.total > 0 ? Double($0) / Double(dist.total) : 0 }))
            }
        }
        return out
    }
}
