/// How alike an export's header and a canonical column's name are: both are
/// cut into tokens (lower case, split at non-letters and at camelCase), each
/// token stemmed and its synonyms folded ("Ref", "Reference", "No", "Number"
/// -> `id`; `on` -> `date`), then compared as sets (Dice's coefficient),
/// taking the best of the column's aliases (``ColumnAliases``).
public enum HeaderSimilarity {
    /// Tokens that name an identifier, however a system spells it.
    static let idWords: Set<String> = ["id", "ref", "reference", "refno", "identifier", "no", "num", "number", "key", "code", "uid"]

    /// The header's tokens, stemmed, synonyms folded, in order.
    public static func tokens(_ header: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for ch in header {
            if ch.isLetter || ch.isNumber {
                if ch.isUppercase && previousLower && !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(contentsOf: ch.lowercased())
                previousLower = ch.isLowercase || ch.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map(fold)
    }

    /// One token, stemmed and with its synonyms folded.
    static func fold(_ word: String) -> String {
        if idWords.contains(word) { return "id" }
        if word == "on" || word == "dt" { return stem("date") }
        return stem(word)
    }

    /// A light stemmer: "recorded", "records", "recording" -> "record";
    /// "close", "closed" -> "clos".
    static func stem(_ word: String) -> String {
        for suffix in ["ing", "ed", "es", "e", "s"] where word.hasSuffix(suffix) && word.count - suffix.count >= 3 {
            if suffix == "s" && word.hasSuffix("ss") { return word }
            return String(word.dropLast(suffix.count))
        }
        return word
    }

    /// Dice's coefficient of two headers' token sets, 1 when they match exactly
    /// (case and punctuation aside).
    public static func score(_ header: String, _ phrase: String) -> Double {
        let a = tokens(header), b = tokens(phrase)
        if a.isEmpty || b.isEmpty { return 0 }
        if a == b { return 1 }
        let sa = Set(a), sb = Set(b)
        return 2 * Double(sa.intersection(sb).count) / Double(sa.count + sb.count)
    }

    /// The best score of `header` against a canonical column's name and aliases.
    public static func best(_ header: String, column: String) -> Double {
        var best = score(header, column)
        for alias in ColumnAliases.aliases(of: column) {
            best = max(best, score(header, alias))
            if best == 1 { break }
        }
        return best
    }
}
