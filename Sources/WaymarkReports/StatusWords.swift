import WaymarkIndicators

/// The one vocabulary for figures that are not shown (issue #14): the words
/// the report page and its charts use, the DfE symbol the CSV files and the
/// workbook carry for the same thing, and what it means. The page's legend,
/// `legend.txt` and the charts all read from here, so a reader meets the
/// same word for the same thing wherever they look.
public enum StatusWords {
    /// One term: the page's word, the CSV symbol and the meaning.
    public struct Term: Sendable {
        public let word: String
        public let symbol: String
        public let meaning: String
    }

    public static let notApplicable = "n/a"
    public static let notAvailable = "not available"
    /// The evaluation page's word for a withheld statistic (a mean, SD or
    /// share resting on too few series) and for a count withheld because it
    /// could be worked out from the counts beside it, where "fewer than N"
    /// would not be true; `c` in the evaluation's CSV and JSON.
    public static let notShown = "not shown"

    /// The page's word for a suppressed figure: "fewer than N+1", N the run's small_count.
    public static func suppressed(smallCount: Int) -> String { "fewer than \(smallCount + 1)" }

    /// The terms, in the order the legends list them.
    public static func terms(smallCount: Int) -> [Term] {
        [
            Term(word: suppressed(smallCount: smallCount), symbol: CellStatus.suppressed.rawValue,
                 meaning: "hidden to protect small numbers: it rests on 1 to \(smallCount) families, segments or offers, "
                     + "or could be worked out from figures published beside it"),
            Term(word: notApplicable, symbol: CellStatus.notApplicable.rawValue,
                 meaning: "not applicable: nothing to count (a zero denominator, or no one in the group), "
                     + "or the scale has no parameter for it"),
            Term(word: notAvailable, symbol: CellStatus.notAvailable.rawValue,
                 meaning: "not available: the input it needs was not given (for example no children.csv)"),
        ]
    }

    /// How the page shows a status read back from the history database.
    public static func word(status: String, smallCount: Int) -> String? {
        switch status {
        case CellStatus.suppressed.rawValue: return suppressed(smallCount: smallCount)
        case CellStatus.notApplicable.rawValue: return notApplicable
        case CellStatus.notAvailable.rawValue: return notAvailable
        default: return nil
        }
    }
}
