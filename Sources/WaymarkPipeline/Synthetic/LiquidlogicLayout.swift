import Foundation
import WaymarkCore
import WaymarkIngest

/// Rewrites a canonical export the way a Liquidlogic-like system writes it:
/// the scores in `Scaling.csv` under its own headers, every date `DD/MM/YYYY`,
/// and words instead of codes (`Parent/Carer`, `Social Worker`,
/// `Child/Young Person`; `Safety`, `Worry`). `Pipelines/liquidlogic.yaml`
/// reads it; the other files keep their canonical names and headers.
public enum LiquidlogicLayout {
    /// Canonical column -> the export's header, for `Scaling.csv`.
    static let headers: [String: String] = [
        "score_id": "Record ID", "case_id": "Case Number", "child_id": "Child Number", "team": "Team Name",
        "worker_id": "Worker Number", "recorded_on": "Date of Scaling", "scale": "Question", "score": "Scaling Score",
        "rated_by": "Completed By", "setting": "Meeting",
    ]

    /// The export's words for canonical codes.
    public static let words: [String: [String: String]] = [
        "rated_by": ["practitioner": "Social Worker", "parent": "Parent/Carer", "child": "Child/Young Person", "carer": "Carer",
                     "network": "Family Network", "partner_agency": "Partner Agency", "group": "Group Meeting"],
        "scale": ["safety": "Safety", "worry": "Worry", "wellbeing": "Wellbeing"],
    ]

    public static func rewrite(from source: String, to destination: String) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        if let scores = try CanonicalRows(source, .scalingScores) {
            var text = CanonicalRows.line(scores.header.map { headers[$0] ?? $0 })
            for row in scores.rows {
                text += CanonicalRows.line(zip(scores.header, row).map { column, value in
                    words[column]?[value] ?? CanonicalRows.ukDate(value)
                })
            }
            try CanonicalRows.write(text, destination, "Scaling.csv")
        }
        for file in [InputFile.interventions, .responses, .episodes, .children] {
            try CanonicalRows.copy(source, file, to: destination, ukDates: true)
        }
    }
}
