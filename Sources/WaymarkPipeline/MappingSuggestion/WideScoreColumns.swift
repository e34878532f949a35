/// Finds a wide scores file: several columns of 0-10 scores whose headers
/// name a scale or a rater ("Safety Social Worker", "Worry - Parent"), one
/// column per scale or rater instead of one row per score. Such columns are
/// kept out of the column matching (they are not ids or teams) and named in
/// a comment, since reading them needs `unpivot`.
public enum WideScoreColumns {
    /// The indices of the wide score columns, or empty when fewer than two.
    public static func scoreColumns(_ headers: [String], _ shapes: [ValueShape]) -> [Int] {
        let found = headers.indices.filter { c in
            shapes[c].nonBlank > 0 && shapes[c].scoreShare >= 0.9 && namesScaleOrRater(headers[c])
        }
        return found.count >= 2 ? found : []
    }

    /// Whether a header holds a scale's word or a rater's.
    static func namesScaleOrRater(_ header: String) -> Bool {
        let words = VocabularyWords.fold(header).split(separator: "_").map(String.init)
        if words.contains(where: { $0.hasPrefix("safe") || $0.hasPrefix("worr") || $0 == "wellbeing" }) { return true }
        // Any run of one or two words that is a rater word ("social worker", "parent", "young person").
        for i in words.indices {
            for n in 1...2 where i + n <= words.count {
                let phrase = words[i..<(i + n)].joined(separator: "_")
                if VocabularyWords.canonical(phrase, column: "rated_by", names: ["practitioner", "parent", "child", "carer", "network", "partner_agency", "group"]) != nil {
                    return true
                }
            }
        }
        return false
    }
}
