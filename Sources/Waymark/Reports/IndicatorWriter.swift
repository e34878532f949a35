import WaymarkCSV
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories

/// Writes `indicators.csv` and `matrix.csv` (OUTPUTS.md) from results that
/// have been through disclosure control. Numbers at full precision, rates as
/// proportions (M13.2); a cell that is not published has empty figures.
public enum IndicatorWriter {
    public static let indicatorsHeader = ["indicator_id", "title", "scale", "rated_by", "as_of", "breakdown", "group",
                                          "numerator", "denominator", "value", "status", "better"]
    public static let matrixHeader = ["scale", "rated_by", "as_of", "context", "direction", "segments", "mean_change", "status"]

    public static func write(_ results: IndicatorResults, context: RunContext) throws {
        let indicators = try CSVWriter(path: try context.path("indicators.csv"))
        try indicators.write(header: indicatorsHeader)
        for row in results.rows {
            let def = row.definition
            let published = row.status == .published
            try indicators.write([
                .text(row.id.rawValue), .text(def.title), .text(row.scale), .text(row.rater), .text(row.asOf.description),
                .text(row.breakdown.name), .text(row.group),
                published ? .number(row.numerator) : .empty, published ? .integer(row.denominator) : .empty,
                row.value.map { .number($0) } ?? .empty, .text(row.status.rawValue), .text(def.better),
            ])
        }
        try indicators.close()
        context.wrote("indicators.csv")

        let matrix = try CSVWriter(path: try context.path("matrix.csv"))
        try matrix.write(header: matrixHeader)
        for table in results.matrices {
            for c in SupportContext.allCases {
                for d in Direction.allCases {
                    let cell = table.matrix[c, d]
                    let status = table.status[Int(c.rawValue)][Int(d.rawValue)]
                    let published = status == .published
                    try matrix.write([
                        .text(table.scale), .text(table.rater.rawValue), .text(table.asOf.description), .text(c.name), .text(d.name),
                        published ? .integer(cell.segments) : .empty,
                        published ? (cell.meanChange.map { .number($0) } ?? .empty) : .empty,
                        .text(status.rawValue),
                    ])
                }
            }
        }
        try matrix.close()
        context.wrote("matrix.csv")
    }
}
