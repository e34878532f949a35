import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// The indicators stage (M7-M10): every indicator as at each month end of
/// the trend, with breakdowns. Its figures are raw: nothing leaves the run
/// until ``DisclosureStage`` has protected them.
public enum IndicatorStage {
    public static func run(_ context: RunContext, trajectories t: Trajectories, ingest: IngestResult) -> RawIndicators {
        context.stage("indicators", rowsIn: t.series.count) { () -> (RawIndicators, Int) in
            let r = IndicatorEngine.compute(t, ingest: ingest, config: context.config)
            return (r, r.rows.count)
        }
    }
}

/// The disclosure stage (M11): suppression, then `indicators.csv`,
/// `matrix.csv`, `legend.txt` and `indicators.xlsx`, the only way aggregate
/// figures are written.
public enum DisclosureStage {
    public static func run(_ context: RunContext, raw: RawIndicators) throws -> PublishedIndicators {
        let protected = try context.stage("disclosure", rowsIn: raw.rows.count) { () -> (PublishedIndicators, Int) in
            let p = try context.config.disclosure.protect(raw)
            context.audit = p.audit
            return (p, p.suppressedRows)
        }
        context.warnings.append(contentsOf: protected.notes)
        try context.stage("write-indicators", rowsIn: protected.rows.count) { () -> (Void, Int) in
            try IndicatorWriter.write(protected, folders: context.folders)
            try LegendWriter.write(asOf: context.dates.asOf, extractedOn: context.dates.extractedOn, smallCount: context.config.smallCount,
                                   minDenominator: context.config.minDenominator, provisional: context.dates.isProvisional,
                                   folders: context.folders)
            try IndicatorWorkbook.write(protected, quality: context.qualityFindings, options: context.reportOptions, folders: context.folders)
            return ((), protected.rows.count + protected.matrices.count * 15)
        }
        return protected
    }
}
