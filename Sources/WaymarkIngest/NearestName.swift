/// The valid name closest to a misspelt one, by edit distance, for messages
/// such as "did you mean `score`?" (issue #13: a misspelt mapping target must
/// name the real mistake).
public enum NearestName {
    /// The candidate with the fewest single-character edits (insert, delete,
    /// substitute, swap two neighbours; compared lower-cased) from `name`, or nil when even the
    /// closest needs more edits than half the name's length (then it would
    /// be a guess, not a correction). Ties go to the earlier candidate.
    public static func of(_ name: String, among candidates: [String]) -> String? {
        let limit = max(2, name.count / 2)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let d = distance(name.lowercased(), candidate.lowercased())
            if d <= limit && (best == nil || d < best!.distance) { best = (candidate, d) }
        }
        return best?.name
    }

    /// " Did you mean `x`?" when a valid name is close enough, else "".
    public static func suggestion(_ name: String, among candidates: [String]) -> String {
        of(name, among: candidates).map { " Did you mean `\($0)`?" } ?? ""
    }

    /// Edit distance over Unicode scalars where swapping two neighbouring
    /// characters counts as one edit (optimal string alignment), since
    /// `scroe` is a typo of `score`, not of `scale`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
