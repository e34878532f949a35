import WaymarkCore
import WaymarkMethods

/// The five canonical input files of DATA-CONTRACT.md and their columns.
public enum InputFile: String, CaseIterable, Sendable, Comparable {
    case scalingScores = "scaling_scores"
    case interventions
    case responses
    case episodes
    case children

    public var fileName: String { rawValue + ".csv" }
    public var isRequired: Bool { self == .scalingScores || self == .interventions || self == .responses }
    public static func < (a: InputFile, b: InputFile) -> Bool { a.order < b.order }
    var order: Int { InputFile.allCases.firstIndex(of: self) ?? 0 }

    /// The canonical columns, in the contract's order.
    public var columns: [ColumnSpec] {
        switch self {
        case .scalingScores:
            return [
                .init("score_id", .identifier), .init("case_id", .identifier, required: true),
                .init("child_id", .identifier), .init("team", .text), .init("worker_id", .identifier),
                .init("recorded_on", .date, required: true), .init("scale", .scale, required: true),
                .init("score", .decimal, required: true),
                .init("rated_by", .enumeration(Rater.allNames), required: true),
                .init("setting", .enumeration(Setting.allNames)),
            ]
        case .interventions:
            return [
                .init("intervention_id", .identifier, required: true), .init("case_id", .identifier, required: true),
                .init("child_id", .identifier), .init("type", .text, required: true),
                .init("approach", .enumeration(Approach.allNames)), .init("offered_on", .date, required: true),
                .init("started_on", .date), .init("ended_on", .date),
                .init("end_reason", .enumeration(EndReason.allNames)), .init("planned_hours", .decimal),
                .init("provider", .enumeration(Provider.allNames)), .init("team", .text),
            ]
        case .responses:
            return [
                .init("response_id", .identifier), .init("intervention_id", .identifier, required: true),
                .init("case_id", .identifier, required: true), .init("recorded_on", .date, required: true),
                .init("response", .enumeration(ResponseKind.allNames), required: true),
                .init("sessions_offered", .integer), .init("sessions_attended", .integer),
                .init("family_rating", .decimal), .init("responder", .enumeration(Responder.allNames)),
            ]
        case .episodes:
            return [
                .init("case_id", .identifier, required: true), .init("opened_on", .date, required: true),
                .init("closed_on", .date), .init("closure_reason", .text),
            ]
        case .children:
            return [
                .init("child_id", .identifier, required: true), .init("case_id", .identifier, required: true),
                .init("age_band", .text), .init("sex", .text), .init("ethnicity_group", .text),
                .init("disability", .enumeration(Disability.allNames)),
            ]
        }
    }

    /// Index of a canonical column by name.
    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }
}

/// One canonical column: its name, what kind of value it holds, and whether a
/// row without it is refused.
public struct ColumnSpec: Sendable {
    /// What a column holds, which decides how it is parsed and checked.
    public enum Kind: Sendable {
        /// A pseudonymous identifier: compared exactly after the mapping's normalisations.
        case identifier
        /// Free text or a code (team, type, bands): kept as written.
        case text
        case date
        case decimal
        case integer
        /// A value of a declared scale (pipeline file).
        case scale
        /// One of a fixed vocabulary (plus the mapping's entries).
        case enumeration([String])
    }
    public let name: String
    public let kind: Kind
    public let required: Bool

    init(_ name: String, _ kind: Kind, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
    }

    /// Every column that can hold an identifier is scanned, whatever its type
    /// (DATA-CONTRACT.md: a 10-digit NHS number in a decimal column is still
    /// one). Dates and vocabulary values cannot, once they parse.
    var alwaysScanned: Bool {
        switch kind {
        case .identifier, .text, .decimal, .integer, .scale: return true
        case .date, .enumeration: return false
        }
    }
}

/// A closed vocabulary stored as one byte per row.
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Sendable {}
extension Vocabulary {
    public static var allNames: [String] { allCases.map(\.rawValue) }
    /// The 1-based code stored in tables (0 is blank).
    public var code: UInt8 {
        var i: UInt8 = 1
        for c in Self.allCases {
            if c == self { return i }
            i += 1
        }
        return 0
    }
    /// The value for a stored code, nil for blank.
    public static func from(code: UInt8) -> Self? {
        guard code > 0 else { return nil }
        let all = Array(allCases)
        return Int(code) <= all.count ? all[Int(code) - 1] : nil
    }
}

/// Who gave a score (`rated_by`).
public enum Rater: String, Vocabulary {
    case practitioner, parent, child, carer, network
    case partnerAgency = "partner_agency"
    case group
    /// Parent, child or carer: the family's own voice (I7, I8).
    public var isFamily: Bool { self == .parent || self == .child || self == .carer }
}

/// The meeting or setting where a score was given.
public enum Setting: String, Vocabulary {
    case assessment, review
    case unitMeeting = "unit_meeting"
    case conference, supervision, closure, other
}

/// The kind of help an intervention is.
public enum Approach: String, Vocabulary {
    case relational, network, practical, therapeutic, statutory, signposting

    /// METHODS.md M13.15: the default type -> approach table.
    public static let defaultByType: [String: Approach] = [
        "family_group_conference": .network, "network_meeting": .network,
        "motivational_interviewing": .therapeutic, "systemic_family_therapy": .therapeutic,
        "parenting_programme": .relational, "safety_planning": .statutory,
        "practical_support": .practical, "respite": .practical, "shared_lives": .practical,
        "signposting": .signposting,
    ]
}

/// Why an intervention ended.
public enum EndReason: String, Vocabulary {
    case completed
    case familyWithdrew = "family_withdrew"
    case serviceWithdrawn = "service_withdrawn"
    case reduced, transferred, other

    /// Whether a stored end-reason code means support was withdrawn or reduced (M5, I14).
    @inline(__always)
    public static func isWithdrawal(code: UInt8) -> Bool { Int(code) < withdrawalByCode.count && withdrawalByCode[Int(code)] }

    /// By stored code (0 = blank): the rule's end reasons, looked up once.
    private static let withdrawalByCode: [Bool] = [false] + allCases.map { Withdrawal.endReasons.contains($0.rawValue) }
}

/// Who provided the help.
public enum Provider: String, Vocabulary {
    case inHouse = "in_house"
    case partnerAgency = "partner_agency"
    case community, voluntary
}

/// A family's recorded response to an intervention.
public enum ResponseKind: String, Vocabulary {
    case accepted, declined, engaged
    case partiallyEngaged = "partially_engaged"
    case disengaged, completed
}

/// Who in the family responded.
public enum Responder: String, Vocabulary {
    case parent, child, carer, family
}

/// Disability flag in `children.csv`.
public enum Disability: String, Vocabulary {
    case yes, no, unknown
}
