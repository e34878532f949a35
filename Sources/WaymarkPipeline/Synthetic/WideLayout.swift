import Foundation
import WaymarkCore
import WaymarkMethods
import WaymarkIngest

/// Rewrites a canonical export's scores wide, one column per rater: a row per
/// case, child, day and scale in `WideScores.csv`, each rater's score in its
/// own column (empty when that rater gave none that day). The other files
/// stay canonical. `Pipelines/wide.yaml` unpivots it.
public enum WideLayout {
    /// The wide column of each rater.
    public static let columns: [(rater: Rater, header: String)] = [
        (.practitioner, "Worker Score"), (.parent, "Parent Score"), (.child, "Child Score"), (.carer, "Carer Score"),
        (.network, "Network Score"), (.partnerAgency, "Agency Score"), (.group, "Group Score"),
    ]

    public static func rewrite(from source: String, to destination: String) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        if let scores = try CanonicalRows(source, .scalingScores) {
            var order: [[String]] = []
            var cells: [[String]: (team: String, scores: [String: String])] = [:]
            for row in scores.rows {
                let key = ["case_id", "child_id", "recorded_on", "scale"].map { scores.value(row, $0) }
                if cells[key] == nil { order.append(key); cells[key] = (scores.value(row, "team"), [:]) }
                let rater = scores.value(row, "rated_by")
                // The first score of a rater that day is kept (a wide file has one cell for it).
                if cells[key]!.scores[rater] == nil { cells[key]!.scores[rater] = scores.value(row, "score") }
            }
            var text = CanonicalRows.line(["Case", "Child", "Team", "Date", "Scale"] + columns.map(\.header))
            for key in order {
                let c = cells[key]!
                text += CanonicalRows.line([key[0], key[1], c.team, key[2], key[3]] + columns.map { c.scores[$0.rater.rawValue] ?? "" })
            }
            try CanonicalRows.write(text, destination, "WideScores.csv")
        }
        for file in [InputFile.interventions, .responses, .episodes, .children] {
            try CanonicalRows.copy(source, file, to: destination, ukDates: false)
        }
    }
}
