import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

/// The trajectories stage: series, segments and support context as at the
/// run's `as_of` (M1-M6), and the record-level exports when the pipeline
/// asks for them. With `releasingScoreRows` the score rows are let go as soon
/// as the series and points are written (the caller reads them no more).
public enum TrajectoryStage {
    public static func run(_ context: RunContext, ingest: IngestResult, releasingScoreRows: Bool = false) throws -> Trajectories {
        // Counted on a line of its own: the copy of the score table that `scores` hands back must
        // be gone before the build lets the rows go.
        let rowsIn = ingest.scores.count
        let t = context.stage("trajectories", rowsIn: rowsIn) { () -> (Trajectories, Int) in
            let t = TrajectoryBuilder.build(ingest, config: context.config, asOf: context.dates.asOf, releasingScoreRows: releasingScoreRows)
            return (t, t.series.count)
        }
        context.warnings.append(contentsOf: t.rciNotes)
        if t.sameDayMerges > 0 {
            context.warnings.append("scaling_scores.csv: \(t.sameDayMerges) score(s) merged into a point with another score of the same series and day (M2)")
        }
        if context.config.recordLevel {
            try context.stage("record-level", rowsIn: t.series.count) { () -> (Void, Int) in
                try RecordLevelWriter.write(t, ingest: ingest, scales: context.config.scales.map(\.name), pipeline: context.config.name, folders: context.folders)
                return ((), t.series.count + t.segments.count + t.points.count)
            }
        }
        return t
    }
}
