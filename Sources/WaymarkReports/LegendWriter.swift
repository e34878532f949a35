import Foundation
import WaymarkCore

/// Writes `legend.txt` beside the CSVs (OUTPUTS.md): what the status
/// symbols mean, the suppression rule with this run's thresholds, and the
/// run's dates, so a CSV read on its own is never ambiguous.
public enum LegendWriter {
    public static func text(asOf: Day, extractedOn: Day, smallCount: Int, minDenominator: Int, provisional: Bool) -> String {
        """
        Waymark: how to read indicators.csv and matrix.csv
        ===================================================

        Run: as at \(asOf) (the last day of the reporting period); the export was taken on \(extractedOn).\(provisional ? "\nProvisional: the export was taken before this month ended, so rows for the rest of the month are not in these figures yet." : "")

        status (and the words the report page uses for the same thing)
          published  the figure is shown: numerator, denominator and value
        \(statusLines(smallCount: smallCount))
          k          rounds to zero but is not zero; never used in these CSVs, which are not rounded

        The rule (METHODS.md M11)
          A rate is suppressed when its numerator, or its denominator minus its numerator, is between 1 and \(smallCount),
          or its denominator is below \(minDenominator). A count (a matrix cell) is suppressed when it is between 1 and \(smallCount).
          A mean is suppressed when its denominator is between 1 and \(minDenominator - 1). Zero is never suppressed on its own.
          Where one cell of a breakdown is suppressed, the next smallest is suppressed too, and an audit then checks that
          no suppressed figure can be worked out from the published ones. The report shows a suppressed figure as
          "fewer than \(smallCount + 1)".

        Numbers are at full precision; rates are proportions from 0 to 1 (not percentages); dates are YYYY-MM-DD.
        Every parameter of the run is in manifest.json.

        """
    }

    /// One line per symbol of ``StatusWords``; the figures of a row with one are empty.
    static func statusLines(smallCount: Int) -> String {
        StatusWords.terms(smallCount: smallCount).map { t in
            "  " + t.symbol + String(repeating: " ", count: 11 - t.symbol.count) + t.meaning + " (page: \"\(t.word)\"; the figures are empty)"
        }.joined(separator: "\n")
    }

    public static func write(asOf: Day, extractedOn: Day, smallCount: Int, minDenominator: Int, provisional: Bool,
                             folders: OutputFolders) throws {
        let path = try folders.path("legend.txt")
        let text = Self.text(asOf: asOf, extractedOn: extractedOn, smallCount: smallCount, minDenominator: minDenominator, provisional: provisional)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw RunError.output("\(path): cannot write the legend")
        }
        folders.wrote("legend.txt")
    }
}
