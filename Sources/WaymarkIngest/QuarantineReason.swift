import WaymarkCore
import WaymarkMethods

/// Why a row was quarantined. The raw values are stable codes that appear in
/// `quality.csv` and the quarantine files.
public enum QuarantineReason: String, Sendable, CaseIterable, Comparable {
    case blankRow = "blank_row"
    case wrongFieldCount = "wrong_field_count"
    case malformedQuote = "malformed_quote"
    case fieldTooLong = "field_too_long"
    case invalidEncoding = "invalid_encoding"
    case forbiddenCharacter = "forbidden_character"
    case missingValue = "missing_value"
    case badDate = "bad_date"
    case badNumber = "bad_number"
    case badInteger = "bad_integer"
    case outOfRange = "out_of_range"
    case unknownValue = "unknown_value"
    case unknownScale = "unknown_scale"
    case futureDate = "future_date"
    case endedBeforeStarted = "ended_before_started"
    case closedBeforeOpened = "closed_before_opened"
    case attendedExceedsOffered = "attended_exceeds_offered"
    case unknownIntervention = "unknown_intervention"
    case caseMismatch = "case_mismatch"
    case parentQuarantined = "parent_quarantined"
    case duplicate = "duplicate"
    case conflictingID = "conflicting_id"

    public static func < (a: QuarantineReason, b: QuarantineReason) -> Bool { a.order < b.order }
    var order: Int { QuarantineReason.allCases.firstIndex(of: self) ?? 0 }

    /// What it means and what to do, for the data-quality summary.
    public var explanation: String {
        switch self {
        case .blankRow: return "a row of delimiters only (as Excel leaves behind); delete it"
        case .wrongFieldCount: return "the row has a different number of fields from the header; check for an unquoted delimiter"
        case .malformedQuote: return "a stray double quote inside a field; quote the field and double the quote"
        case .fieldTooLong: return "a field is longer than the limit (limits.max_field_bytes)"
        case .invalidEncoding: return "bytes that are not valid in the declared encoding; declare the right encoding in the mapping"
        case .forbiddenCharacter: return "a control, zero-width or direction character inside a value"
        case .missingValue: return "a required value is empty"
        case .badDate: return "a date that cannot be read with the declared date format(s)"
        case .badNumber: return "a number that cannot be read"
        case .badInteger: return "a whole number that cannot be read"
        case .outOfRange: return "a value outside its allowed range (a score outside its scale, a negative count)"
        case .unknownValue: return "a value outside the canonical vocabulary; add a vocabulary entry to the mapping"
        case .unknownScale: return "a scale that the pipeline file does not declare"
        case .futureDate: return "a date after the day the export was taken (extracted_on)"
        case .endedBeforeStarted: return "ended_on is before started_on"
        case .closedBeforeOpened: return "closed_on is before opened_on"
        case .attendedExceedsOffered: return "sessions_attended is more than sessions_offered"
        case .unknownIntervention: return "the response names an intervention that is not in interventions.csv"
        case .caseMismatch: return "the response's case_id differs from its intervention's case_id"
        case .parentQuarantined: return "the intervention this row depends on was itself quarantined"
        case .duplicate: return "an exact copy of an earlier row (the first is kept)"
        case .conflictingID: return "rows share an id but differ; all of them are held back"
        }
    }
}

/// One problem with one row: the reason and, where it concerns one field, which.
public struct RowProblem: Sendable, Equatable {
    public var reason: QuarantineReason
    /// Zero-based column in the source file, or nil for whole-row problems.
    public var column: Int?
    public init(_ reason: QuarantineReason, column: Int? = nil) {
        self.reason = reason
        self.column = column
    }
}

/// A quarantined row: where it is in its file and everything wrong with it.
public struct QuarantinedRow: Sendable, Equatable {
    public var line: Int
    public var byteOffset: Int
    public var byteCount: Int
    public var problems: [RowProblem]
}
