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

/// The disclosure stage (M11): suppression, then `indicators.csv` and
/// `matrix.csv`, the only way aggregate figures are written.
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
            return ((), protected.rows.count + protected.matrices.count * 15)
        }
        return protected
    }
}

/// What a run produced, stage by stage (nil for stages the pipeline left out).
public struct RunOutcome: Sendable {
    public var trajectories: Trajectories?
    public var indicators: PublishedIndicators?
    /// The report pack's path, relative to the output folder.
    public var report: String?
}

/// Runs the pipeline's declared stages after ingest, in order, each a typed
/// step from the previous one's output: rows -> trajectories -> raw figures
/// -> protected figures (and their CSVs) -> `index.html`. Each stage's time
/// and row counts go to the manifest.
public enum StageRunner {
    public static func run(_ context: RunContext, ingest: IngestResult, announce: (PipelineStage) -> Void = { _ in }) throws -> RunOutcome {
        var outcome = RunOutcome()
        let stages = Set(context.config.stages)
        guard stages.contains(.trajectories) else { return outcome }
        announce(.trajectories)
        let t = try TrajectoryStage.run(context, ingest: ingest)
        outcome.trajectories = t
        guard stages.contains(.indicators) else { return outcome }
        announce(.indicators)
        let raw = IndicatorStage.run(context, trajectories: t, ingest: ingest)
        guard stages.contains(.disclosure) else { return outcome }
        announce(.disclosure)
        let protected = try DisclosureStage.run(context, raw: raw)
        outcome.indicators = protected
        guard stages.contains(.report) else { return outcome }
        announce(.report)
        outcome.report = try ReportStage.run(context, ingest: ingest, sameDayMerges: t.sameDayMerges, indicators: protected)
        return outcome
    }
}
