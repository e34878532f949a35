/// The support context of a segment (METHODS.md M5), in the order "best"
/// is judged: none_offered < unrecorded < declined < partial < engaged.
public enum SupportContext: UInt8, Sendable, CaseIterable, Comparable {
    case noneOffered = 0, unrecorded, declined, partial, engaged

    public var name: String {
        switch self {
        case .noneOffered: return "none_offered"
        case .unrecorded: return "unrecorded"
        case .declined: return "declined"
        case .partial: return "partial"
        case .engaged: return "engaged"
        }
    }

    public static func < (a: SupportContext, b: SupportContext) -> Bool { a.rawValue < b.rawValue }
}

/// How a segment's score moved (M3).
public enum Direction: UInt8, Sendable, CaseIterable {
    case worsened = 0, steady, improved
    public var name: String { ["worsened", "steady", "improved"][Int(rawValue)] }
}

/// M4: which help belongs to which series. Children are numbered from 1;
/// 0 is the family (a family-level score or an offer to the whole family).
public enum Belonging {
    /// An intervention belongs to a series when either is family-level or
    /// both are about the same child.
    @inlinable
    public static func interventionBelongs(interventionChild: UInt32, seriesChild: UInt32) -> Bool {
        interventionChild == 0 || seriesChild == 0 || interventionChild == seriesChild
    }
}

/// M5 and M13.4: the day an offer stops being on offer, as at day `e`.
public enum OfferStop {
    /// Still on offer.
    public static let never = Int32.max

    /// `ended_on` if dated by `e`; else the day of its latest response by `e`
    /// if that is a decline (never, if it is another response); else, not
    /// started by `e` and without a response, `offer_lapse_days` after the offer.
    @inlinable
    public static func day(asOf e: Int32, offered: Int32, started: Int32?, ended: Int32?,
                           latestResponse: (day: Int32, declined: Bool)?, lapseDays: Int32) -> Int32 {
        if let ended, ended <= e { return ended }
        if let r = latestResponse { return r.declined ? r.day : never }
        if started == nil || started! > e { return offered + lapseDays }
        return never
    }
}

/// M5 and M8 (I14): help the service withdrew or reduced, by `end_reason`.
public enum Withdrawal {
    /// The end reasons that mean support was withdrawn or reduced.
    public static let endReasons: Set<String> = ["service_withdrawn", "reduced"]
}

/// M10 and M13.7-M13.9: the names of the groups that are not values of the data.
public enum GroupName {
    /// Family-level series (no child) in a child-characteristic breakdown.
    public static let family = "family"
    /// A blank value: no team, or a blank characteristic.
    public static let unknown = "unknown"
    /// The total row's group (breakdown `total`).
    public static let total = "total"

    /// A characteristic's group: its text, or `unknown` when blank.
    @inlinable
    public static func of(_ text: String) -> String { text.isEmpty ? unknown : text }
}
