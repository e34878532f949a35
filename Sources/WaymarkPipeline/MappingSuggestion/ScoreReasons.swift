import WaymarkCore

/// The words a score column holds where no score was given ("Not scored:
/// child refused", "NS"): the draft lists them under `missing_values:`, so
/// their rows are counted as not scored instead of quarantined.
///
/// They are written into the draft only as category labels
/// (``VocabularyWords/isCategory(_:count:)``: a short label of at most six
/// words, letters and a little punctuation, no digit, nothing the
/// identifier guard flags, seen at least three times in the sample, so a
/// one-off name or note is never copied) and at most ``cap`` of them; any
/// other non-numeric value is counted, never shown.
public enum ScoreReasons {
    /// More distinct words than this are free text, not a list of reasons: none is drafted.
    public static let cap = 12

    /// The distinct reason words of a score column's sample (trimmed, in
    /// first-seen order), and how many other distinct non-numeric values it holds.
    public static func words(_ values: [String]) -> (words: [String], others: Int) {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for raw in values {
            let v = raw.trimmingCharacters(in: " \t")
            guard !v.isEmpty, Double(v) == nil else { continue }
            if counts[v] == nil { order.append(v) }
            counts[v, default: 0] += 1
        }
        var words: [String] = []
        var others = 0
        for v in order {
            if VocabularyWords.isCategory(v, count: counts[v] ?? 0) { words.append(v) } else { others += 1 }
        }
        if words.count > cap { return ([], others + words.count) }
        return (words, others)
    }
}
