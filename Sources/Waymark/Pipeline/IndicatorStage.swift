/// The indicators stage (M7-M11): every indicator as at each month end of
/// the trend, with breakdowns, then disclosure control, then
/// `indicators.csv` and `matrix.csv`.
public enum IndicatorStage {
    @discardableResult
    public static func run(_ context: RunContext, ingest: IngestResult, trajectories t: Trajectories) throws -> IndicatorResults {
        let raw = context.stage("indicators", rowsIn: t.series.count) { () -> (IndicatorResults, Int) in
            let r = IndicatorEngine.compute(t, ingest: ingest, config: context.config)
            return (r, r.rows.count)
        }
        let config = context.config
        let protected = context.stage("disclosure", rowsIn: raw.rows.count) { () -> (IndicatorResults, Int) in
            let r = Disclosure(smallCount: config.smallCount, minDenominator: config.minDenominator).apply(raw)
            return (r, r.rows.filter { $0.status == .suppressed }.count)
        }
        context.warnings.append(contentsOf: protected.notes)
        try context.stage("write-indicators", rowsIn: protected.rows.count) { () -> (Void, Int) in
            try IndicatorWriter.write(protected, context: context)
            return ((), protected.rows.count + protected.matrices.count * 15)
        }
        return protected
    }
}
