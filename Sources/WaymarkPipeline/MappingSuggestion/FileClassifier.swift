import WaymarkIngest

/// Decides which canonical file each export file is: the fit of its columns
/// (``ColumnMatcher``) plus a small bonus when its file name says so
/// ("Scores", "Services", "Responses", "Episodes", "Children"), each
/// canonical file taken by at most one export file, best fits first.
public enum FileClassifier {
    /// Below this an export file is left unmatched.
    public static let threshold = 0.3
    static let nameBonus = 0.1

    static let nameWords: [InputFile: Set<String>] = [
        .scalingScores: ["scor", "scal", "scaling", "rating", "assessment", "sos"],
        .interventions: ["intervention", "servic", "support", "offer", "package", "provision", "programme"],
        .responses: ["respons", "engagement", "attendance", "outcom"],
        .episodes: ["episod", "involvement", "period", "referral", "cas"],
        .children: ["child", "children", "person", "people", "demographic", "client", "characteristic"],
    ]

    /// The bonus a file name earns for `file`.
    public static func nameHint(_ fileName: String, _ file: InputFile) -> Double {
        let stem = fileName.hasSuffix(".csv") || fileName.hasSuffix(".CSV") ? String(fileName.dropLast(4)) : fileName
        let tokens = Set(HeaderSimilarity.tokens(stem))
        return tokens.isDisjoint(with: nameWords[file] ?? []) ? 0 : nameBonus
    }

    /// Export file index -> canonical file, from a table of fits
    /// (`fits[i][file]`, the name bonus included).
    public static func assign(_ fits: [[InputFile: Double]]) -> [Int: InputFile] {
        var pairs: [(Double, Int, InputFile)] = []
        for (i, row) in fits.enumerated() {
            for (file, fit) in row where fit >= threshold { pairs.append((fit, i, file)) }
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 > $1.0 : ($0.1 != $1.1 ? $0.1 < $1.1 : $0.2 < $1.2) }
        var out: [Int: InputFile] = [:]
        var taken = Set<InputFile>()
        for (_, i, file) in pairs where out[i] == nil && !taken.contains(file) {
            out[i] = file
            taken.insert(file)
        }
        return out
    }
}
