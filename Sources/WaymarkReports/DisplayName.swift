/// Readable names for the raw vocabulary a page prints (intervention types
/// and approaches, cohort names, raters, scales, groups, the balance table's
/// covariates): one table, and one rule for words it does not list, so no
/// raw identifier such as `family_group_conference` reaches a reader.
public enum DisplayName {
    /// Names that the general rule would get wrong or that read better in full.
    static let table: [String: String] = [
        "family": "Whole family", "child": "One child", "unknown": "Not recorded",
        "everyone_else": "Everyone else", "in_house": "In-house", "partner_agency": "Partner agency",
        "partially_engaged": "Partially engaged",
        "baseline": "Baseline score", "days_open_before_entry": "Days the case was open before entry",
        "level": "Series about", "team": "Team", "age_band": "Age band", "sex": "Sex",
        "engaged_hours": "Engaged planned hours",
    ]

    /// The table's name for `raw`, else its words: underscores as spaces and
    /// the first letter upper-case ("family_group_conference" -> "Family group
    /// conference"; "0-4" stays "0-4").
    public static func of(_ raw: String) -> String {
        if let name = table[raw] { return name }
        let words = raw.split(separator: "_", omittingEmptySubsequences: false).joined(separator: " ")
        guard let first = words.first else { return words }
        return first.uppercased() + words.dropFirst()
    }
}
