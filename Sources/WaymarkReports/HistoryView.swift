import WaymarkCore
import WaymarkIndicators
import WaymarkMethods

/// A practice milestone from the pipeline file (`milestones:`), marked on the
/// long-view charts.
public struct Milestone: Sendable, Equatable {
    public var date: Day
    public var label: String
    public init(date: Day, label: String) {
        self.date = date
        self.label = label
    }
}

/// What the history database says about the headline figures, for the
/// report's "Revisions" and "Over the years" sections. Built from published
/// figures only (the history stores nothing else).
public struct HistoryView: Sendable {
    /// A headline figure that has moved since it was first published.
    public struct Revision: Sendable {
        public var id: IndicatorID
        public var asOf: Day
        /// When the figure was first published (the run's as-of date).
        public var firstRunAsOf: Day
        public var firstStatus: String
        public var firstValue: Double?
        public var nowStatus: String
        public var nowValue: Double?
        public var cause: String
        public init(id: IndicatorID, asOf: Day, firstRunAsOf: Day, firstStatus: String, firstValue: Double?, nowStatus: String,
                    nowValue: Double?, cause: String) {
            self.id = id; self.asOf = asOf; self.firstRunAsOf = firstRunAsOf; self.firstStatus = firstStatus
            self.firstValue = firstValue; self.nowStatus = nowStatus; self.nowValue = nowValue; self.cause = cause
        }
    }

    /// One month end of a headline indicator's long view: the value as first
    /// published, as it stands now (the latest publication, this run's
    /// included), and as reconstructed by a backfill (for month ends never
    /// published). Nil where not published.
    public struct Point: Sendable {
        public var asOf: Day
        public var firstPublished: Double?
        public var now: Double?
        public var reconstructed: Double?
        public init(asOf: Day, firstPublished: Double?, now: Double?, reconstructed: Double?) {
            self.asOf = asOf; self.firstPublished = firstPublished; self.now = now; self.reconstructed = reconstructed
        }
    }

    public var revisions: [Revision]
    public var long: [IndicatorID: [Point]]
    public var milestones: [Milestone]
    /// True when this run's parameters differ from the previous run's: its
    /// figures are a method change, not restatements.
    public var methodChanged: Bool

    public init(revisions: [Revision], long: [IndicatorID: [Point]], milestones: [Milestone], methodChanged: Bool) {
        self.revisions = revisions
        self.long = long
        self.milestones = milestones
        self.methodChanged = methodChanged
    }

    /// Month ends of `id` that have moved since first published (for the trend markers).
    public func revised(_ id: IndicatorID) -> Set<Int32> { Set(revisions.filter { $0.id == id }.map(\.asOf.number)) }
}
