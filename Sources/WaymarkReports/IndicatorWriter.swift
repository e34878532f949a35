import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkIndicators
import WaymarkEvaluation
import WaymarkDisclosure

/// Writes `indicators.csv` and `matrix.csv` (OUTPUTS.md) from results that
/// have been through disclosure control. Numbers at full precision, rates as
/// proportions (M13.2); a cell that is not published has empty figures.
public enum IndicatorWriter {
    public static let indicatorsHeader = ["indicator_id", "title", "scale", "rated_by", "as_of", "breakdown", "group",
                                          "numerator", "denominator", "value", "status", "better"]
    public static let matrixHeader = ["scale", "rated_by", "as_of", "context", "direction", "segments", "mean_change", "status"]

    public static func write(_ results: PublishedIndicators, folders: OutputFolders) throws {
        let indicators = try CSVWriter(path: try folders.path("indicators.csv"))
        try indicators.write(header: indicatorsHeader)
        for row in results.rows {
            let def = row.definition
            try indicators.write([
                .text(row.id.rawValue), .text(def.title), .text(row.scale), .text(row.rater), .text(row.asOf.description),
                .text(row.breakdown.name), .text(row.group),
                row.numerator.map { .number($0) } ?? .empty, row.denominator.map { .integer($0) } ?? .empty,
                row.value.map { .number($0) } ?? .empty, .text(row.status.rawValue), .text(def.better),
            ])
        }
        try indicators.close()
        folders.wrote("indicators.csv")

        let matrix = try CSVWriter(path: try folders.path("matrix.csv"))
        try matrix.write(header: matrixHeader)
        for table in results.matrices {
            for c in SupportContext.allCases {
                for d in Direction.allCases {
                    try matrix.write([
                        .text(table.scale), .text(table.rater.rawValue), .text(table.asOf.description), .text(c.name), .text(d.name),
                        table.segments(c, d).map { .integer($0) } ?? .empty,
                        table.meanChange(c, d).map { .number($0) } ?? .empty,
                        .text(table.status(c, d).rawValue),
                    ])
                }
            }
        }
        try matrix.close()
        folders.wrote("matrix.csv")
    }
}
