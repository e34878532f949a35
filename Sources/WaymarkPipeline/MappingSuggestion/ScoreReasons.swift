import WaymarkCore

/// The words a score column holds where no score was given ("Not scored:
/// child refused", "NS"): the draft lists them under `missing_values:`, so
/// their rows are counted as not scored instead of quarantined.
///
/// They are written into the draft as vocabulary words are: only short
/// category labels (``VocabularyWords/isLabel(_:)``: letters and a little
/// punctuation, no digit, nothing the identifier guard flags) and at most
/// ``cap`` of them; any other non-numeric value is counted, never shown.
public enum ScoreReasons {
    /// More distinct words than this are free text, not a list of reasons: none is drafted.
    public static let cap = 12

    /// The distinct reason words of a score column's sample (trimmed, in
    /// first-seen order), and how many other distinct non-numeric values it holds.
    public static func words(_ values: [String]) -> (words: [String], others: Int) {
        var seen = Set<String>()
        var words: [String] = []
        var others = 0
        for raw in values {
            let v = raw.trimmingCharacters(in: " \t")
            guard !v.isEmpty, Double(v) == nil, !seen.contains(v) else { continue }
            seen.insert(v)
            if VocabularyWords.isLabel(v) { words.append(v) } else { others += 1 }
        }
        if words.count > cap { return ([], others + words.count) }
        return (words, others)
    }
}
