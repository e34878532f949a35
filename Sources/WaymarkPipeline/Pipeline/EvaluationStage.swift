import WaymarkCore
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkIngest
import WaymarkTrajectories
import WaymarkReports
import WaymarkRecordLevel

/// The evaluation stages (M12) of `waymark evaluate`: trajectories, the
/// cohorts and their statistics, then disclosure control of what is shared
/// (evaluation.csv, .json, .html in the report folder) and the record-level
/// cohorts in the restricted folder.
public enum EvaluationStage {
    public static func run(_ context: RunContext, ingest: IngestResult) throws -> ProtectedEvaluation {
        guard let spec = context.config.evaluation else {
            throw RunError.usage("\(context.config.sourcePath ?? context.config.name): no `evaluation:` section; add one (see docs/evaluation.md and Pipelines/research.yaml)")
        }
        let t = try TrajectoryStage.run(context, ingest: ingest)
        let raw = context.stage("evaluation", rowsIn: t.series.count) { () -> (EvaluationResult, Int) in
            let r = EvaluationEngine.run(t, ingest: ingest, options: context.config.evaluationOptions, spec: spec)
            return (r, r.members.count)
        }
        context.warnings.append(contentsOf: raw.notes)
        return try context.stage("write-evaluation", rowsIn: raw.members.count) { () -> (ProtectedEvaluation, Int) in
            let shown = EvaluationDisclosure.protect(raw, config: context.config)
            try EvaluationWriter.write(shown, pipeline: context.config.name, folders: context.folders)
            try CohortsWriter.write(raw, t: t, ingest: ingest, folders: context.folders)
            return (shown, raw.members.count)
        }
    }
}
