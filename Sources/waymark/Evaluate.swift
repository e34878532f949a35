import ArgumentParser
import Foundation
import WaymarkPipeline
import WaymarkCore
import WaymarkMethods
import WaymarkIngest
import WaymarkTrajectories
import WaymarkIndicators
import WaymarkDisclosure
import WaymarkEvaluation
import WaymarkReports
import WaymarkRecordLevel

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compare a programme cohort with a comparison cohort (effect sizes, survival curves, regression).",
        discussion: """
        Needs an `evaluation:` section in the pipeline file (docs/evaluation.md). Writes \
        evaluation.json, evaluation.csv and evaluation.html (small counts suppressed, for \
        sharing), quality.csv, quarantine/ and manifest.json into the report folder, and \
        record-level/cohorts.csv, with the record-level trajectories when the pipeline asks for \
        them, into the restricted folder (see --restricted-out). Observational cohorts: the page \
        says what the design can and cannot show.
        """
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        try CommandSupport.runJob(options, command: "evaluate") { context, result, lines in
            guard let shown = try StageRunner(context).run(.evaluate, ingest: result).evaluation else { return }
            let spec = shown.spec
            // As shared: counts of 1 to small_count are printed as c (docs/evaluation.md).
            lines.append("\(spec.programme.name): \(shown.series[0]) series (\(shown.withOutcome[0]) with an outcome); \(spec.comparison.name): \(shown.series[1]) (\(shown.withOutcome[1])); c = suppressed")
            if let c = shown.comparison {
                lines.append(String(format: "difference in mean change %+.3f (Welch p = %.4g), Hedges' g %+.3f", c.difference, c.p, c.hedgesG))
            }
            lines.append("Evaluation: \(context.outputFolder)/evaluation.html")
            lines.append(contentsOf: context.restrictedSummary)
        }
    }
}
