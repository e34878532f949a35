/// Finds a wide scores file: several columns of 0-10 scores whose headers
/// name a scale or a rater ("Safety Social Worker", "Worry - Parent"), one
/// column per scale or rater instead of one row per score. Such columns are
/// kept out of the column matching (they are not ids or teams) and named in
/// the draft's `unpivot:`, each with the scale and the rater its header names.
public enum WideScoreColumns {
    /// The indices of the wide score columns, or empty when fewer than two
    /// hold scores. A column with no sampled value whose header is one of
    /// theirs but for the scale or rater it names ("Carer Score" beside
    /// "Worker Score") is one of them too: no rater of its kind scored yet.
    public static func scoreColumns(_ headers: [String], _ shapes: [ValueShape]) -> [Int] {
        let found = headers.indices.filter { c in
            shapes[c].nonBlank > 0 && shapes[c].scoreShare >= 0.9 && namesScaleOrRater(headers[c])
        }
        guard found.count >= 2 else { return [] }
        let rests = Set(found.map { names(headers[$0]).rest })
        return headers.indices.filter { c in
            found.contains(c) || (shapes[c].nonBlank == 0 && namesScaleOrRater(headers[c]) && rests.contains(names(headers[c]).rest))
        }
    }

    /// The raters a wide header's words can name.
    static let raters = ["practitioner", "parent", "child", "carer", "network", "partner_agency", "group"]

    /// Whether a header holds a scale's word or a rater's.
    static func namesScaleOrRater(_ header: String) -> Bool {
        let named = names(header)
        return named.scale != nil || named.rater != nil
    }

    /// The scale (`safe...`, `worr...`, `wellbeing`) and the rater (any run of
    /// one or two words that is a rater word: "social worker", "parent",
    /// "young person") a wide header names, and its other words (`rest`);
    /// the longest rater phrase wins.
    public static func names(_ header: String) -> (scale: String?, rater: String?, rest: [String]) {
        let words = VocabularyWords.fold(header).split(separator: "_").map(String.init)
        var used = Set<Int>()
        var scale: String?
        for (k, w) in words.enumerated() where scale == nil {
            if w.hasPrefix("safe") { scale = "safety" } else if w.hasPrefix("worr") { scale = "worry" } else if w == "wellbeing" { scale = "wellbeing" }
            if scale != nil { used.insert(k) }
        }
        if scale == nil, let k = words.indices.first(where: { $0 + 1 < words.count && words[$0] == "well" && words[$0 + 1] == "being" }) {
            scale = "wellbeing"
            used.formUnion([k, k + 1])
        }
        var rater: String?
        var found: Range<Int>?
        for i in words.indices where !used.contains(i) {
            for n in 1...2 where i + n <= words.count && n > (found?.count ?? 0) && !used.contains(i + n - 1) {
                let phrase = words[i..<(i + n)].joined(separator: "_")
                if let r = VocabularyWords.canonical(phrase, column: "rated_by", names: raters) {
                    rater = r
                    found = i..<(i + n)
                }
            }
        }
        if let found { used.formUnion(found) }
        return (scale, rater, words.indices.filter { !used.contains($0) }.map { words[$0] })
    }
}
