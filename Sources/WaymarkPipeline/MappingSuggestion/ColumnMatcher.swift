import WaymarkIngest

/// One canonical column's pick: the export header chosen, how sure, and the
/// other headers that came close.
public struct ColumnChoice: Sendable, Equatable {
    public let canonical: String
    /// The export header (as written in the file).
    public let header: String
    /// 0-1: header similarity and value shapes together.
    public let score: Double
    /// Other headers that could be this column, best first.
    public let alternatives: [String]
    /// The match is weak, or another header came close.
    public let isUnsure: Bool
}

/// Picks, for each canonical column of a file, the best export column by
/// header similarity (weight 0.7) and value shape (0.3), each export column
/// used once, best pairs first.
public enum ColumnMatcher {
    /// Below this a pair is not matched.
    public static let threshold = 0.5
    /// Below this a match is marked unsure.
    public static let sure = 0.75
    /// A runner-up this close makes a match unsure.
    public static let margin = 0.08

    /// How well a column's values fit a canonical column's kind, 0-1 (0.5 when
    /// the sample has no values).
    public static func shapeFit(_ spec: ColumnSpec, _ shape: ValueShape, values: [String]) -> Double {
        guard shape.nonBlank > 0 else { return 0.5 }
        if spec.name == "score" { return shape.scoreShare >= 0.9 ? 1 : 0.7 * shape.numberShare }
        switch spec.kind {
        case .date: return shape.dateShare
        case .decimal: return shape.numberShare
        case .integer: return shape.integerShare
        case .scale: return shape.isCategorical ? 1 : 0.2
        case .enumeration(let names):
            let share = vocabularyShare(values, column: spec.name, names: names)
            if share >= 0.5 { return 1 }
            return shape.isCategorical ? 0.6 : 0.1
        case .identifier:
            // Dates, and words with spaces between them ("Parenting Programme"), are not ids.
            if shape.dateShare > 0.5 || shape.spaced * 2 > shape.nonBlank { return 0.1 }
            return shape.isCategorical && shape.distinct <= 8 ? 0.4 : 0.9
        case .text:
            return shape.dateShare > 0.5 || shape.numberShare > 0.9 ? 0.3 : 0.8
        }
    }

    /// The share of a sample's distinct non-blank words that map to the column's vocabulary.
    public static func vocabularyShare(_ values: [String], column: String, names: [String]) -> Double {
        let words = VocabularyWords.distinct(values)
        guard !words.isEmpty, words.count <= 40 else { return 0 }
        let hits = words.filter { VocabularyWords.canonical($0, column: column, names: names) != nil }.count
        return Double(hits) / Double(words.count)
    }

    /// The score of one pair.
    public static func pairScore(header: String, spec: ColumnSpec, shape: ValueShape, values: [String]) -> Double {
        let h = HeaderSimilarity.best(header, column: spec.name)
        let fit = shapeFit(spec, shape, values: values)
        var score = 0.7 * h + 0.3 * fit
        if fit < 0.3 && h < 1 { score *= 0.5 }
        // Rater, setting or response words under an unfamiliar header still say what the column is.
        if case .enumeration(let names) = spec.kind, shape.isCategorical, shape.distinct >= 2,
           vocabularyShare(values, column: spec.name, names: names) >= 0.8 {
            score = max(score, 0.6)
        }
        return score
    }

    /// The choices for `file` among the sample's `usable` columns, in the
    /// canonical order, with the fit of the whole file: the mean of the
    /// canonical columns' scores (required columns weighing twice) and the
    /// mean over the export's columns of the score each was matched with.
    public static func match(_ sample: ExportSample, shapes: [ValueShape], usable: [Int], file: InputFile)
        -> (choices: [ColumnChoice], fit: Double) {
        let specs = file.columns
        var scores = [[Double]](repeating: [Double](repeating: 0, count: sample.headers.count), count: specs.count)
        var pairs: [(Double, Int, Int)] = []
        for (s, spec) in specs.enumerated() {
            for c in usable {
                let v = pairScore(header: sample.headers[c], spec: spec, shape: shapes[c], values: sample.values[c])
                scores[s][c] = v
                if v >= threshold { pairs.append((v, s, c)) }
            }
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 > $1.0 : ($0.1 != $1.1 ? $0.1 < $1.1 : $0.2 < $1.2) }
        var chosen = [Int?](repeating: nil, count: specs.count)
        var used = Set<Int>()
        for (_, s, c) in pairs where chosen[s] == nil && !used.contains(c) {
            chosen[s] = c
            used.insert(c)
        }
        // A header another column took confidently is no alternative.
        var settled = Set<Int>()
        for (s, c) in chosen.enumerated() { if let c, scores[s][c] >= sure { settled.insert(c) } }
        var choices: [ColumnChoice] = []
        var total = 0.0, weight = 0.0
        for (s, spec) in specs.enumerated() {
            let w = spec.required ? 2.0 : 1.0
            weight += w
            guard let c = chosen[s] else { continue }
            let best = scores[s][c]
            total += w * best
            let others = usable.filter { $0 != c && !settled.contains($0) && scores[s][$0] >= threshold - 0.05 }
                .sorted { scores[s][$0] > scores[s][$1] }
            let close = others.contains { best - scores[s][$0] < margin }
            choices.append(ColumnChoice(canonical: spec.name, header: sample.headers[c], score: best,
                                        alternatives: others.map { sample.headers[$0] },
                                        isUnsure: best < sure || close))
        }
        // Half how much of the canonical file is found, half how much of the export file is explained,
        // so a small canonical file cannot win a wide export file on two columns.
        let canonicalShare = weight > 0 ? total / weight : 0
        let exportShare = usable.isEmpty ? 0 : choices.reduce(0) { $0 + $1.score } / Double(usable.count)
        return (choices, 0.5 * canonicalShare + 0.5 * exportShare)
    }
}
