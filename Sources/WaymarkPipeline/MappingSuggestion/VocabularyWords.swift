import WaymarkCore
import WaymarkIngest

/// Maps a column's sampled words to canonical vocabulary values: the
/// canonical word itself, the same once case and punctuation are folded
/// ("Partially Engaged" -> `partially_engaged`), or a common synonym
/// ("Social Worker" -> `practitioner`, "Parent/Carer" -> `parent`).
///
/// Only words that look like category labels (letters and a little
/// punctuation, no digits, not flagged by the identifier guard) are ever
/// mapped, so a draft never carries data about a person.
public enum VocabularyWords {
    static let synonyms: [String: [String: String]] = [
        "rated_by": [
            "social_worker": "practitioner", "worker": "practitioner", "sw": "practitioner", "professional": "practitioner",
            "key_worker": "practitioner", "lead_professional": "practitioner", "allocated_worker": "practitioner",
            "family_support_worker": "practitioner", "practitioner": "practitioner",
            "parent_carer": "parent", "parent": "parent", "parents": "parent", "mother": "parent", "father": "parent",
            "mum": "parent", "dad": "parent", "parent_or_carer": "parent",
            "young_person": "child", "child_young_person": "child", "child_or_young_person": "child", "yp": "child",
            "cyp": "child", "child": "child",
            "foster_carer": "carer", "kinship_carer": "carer", "special_guardian": "carer", "carer": "carer",
            "family_network": "network", "wider_family": "network", "network_member": "network", "family_and_friends": "network",
            "partner_agency": "partner_agency", "agency": "partner_agency", "other_professional": "partner_agency",
            "other_agency": "partner_agency",
            "unit_meeting": "group", "group": "group", "core_group": "group", "conference": "group", "consensus": "group",
            "panel": "group", "child_protection_conference": "group", "group_meeting": "group", "family_group_meeting": "group",
        ],
        "setting": [
            "initial_assessment": "assessment", "review_meeting": "review", "child_protection_conference": "conference",
            "case_conference": "conference",
        ],
        "response": ["refused": "declined", "did_not_engage": "disengaged", "partly_engaged": "partially_engaged", "complete": "completed"],
        "responder": ["mother": "parent", "father": "parent", "parent_carer": "parent", "young_person": "child", "whole_family": "family"],
        "provider": ["in_house_team": "in_house", "inhouse": "in_house", "partner": "partner_agency", "voluntary_sector": "voluntary"],
        "disability": ["y": "yes", "n": "no", "not_known": "unknown", "not_recorded": "unknown", "true": "yes", "false": "no"],
        "end_reason": ["family_withdrawn": "family_withdrew", "withdrawn_by_family": "family_withdrew", "complete": "completed"],
    ]

    /// Lower case, every run of other characters one `_`, none at the ends.
    static func fold(_ word: String) -> String {
        var out = ""
        var gap = false
        for ch in word.lowercased() {
            if ch.isLetter || ch.isNumber {
                if gap && !out.isEmpty { out.append("_") }
                out.append(ch)
                gap = false
            } else if ch == "&" {
                if !out.isEmpty { out.append("_and") }
                gap = true
            } else {
                gap = true
            }
        }
        return out
    }

    /// Whether a value may be written into a draft as a vocabulary word: a
    /// short label of letters and `/ & - ' ( ) . :` and spaces, not flagged by
    /// the identifier guard.
    public static func isLabel(_ value: String) -> Bool {
        guard !value.isEmpty, value.count <= 40, value.contains(where: \.isLetter) else { return false }
        let allowed: Set<Character> = [" ", "/", "&", "-", "'", "(", ")", ".", ":", "_"]
        guard value.allSatisfy({ ($0.isLetter && $0.isASCII) || allowed.contains($0) }) else { return false }
        return !IdentifierGuard.flags(value)
    }

    /// The fewest times a word must occur in the sample before the draft may
    /// copy it as a category (a reason or a scale's label): a name or a note
    /// typed into one row is not a category.
    public static let minimumRepeats = 3

    /// Whether a value the draft would copy without matching it to a canonical
    /// word (a reason a score is missing, a scale's label) is a category: a
    /// label (``isLabel(_:)``) of at most six words, seen `minimumRepeats` times.
    public static func isCategory(_ value: String, count: Int) -> Bool {
        count >= minimumRepeats && value.split(separator: " ").count <= 6 && isLabel(value)
    }

    /// The canonical word `value` means in the enumeration column `column`, or nil.
    public static func canonical(_ value: String, column: String, names: [String]) -> String? {
        if names.contains(value) { return value }
        guard isLabel(value) else { return nil }
        let folded = fold(value)
        if names.contains(folded) { return folded }
        if let s = synonyms[column]?[folded], names.contains(s) { return s }
        return nil
    }

    /// The scale name a label such as "Safety Scale" stands for: known
    /// scales by their stem, else the label folded without "scale"/"score".
    public static func scaleName(_ value: String) -> String? {
        guard isLabel(value) else { return nil }
        let words = fold(value).split(separator: "_").map(String.init)
            .filter { !["scale", "scaling", "score", "scores", "rating", "question"].contains($0) }
        let joined = words.joined(separator: "_")
        if joined.hasPrefix("safe") { return "safety" }
        if joined.hasPrefix("worr") { return "worry" }
        if joined == "wellbeing" || joined == "well_being" { return "wellbeing" }
        return joined.isEmpty ? nil : joined
    }

    /// The distinct non-blank values of a sample, in first-seen order (at most `cap`).
    static func distinct(_ values: [String], cap: Int = 41) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for v in values where !v.trimmingCharacters(in: " \t").isEmpty && !seen.contains(v) {
            seen.insert(v)
            out.append(v)
            if out.count >= cap { break }
        }
        return out
    }
}
